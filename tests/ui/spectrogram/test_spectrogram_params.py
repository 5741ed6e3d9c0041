"""Parameter changes produce a new spectrogram equal to the model's; display modes work."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.model import SpectrogramParams, compute, load
from explorer.ui.spectrogram.view import stats_text


def wait_for_params(qtbot, window, params):
    def check():
        spec = window.spectrogram.spec
        assert spec is not None and spec.params == params
    qtbot.waitUntil(check, timeout=30000)
    return window.spectrogram.spec


def test_param_change_gives_model_stats(qtbot, window_on_samples, samples_dir):
    window = window_on_samples
    path = window.session.path
    c = window.controls
    c.kind.setCurrentIndex(c.kind.findData("mel"))
    c.n_fft.setCurrentIndex(c.n_fft.findData(1024))
    c.hop.setValue(256)
    c.n_mels.setValue(64)
    c.db_ref.setCurrentIndex(c.db_ref.findData("min"))
    c.power.setCurrentIndex(c.power.findData(1.0))
    expected = SpectrogramParams(kind="mel", n_fft=1024, hop_length=256, n_mels=64,
                                 db_ref="min", power=1.0)
    assert c.params() == expected
    spec = wait_for_params(qtbot, window, expected)  # debounced: no explicit apply needed
    model = compute(load(path), expected)
    assert spec.stats.shape == model.stats.shape == (64, spec.values.shape[1])
    assert spec.stats.min == pytest.approx(model.stats.min, abs=1e-4)
    assert spec.stats.max == pytest.approx(model.stats.max, abs=1e-4)
    assert spec.stats.mean == pytest.approx(model.stats.mean, abs=1e-4)
    assert window.spectrogram.stats_label.text() == stats_text(model)
    assert window.spectrogram.stats_label.text().startswith("shape 64 x ")


def test_presets_and_top_db(qtbot, window_on_samples):
    window = window_on_samples
    window.controls.notebook_button.click()
    spec = wait_for_params(qtbot, window, SpectrogramParams.notebook())
    assert spec.stats.min >= 0 and spec.stats.max - spec.stats.min <= 80 + 1e-3  # ref=min
    window.controls.defaults_button.click()
    window.controls.top_db.setValue(40)
    window.controls.apply()
    spec = wait_for_params(qtbot, window, SpectrogramParams(top_db=40.0))
    assert spec.stats.max - spec.stats.min == pytest.approx(40.0, abs=1e-3)


def test_display_modes_and_value_under_cursor(qtbot, window_on_samples):
    window = window_on_samples
    view = window.spectrogram
    spec = view.spec
    for name in ("viridis", "gray", "magma"):
        window.controls.colormap.setCurrentText(name)
        assert view.colormap == name
    for mode in ("mel", "log", "Hz"):
        window.controls.axis_mode.setCurrentText(mode)
        assert view.axis_mode == mode
        row, col = 40, 10
        f = spec.frequencies[row]
        y = view._coord(np.array([f]))[0]
        t = spec.times[col]
        hit = view.value_at(t, y)
        assert hit is not None and hit[0] == row and hit[1] == col
        assert hit[2] == spec.values[row, col]
    assert view.colour_bar.axis.tickStrings([-80.0, 0.0, 80.0], 1, 10) == [
        "-80 dB", "+0 dB", "+80 dB"]
    window.controls.display.setCurrentIndex(1)
    assert view.array_mode
    assert view.value_at(10, 40)[:2] == (40, 10)
    rect = view.image.mapRectToParent(view.image.boundingRect())
    bins, frames = spec.values.shape
    assert (rect.left(), rect.bottom(), rect.width(), rect.height()) == (
        -0.5, bins - 0.5, frames, bins)
    window.controls.display.setCurrentIndex(0)
    assert not view.array_mode
