"""Spectrograms equal librosa's for every kind, power and dB reference; known answers on tones."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from explorer.model import SpectrogramParams, compute, from_array, load, make_tone
from explorer.model.spectrogram import SpectrogramStats


def _librosa_reference(y, sr, p: SpectrogramParams) -> np.ndarray:
    S = np.abs(librosa.stft(y, n_fft=p.n_fft, hop_length=p.hop_length, win_length=p.win_length,
                            window=p.window)) ** p.power
    if p.kind == "mel":
        S = librosa.feature.melspectrogram(S=S, sr=sr, n_fft=p.n_fft, n_mels=p.n_mels,
                                           fmin=p.fmin, fmax=p.fmax)
    if not p.db:
        return S
    ref = {"max": np.max, "min": np.min}.get(p.db_ref, p.db_ref)
    if p.power == 1:
        return librosa.amplitude_to_db(S, ref=ref, top_db=p.top_db)
    return librosa.power_to_db(S, ref=ref, top_db=p.top_db)


CASES = [
    SpectrogramParams(),
    SpectrogramParams(kind="mel"),
    SpectrogramParams.notebook(),
    SpectrogramParams(kind="stft", power=1.0, db_ref=1.0, top_db=None),
    SpectrogramParams(kind="mel", n_fft=1024, hop_length=256, n_mels=64, fmin=50, fmax=6000,
                      db_ref="min", top_db=60),
    SpectrogramParams(kind="stft", n_fft=512, win_length=400, window="hamming", db=False),
]


@pytest.mark.parametrize("params", CASES, ids=lambda p: f"{p.kind}-p{p.power}-{p.db_ref}-{p.n_fft}")
@pytest.mark.parametrize("name", ["speech_198-209-0000.wav", "robin_44k_stereo.wav"])
def test_matches_librosa_on_real_recordings(samples_dir, name, params):
    path = samples_dir / name
    y, sr = librosa.load(path, sr=None)
    spec = compute(load(path), params)
    expected = _librosa_reference(y, sr, params)
    assert spec.values.shape == expected.shape
    np.testing.assert_allclose(spec.values, expected, rtol=1e-5, atol=1e-4)
    assert spec.stats == SpectrogramStats.of(spec.values)
    assert spec.stats.shape == expected.shape
    assert spec.stats.max == pytest.approx(float(expected.max()), rel=1e-5, abs=1e-4)
    assert spec.stats.mean == pytest.approx(float(expected.mean(dtype=np.float64)), rel=1e-5)


def test_notebook_pipeline_exactly(speech_path):
    """Magnitude STFT -> mel of the magnitude -> amplitude_to_db(ref=np.min): the notebook's steps."""
    y, sr = librosa.load(speech_path, sr=None)
    S = librosa.feature.melspectrogram(S=np.abs(librosa.stft(y)), sr=sr)
    expected = librosa.amplitude_to_db(S, ref=np.min)
    spec = compute(load(speech_path), SpectrogramParams.notebook())
    np.testing.assert_allclose(spec.values, expected, atol=1e-4)
    assert spec.stats.min == pytest.approx(spec.stats.max - 80.0, abs=1e-3)


def test_500hz_tone_peaks_at_500hz():
    spec = compute(make_tone(500.0, 1.0, 16000), SpectrogramParams(n_fft=4096), sample_rate=16000)
    peak_rows = np.argmax(spec.values, axis=0)
    assert np.all(np.abs(spec.frequencies[peak_rows] - 500.0) < 16000 / 4096)
    assert spec.stats.max == pytest.approx(0.0, abs=1e-4)  # ref=max puts the peak at 0 dB


def test_mel_axis_and_time_axis():
    sr = 16000
    y = make_tone(1000.0, 2.0, sr)
    spec = compute(y, SpectrogramParams(kind="mel", n_mels=40), sample_rate=sr)
    assert spec.values.shape[0] == 40 and spec.frequencies.shape == (40,)
    assert np.all(np.diff(spec.frequencies) > 0) and spec.frequencies[-1] < sr / 2
    peak = spec.frequencies[np.argmax(spec.values[:, spec.values.shape[1] // 2])]
    assert abs(peak - 1000.0) < 150.0
    assert spec.times[1] == pytest.approx(512 / sr)
    assert spec.values.shape[1] == 1 + len(y) // 512


def test_top_db_clips_and_none_does_not():
    y = make_tone(440.0, 0.5, 8000)
    clipped = compute(y, SpectrogramParams(top_db=30.0), sample_rate=8000)
    assert clipped.stats.max - clipped.stats.min == pytest.approx(30.0, abs=1e-3)
    free = compute(y, SpectrogramParams(top_db=None), sample_rate=8000)
    assert free.stats.max - free.stats.min > 100.0


def test_channel_choice_and_nan_input_do_not_crash():
    sr = 8000
    t = np.arange(sr) / sr
    stereo = np.stack([np.sin(2 * np.pi * 300 * t), np.sin(2 * np.pi * 2000 * t)], axis=1)
    clip = from_array(stereo, sr)
    right = compute(clip, SpectrogramParams(), channel=1)
    assert abs(right.frequencies[np.argmax(right.values[:, 5])] - 2000) < sr / 2048
    bad = np.array(make_tone(440.0, 0.5, sr))
    bad[100] = np.nan
    spec = compute(bad, SpectrogramParams(), sample_rate=sr)
    assert np.all(np.isfinite(spec.values))


@pytest.mark.parametrize("bad", [dict(kind="cqt"), dict(power=3.0), dict(db_ref="median"),
                                 dict(db_ref=-1.0), dict(win_length=4096), dict(top_db=-5.0)])
def test_invalid_params_are_refused(bad):
    with pytest.raises(ValueError):
        SpectrogramParams(**bad)
