"""The Layers panel fits its dock (parameters open too), and the Analysis menu and keys exist."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from tests.ui.analysis.conftest import show_layer
from tests.ui.panel_fit import problems
from tests.ui.test_panel_fit import settle, show_tab, window_at  # noqa: F401  (fixture)


@pytest.mark.parametrize("width, height", [(1280, 800), (1600, 1000)])
def test_layers_panel_fits_its_dock(qtbot, window_at, width, height):  # noqa: F811
    window = window_at(width, height)
    dock = show_tab(qtbot, window, "analysis-layers")
    panel = window.analysis.panel
    qtbot.waitUntil(lambda: panel.param_specs is not None, timeout=120_000)
    for key in ("pyin", "beats", "mfcc", "cqt"):
        panel.buttons[key].setChecked(True)
    panel._status("pyin", "failed: a long message of an error that does not fit the dock")
    assert panel.states["pyin"].text().endswith("…")
    assert "does not fit the dock" in panel.states["pyin"].toolTip()
    settle(qtbot, window)
    assert problems(dock.widget()) == []
    assert "fmin" in panel.editors["pyin"].fields and "n_mfcc" in panel.editors["mfcc"].fields


def test_measure_key_and_analysis_menu(qtbot, make_window):
    window = make_window()
    link = window.analysis
    assert link.measure_action.shortcut() == QKeySequence("Ctrl+Shift+M")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&View") < titles.index("&Analysis") < titles.index("&Help")
    rows = dict(window.keys.shortcut_rows())
    assert rows["Measure selection"] == "Ctrl+Shift+M"
    assert rows["Spectrogram: time-frequency box (then L to label it, Ctrl+Shift+M to measure it)"] \
        == "Ctrl+drag"
    link.menu.actions()[2].trigger()  # Layers…
    qtbot.waitUntil(lambda: link.page.is_built)
    assert link.dock.isVisible()


def test_layers_hide_again(qtbot, make_window, robin_path):
    from tests.ui.conftest import wait_loaded

    window = make_window()
    window.open_paths([str(robin_path)])
    wait_loaded(qtbot, window, robin_path)
    window.analysis.show_layers()
    show_layer(qtbot, window, "pyin", timeout=300_000)
    show_layer(qtbot, window, "mfcc")
    assert "pyin" in window.analysis.overlay.items and window.analysis.images["mfcc"].isVisible()
    window.analysis.panel.checks["pyin"].setChecked(False)
    window.analysis.panel.checks["mfcc"].setChecked(False)
    assert "pyin" not in window.analysis.overlay.items
    assert not window.analysis.images["mfcc"].isVisible()
    assert not window.analysis.overlay.legend.isVisible()
    # array mode: no curves over a column-index axis
    window.analysis.panel.checks["pyin"].setChecked(True)
    qtbot.waitUntil(lambda: "pyin" in window.analysis.overlay.items, timeout=120_000)
    window.controls.arrayModeChanged.emit(True)
    qtbot.waitUntil(lambda: "pyin" not in window.analysis.overlay.items)
