"""Tones: the notebook's make_tone sample for sample, other waves' shapes, mix and sequence."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from explorer.model.tones import (
    ToneSpec,
    alias_frequency,
    make_tone,
    mix,
    render,
    sequence,
    synthesize,
)


def notebook_make_tone(freq, clip_length=1, sr=16000):
    """Verbatim from the audio-exploration notebook."""
    t = range(0, int(clip_length * sr))
    clip = [0.1 * np.sin(2 * np.pi * freq * n / sr) for n in t]
    return np.array(clip)


@pytest.mark.parametrize("freq,length,sr", [(500, 1, 16000), (5000, 1, 16000), (440, 0.5, 44100),
                                            (1000, 2, 8000)])
def test_make_tone_equals_the_notebook(freq, length, sr):
    ours = make_tone(freq, length, sr)
    theirs = notebook_make_tone(freq, length, sr)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-15)


def test_defaults_are_one_second_at_16k_amplitude_point_one():
    y = make_tone(500)
    assert len(y) == 16000
    assert np.max(np.abs(y)) == pytest.approx(0.1, abs=1e-6)
    # two cycles of 500 Hz at 16 kHz are the first 64 samples
    np.testing.assert_allclose(y[:64], y[64:128], atol=1e-12)


@pytest.mark.parametrize("wave", ["square", "sawtooth", "triangle"])
def test_periodic_waves_have_the_right_pitch_and_peak(wave):
    sr, f = 16000, 250.0
    y = synthesize(ToneSpec(f, 1.0, 0.5, wave), sr)
    assert np.max(np.abs(y)) == pytest.approx(0.5, abs=1e-9)
    spectrum = np.abs(np.fft.rfft(y))
    assert np.argmax(spectrum) * sr / len(y) == pytest.approx(f, abs=1.0)
    assert abs(np.mean(y)) < 0.01


def test_wave_shapes_start_like_the_sine():
    sr, f = 16000, 500.0
    tri = synthesize(ToneSpec(f, 0.01, 1.0, "triangle"), sr)
    saw = synthesize(ToneSpec(f, 0.01, 1.0, "sawtooth"), sr)
    sq = synthesize(ToneSpec(f, 0.01, 1.0, "square"), sr)
    assert tri[0] == pytest.approx(0.0) and tri[8] == pytest.approx(1.0)  # quarter cycle = 8 samples
    assert saw[0] == pytest.approx(0.0) and saw[1] > 0
    assert sq[0] == 1.0 and sq[16] == -1.0


def test_chirps_sweep_and_noise_is_seeded():
    sr = 16000
    lin = synthesize(ToneSpec(200, 1.0, 0.1, "chirp_linear", end_frequency=4000), sr)
    first = np.argmax(np.abs(np.fft.rfft(lin[:2000]))) * sr / 2000
    last = np.argmax(np.abs(np.fft.rfft(lin[-2000:]))) * sr / 2000
    assert first < 800 and last > 3200
    log = synthesize(ToneSpec(200, 1.0, 0.1, "chirp_log", end_frequency=4000), sr)
    assert len(log) == sr and np.max(np.abs(log)) <= 0.1 + 1e-12
    a = synthesize(ToneSpec(0, 0.5, 0.2, "white_noise", seed=3), sr)
    b = synthesize(ToneSpec(0, 0.5, 0.2, "white_noise", seed=3), sr)
    np.testing.assert_array_equal(a, b)
    pink = synthesize(ToneSpec(0, 1.0, 0.2, "pink_noise"), sr)
    spectrum = np.abs(np.fft.rfft(pink)) ** 2
    low, high = spectrum[10:100].mean(), spectrum[4000:8000].mean()
    assert low > 10 * high  # 1/f: far more energy in the lows


def test_mix_and_sequence_are_the_notebooks_sum_and_concatenate():
    a, b = make_tone(500), make_tone(5000)
    np.testing.assert_array_equal(mix([a, b]), a + b)
    np.testing.assert_array_equal(sequence([a, make_tone(1000)]), np.concatenate([a, make_tone(1000)]))
    short = make_tone(1000, 0.5)
    padded = mix([a, short])
    np.testing.assert_array_equal(padded[:8000], a[:8000] + short)
    np.testing.assert_array_equal(padded[8000:], a[8000:])
    specs = [ToneSpec(500), ToneSpec(5000)]
    np.testing.assert_array_equal(render(specs, 16000, "mix"), a + b)
    assert len(render(specs, 16000, "sequence")) == 32000


@pytest.mark.parametrize("freq,sr,heard", [(9000, 16000, 7000), (500, 16000, 500),
                                           (8000, 16000, 8000), (17000, 16000, 1000),
                                           (30000, 44100, 14100)])
def test_alias_frequency(freq, sr, heard):
    assert alias_frequency(freq, sr) == pytest.approx(heard)


def test_bad_tone_specs_are_refused():
    with pytest.raises(ValueError):
        ToneSpec(440, wave="hum")
    with pytest.raises(ValueError):
        ToneSpec(440, duration=-1)


# ----- pinned to scipy.signal: its shapes, computed here without importing it (~1.3 s) --------
SCIPY_SR, SCIPY_F, SCIPY_SECONDS = 16000, 441.0, 0.5


def _scipy_time() -> np.ndarray:
    return np.arange(int(SCIPY_SECONDS * SCIPY_SR)) / SCIPY_SR


@pytest.mark.parametrize("wave, phase, width", [
    ("square", 0.0, None),  # +1 for the first half of each cycle, as scipy's
    ("sawtooth", np.pi, 1.0),  # scipy's ramp, half a cycle on: starts at 0 rising, like the sine
    ("triangle", np.pi / 2, 0.5),  # scipy's symmetric ramp, a quarter on: 0 rising, peak at 1/4
])
def test_periodic_waves_equal_scipy_signal(wave, phase, width):
    t = _scipy_time()
    x = 2 * np.pi * SCIPY_F * t + phase
    expected = signal.square(x) if wave == "square" else signal.sawtooth(x, width)
    ours = synthesize(ToneSpec(SCIPY_F, SCIPY_SECONDS, 1.0, wave), SCIPY_SR)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("wave, method", [("chirp_linear", "linear"), ("chirp_log", "logarithmic")])
def test_chirps_equal_scipy_signal(wave, method):
    t = _scipy_time()
    expected = signal.chirp(t, 200.0, SCIPY_SECONDS, 4000.0, method=method, phi=-90)  # a sine
    ours = synthesize(ToneSpec(200.0, SCIPY_SECONDS, 1.0, wave, end_frequency=4000.0), SCIPY_SR)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)
