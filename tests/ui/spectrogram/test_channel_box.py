"""The spectrogram's channel box: the chosen channel is what is analysed and drawn."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from explorer.model import compute, load, make_tone
from tests.ui.conftest import wait_loaded

SR = 16000


def _peak_hz(spec) -> float:
    """The loudest frequency, summed over time."""
    return float(spec.frequencies[np.argmax(spec.values.mean(axis=1))])


def test_channel_box_chooses_what_is_analysed_and_drawn(qtbot, make_window, tmp_path):
    path = tmp_path / "two_birds.wav"
    left, right = make_tone(500, 1.0, SR, 0.5), make_tone(3000, 1.0, SR, 0.2)
    sf.write(path, np.stack([left, right], axis=1), SR, subtype="FLOAT")
    window = make_window()
    window.open_paths([str(path)])
    wait_loaded(qtbot, window, path.resolve())
    box = window.controls.channel
    assert [box.itemText(i) for i in range(box.count())] == ["Mono mix", "Channel 1", "Channel 2"]
    assert box.isEnabled()
    assert _peak_hz(window.session.spectrogram) == 500  # the mix: the louder one wins

    for text, channel, hz in (("Channel 2", 1, 3000), ("Channel 1", 0, 500)):
        box.setCurrentIndex(box.findText(text))
        assert window.session.spec_channel == channel
        qtbot.waitUntil(lambda hz=hz: window.spectrogram.spec is not None
                        and _peak_hz(window.spectrogram.spec) == hz and not window.jobs.active(),
                        timeout=20000)
        spec = window.session.spectrogram
        expected = compute(load(path), spec.params, channel=channel)
        np.testing.assert_allclose(spec.values, expected.values, atol=1e-4)
        assert window.spectrogram.spec is spec  # what the view draws
    # only one channel of the other bird remains: 3000 Hz is ~the noise floor in channel 1
    row = np.argmin(np.abs(spec.frequencies - 3000))
    assert spec.values[row].mean() < spec.values.max() - 60
    assert "y = y[0]  # channel 0" in window.export_menu.python_code()  # Copy as Python's too
