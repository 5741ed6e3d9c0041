"""The right-hand dock panels fit the window: no control behind a horizontal scrollbar at
1280x800 or 1600x1000, and a wider window gives the docks room too (issue 13, point 1)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDockWidget

from explorer.model.tones import ToneSpec
from tests.ui.panel_fit import problems

RIGHT_TABS = ("spectrogram-settings", "tone-generator", "scales")
SIZES = ((1280, 800), (1600, 1000))


@pytest.fixture
def window_at(qtbot, fake_player):
    """A main window first shown at the given size, as on a first start on that screen."""
    from explorer.ui.shell.main_window import MainWindow

    windows = []

    def make(width: int, height: int) -> MainWindow:
        window = MainWindow(player=fake_player)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, window)  # the docks are sized just after showing
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


def settle(qtbot, window) -> None:
    """Wait until the docks keep their widths (they are sized and laid out in later events)."""
    def widths():
        return [d.width() for d in window.findChildren(QDockWidget) if d.isVisible()]

    last, stable = None, 0
    for _ in range(100):
        qtbot.wait(30)
        now = widths()
        stable = stable + 1 if now == last else 0
        last = now
        if stable >= 3:
            return


def show_tab(qtbot, window, name: str):
    dock = window.findChild(QDockWidget, name)
    dock.raise_()
    qtbot.waitUntil(dock.isVisible)
    settle(qtbot, window)
    return dock


def busy_tones(window) -> None:
    """The widest state of the tone panel: a chirp (End column), noise, aliasing and clipping
    warnings with the Normalise button, and a playing message."""
    panel = window.tone_panel
    panel.set_tones([ToneSpec(200, wave="chirp_linear", end_frequency=400000),
                     ToneSpec(9000, amplitude=0.8), ToneSpec(0, wave="white_noise",
                                                             amplitude=0.5),
                     ToneSpec(123456.78, wave="sawtooth", duration=0.125)])
    panel.refresh()
    panel.play_at(0.5)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tab", RIGHT_TABS)
def test_every_control_of_a_right_hand_panel_is_in_view(qtbot, window_at, size, tab):
    window = window_at(*size)
    dock = show_tab(qtbot, window, tab)
    area = dock.widget()
    assert area.widget().findChildren(QDockWidget) == []
    found = problems(area)
    assert found == [], f"{tab} at {size}: {found}"
    # the panel uses the dock's whole width (it reflows; no fixed-size island)
    assert area.widget().width() == area.viewport().width()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_busiest_tone_panel_still_fits(qtbot, window_at, size):
    window = window_at(*size)
    dock = show_tab(qtbot, window, "tone-generator")
    busy_tones(window)
    qtbot.waitUntil(lambda: not window.tone_panel.warning_frame.isHidden())
    qtbot.wait(100)
    assert not window.tone_panel.table.isColumnHidden(2)
    assert window.tone_panel.normalise_button.isVisible()
    found = problems(dock.widget())
    assert found == [], f"busy tone panel at {size}: {found}"


def test_fit_check_sees_a_control_cut_off(qtbot, window_at):
    """The check itself: a dock squeezed below its panel's width is reported."""
    window = window_at(1280, 800)
    dock = show_tab(qtbot, window, "tone-generator")
    area = dock.widget()
    area.setMinimumWidth(0)
    area.minimumSizeHint = lambda: area.viewport().minimumSizeHint()  # undo the guard
    dock.setFixedWidth(200)
    qtbot.wait(100)
    assert any("x0.5" in p or "Save WAV" in p or "scroll" in p for p in problems(area))


def test_wider_window_gives_the_right_dock_room(qtbot, window_at):
    small = window_at(1280, 800)
    at_1280 = small.controls_dock.width()
    assert at_1280 >= 300
    big = window_at(1600, 1000)
    assert big.controls_dock.width() >= at_1280 + 70  # a quarter of the extra 320 px
    # a window maximised later (1280 -> 1600) shares the gain with the docks as well
    small.resize(1600, 1000)
    qtbot.waitUntil(lambda: small.controls_dock.width() >= at_1280 + 70)
    assert small.centralWidget().width() >= 640


def test_the_dock_grows_rather_than_scroll_sideways(qtbot, window_at):
    """A chirp adds the End column: the dock widens to the panel's new minimum width."""
    window = window_at(1280, 800)
    dock = show_tab(qtbot, window, "tone-generator")
    before = dock.width()
    window.tone_panel.set_tones([ToneSpec(200, wave="chirp_log", end_frequency=4000)])
    qtbot.waitUntil(lambda: dock.widget().minimumSizeHint().width() <= dock.width())
    qtbot.wait(50)
    assert problems(dock.widget()) == []
    assert dock.width() >= before
    assert dock.widget().horizontalScrollBar().maximum() == 0
