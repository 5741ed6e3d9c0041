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


#: The engine transforms float32 frames times librosa's float64 window in double precision, as
#: librosa.stft does, so values agree to the bit here; the slack is for BLAS summation order.
DB_TOLERANCE = 1e-4


def assert_matches_librosa(values, expected, params: SpectrogramParams):
    if params.db:
        np.testing.assert_allclose(values, expected, rtol=0, atol=DB_TOLERANCE)
    else:
        np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-7 * float(expected.max()))


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
    assert_matches_librosa(spec.values, expected, params)
    assert spec.stats == SpectrogramStats.of(spec.values)
    assert spec.stats.shape == expected.shape
    assert spec.stats.max == pytest.approx(float(expected.max()), abs=DB_TOLERANCE)
    assert spec.stats.mean == pytest.approx(float(expected.mean(dtype=np.float64)), abs=DB_TOLERANCE)


def test_notebook_pipeline_exactly(speech_path):
    """Magnitude STFT -> mel of the magnitude -> amplitude_to_db(ref=np.min): the notebook's steps."""
    y, sr = librosa.load(speech_path, sr=None)
    S = librosa.feature.melspectrogram(S=np.abs(librosa.stft(y)), sr=sr)
    expected = librosa.amplitude_to_db(S, ref=np.min)
    spec = compute(load(speech_path), SpectrogramParams.notebook())
    np.testing.assert_allclose(spec.values, expected, atol=DB_TOLERANCE)
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


@pytest.mark.parametrize("block_frames", [1, 7, 64, 2048])
@pytest.mark.parametrize("n_fft,hop", [(2048, 512), (1000, 300), (512, 512), (256, 100)])
def test_blockwise_equals_whole_at_every_block_edge(speech_path, block_frames, n_fft, hop):
    """Blocks of any size give the same columns as one whole-signal STFT (and as librosa)."""
    from explorer.model import stft

    y = load(speech_path).mono()[:40000]
    whole = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop))
    blocks = stft.linear_spectrogram(stft.ArraySource(y, 16000), n_fft=n_fft, hop_length=hop,
                                     power=1.0, block_frames=block_frames)
    assert blocks.shape == whole.shape
    np.testing.assert_array_equal(blocks, whole)


@pytest.mark.parametrize("length", [1, 100, 511, 512, 2047, 2048, 2049, 5000])
def test_short_and_odd_lengths_have_librosas_frame_count(length):
    from explorer.model import stft

    y = np.random.default_rng(length).standard_normal(length).astype(np.float32)
    expected = np.abs(librosa.stft(y)) if length >= 2048 else None
    result = stft.linear_spectrogram(stft.ArraySource(y, 8000), power=1.0, block_frames=3)
    assert result.shape[1] == stft.frame_count(length, 2048, 512) == 1 + length // 512
    if expected is not None:
        np.testing.assert_array_equal(result, expected)


def test_file_read_block_by_block_equals_in_memory(robin_path, speech_path):
    """compute_file never decodes the whole file, and gives the in-memory result exactly."""
    from explorer.model.spectrogram import compute_file

    for path in (robin_path, speech_path):
        params = SpectrogramParams.notebook()
        np.testing.assert_array_equal(compute_file(path, params).values,
                                      compute(load(path), params).values)
    resampled = compute_file(robin_path, SpectrogramParams(), sr=16000)
    np.testing.assert_array_equal(resampled.values, compute(load(robin_path, sr=16000)).values)


def test_cancel_stops_a_long_computation():
    from explorer.model import stft

    calls = []
    source = stft.ArraySource(np.zeros(16000 * 60, dtype=np.float32), 16000)
    with pytest.raises(InterruptedError):
        stft.linear_spectrogram(source, block_frames=16, progress=calls.append,
                                cancelled=lambda: len(calls) >= 3)
    assert len(calls) == 3 and calls[-1] < 0.05


@pytest.mark.parametrize("sr,n_fft,n_mels,fmin,fmax", [(16000, 2048, 128, 0.0, 8000.0),
                                                       (44100, 1024, 64, 50.0, 12000.0),
                                                       (8000, 512, 40, 0.0, 4000.0)])
def test_mel_basis_and_axes_equal_librosa(sr, n_fft, n_mels, fmin, fmax):
    from explorer.model import stft

    np.testing.assert_array_equal(stft.mel_basis(sr, n_fft, n_mels, fmin, fmax),
                                  librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels,
                                                      fmin=fmin, fmax=fmax))
    np.testing.assert_array_equal(stft.mel_frequencies(n_mels, fmin, fmax),
                                  librosa.mel_frequencies(n_mels=n_mels, fmin=fmin, fmax=fmax))
    np.testing.assert_array_equal(stft.fft_frequencies(sr, n_fft),
                                  librosa.fft_frequencies(sr=sr, n_fft=n_fft))


@pytest.mark.parametrize("window,win_length", [("hann", None), ("hann", 1), ("hann", 2), ("hann", 1023),
                                               ("hamming", 1000), ("hamming", 777), ("blackman", 2047)])
def test_window_equals_librosas(window, win_length):
    from explorer.model import stft

    expected = librosa.util.pad_center(librosa.filters.get_window(window, win_length or 2048,
                                                                  fftbins=True), size=2048)
    np.testing.assert_array_equal(stft.fft_window(window, 2048, win_length), expected)
