"""A window on one sample with the analysis layers at hand."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_loaded


@pytest.fixture
def window_on(qtbot, make_window):
    """window_on(path): a window showing that file (its spectrogram computed)."""

    def make(path):
        window = make_window()
        window.open_paths([str(path)])
        wait_loaded(qtbot, window, path)
        qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
        window.analysis.show_layers()  # Analysis > Layers: the dock in front
        return window

    return make


def show_layer(qtbot, window, key: str, timeout: int = 120_000):
    """Ticks the layer in the Layers panel, as a user does, and waits for its data."""
    panel = window.analysis.panel
    layers = window.analysis.layers
    panel.checks[key].setChecked(True)
    qtbot.waitUntil(lambda: layers.data[key] is not None, timeout=timeout)
    return layers.data[key]
