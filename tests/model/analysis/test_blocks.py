"""Block by block equals librosa on the whole signal (centred frames across block edges)."""

from __future__ import annotations

import warnings
from pathlib import Path

import librosa
import numpy as np
import pytest
import soundfile as sf

from explorer.model.analysis import compute_feature
from explorer.model.analysis.blocks import (
    ArraySignal,
    FileSignal,
    NotBlockwise,
    compute_feature_blockwise,
)

SR = 22050
SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"
#: Exact to the bit: every frame is computed from the same samples by the same code.
EXACT = ("yin", "onsets", "beats", "centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms")
#: Equal to float32 rounding: BLAS sums the mel / chroma filter bank's matrix product in another
#: order for another block width (the values agree to ~1e-7 of their range).
ROUNDED = ("onset_strength", "mfcc", "chroma")


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(int(SR * 6.3)) / SR  # not a whole number of hops or blocks
    y = 0.3 * np.sin(2 * np.pi * (200 + 300 * t) * t) + 0.05 * rng.standard_normal(t.size)
    y[:: SR // 2] += 0.9  # clicks: onsets and beats
    return y.astype(np.float32)


def _both(name, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        whole = compute_feature(name, y, SR, **params)
        seen = []
        blocks = compute_feature_blockwise(
            name, ArraySignal(y, SR), block_frames=7, progress=lambda d, t: seen.append((d, t)), **params
        )
    assert seen and seen[-1][0] == seen[-1][1] and len(seen) > 10  # many small blocks, to the end
    assert whole.values.shape == blocks.values.shape and whole.values.dtype == blocks.values.dtype
    np.testing.assert_array_equal(whole.times, blocks.times)
    return whole, blocks


@pytest.mark.parametrize("name", EXACT)
@pytest.mark.parametrize("params", [{}, {"hop_length": 256}])
def test_blockwise_is_exact(signal, name, params):
    whole, blocks = _both(name, signal, **params)
    np.testing.assert_array_equal(whole.values, blocks.values)
    assert whole.tempo == blocks.tempo


@pytest.mark.parametrize("name", ["centroid", "rms", "zcr", "yin"])
@pytest.mark.parametrize("params", [{"center": False}, {"pad_mode": "reflect"}])
def test_blockwise_is_exact_with_other_framing(signal, name, params):
    if name == "zcr" and "pad_mode" in params:
        params = {"frame_length": 1024}
    whole, blocks = _both(name, signal, **params)
    np.testing.assert_array_equal(whole.values, blocks.values)


@pytest.mark.parametrize("name", ROUNDED)
def test_blockwise_mel_and_chroma_equal_to_rounding(signal, name):
    whole, blocks = _both(name, signal)
    scale = float(np.max(np.abs(whole.values)))
    np.testing.assert_allclose(blocks.values, whole.values, rtol=0, atol=1e-6 * scale)


def test_chroma_tuning_is_estimated_over_the_whole_signal(signal):
    detuned = librosa.effects.pitch_shift(signal, sr=SR, n_steps=0.3).astype(np.float32)
    whole, blocks = _both("chroma", detuned)
    np.testing.assert_allclose(blocks.values, whole.values, rtol=0, atol=1e-6)


def test_what_needs_the_whole_signal_says_why(signal):
    with pytest.raises(NotBlockwise, match="pad_mode='wrap'"):
        compute_feature_blockwise("rms", ArraySignal(signal, SR), pad_mode="wrap")


def _long(y: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    """`y` repeated to `seconds` (plus a few samples: not a whole number of hops)."""
    n = int(seconds * sr) + 123
    return np.tile(y, -(-n // y.size))[:n].astype(np.float32)


def _blockwise(name, y, sr, block_frames, **params):
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the blocks warn of nothing (short blocks would)
        out = compute_feature_blockwise(
            name, ArraySignal(y, sr), block_frames=block_frames,
            progress=lambda d, t: seen.append((d, t)), **params,
        )
    done, total = seen[-1]
    assert len(seen) > 5 and done == total and total % y.size == 0  # several blocks, to the end
    return out


@pytest.fixture(scope="module")
def trumpet_70s() -> tuple[np.ndarray, int]:
    y, sr = librosa.load(SAMPLES / "trumpet_44k_stereo_24bit.wav", sr=None, mono=True)
    return _long(y, 70, sr), sr


@pytest.fixture(scope="module")
def chirp_70s() -> tuple[np.ndarray, int]:
    rng = np.random.default_rng(1)
    t = np.arange(int(70 * SR) + 77) / SR
    y = 0.3 * np.sin(2 * np.pi * (40 + 20 * t) * t) + 0.05 * rng.standard_normal(t.size)
    return y.astype(np.float32), SR


@pytest.mark.parametrize("source", ["trumpet_70s", "chirp_70s"])
@pytest.mark.parametrize("params", [{}, {"hop_length": 256, "n_bins": 60, "fmin": 50.0}])
def test_cqt_blockwise_equals_the_whole_signal_to_rounding(request, source, params):
    """librosa resamples each block octave by octave as it resamples the whole signal (same sample
    phase), but soxr's float32 sums run over other lengths: the values agree to ~4e-7 of the
    largest (as float32 and float64 input do on the whole signal: ~2e-7), checked at 1e-6."""
    y, sr = request.getfixturevalue(source)
    whole = compute_feature("cqt", y, sr, **params)
    blocks = _blockwise("cqt", y, sr, 250, **params)
    assert whole.values.shape == blocks.values.shape and whole.values.dtype == blocks.values.dtype
    np.testing.assert_array_equal(whole.times, blocks.times)
    scale = float(np.max(whole.values))
    np.testing.assert_allclose(blocks.values, whole.values, rtol=0, atol=1e-6 * scale)


def test_cqt_tuning_is_estimated_over_the_whole_signal(chirp_70s):
    y, sr = chirp_70s
    detuned = librosa.effects.pitch_shift(y[: 20 * sr], sr=sr, n_steps=0.3).astype(np.float32)
    whole = compute_feature("cqt", detuned, sr, tuning=None)
    blocks = _blockwise("cqt", detuned, sr, 100, tuning=None)
    scale = float(np.max(whole.values))
    np.testing.assert_allclose(blocks.values, whole.values, rtol=0, atol=1e-6 * scale)


def test_pyin_blockwise_equals_the_whole_signal_on_speech():
    """60 s of speech in 8 blocks: voiced_prob is per frame (exact); f0 and voiced_flag come from
    each block's Viterbi path with PYIN_MARGIN_SECONDS around it, equal to the whole signal's path
    here (at the default hop, paths agreed from a 0.5 s margin on: 5 s is ten times that).
    A hop of 2048 keeps pyin's per-frame cost (~6 ms) within a few seconds."""
    parts = [librosa.load(p, sr=None, mono=True) for p in sorted(SAMPLES.glob("speech_*.wav"))]
    sr = parts[0][1]
    y = _long(np.concatenate([p[0] for p in parts]), 60, sr)
    params = {"hop_length": 2048}
    whole = compute_feature("pyin", y, sr, **params)
    blocks = _blockwise("pyin", y, sr, 64, **params)
    np.testing.assert_array_equal(whole.times, blocks.times)
    np.testing.assert_array_equal(blocks.values, whole.values)  # NaN where unvoiced, at the same frames
    for key in ("voiced_flag", "voiced_prob"):
        assert blocks.extras[key].dtype == whole.extras[key].dtype
        np.testing.assert_array_equal(blocks.extras[key], whole.extras[key])
    assert 0 < np.count_nonzero(whole.extras["voiced_flag"]) < y.size // 2048


def test_file_signal_reads_what_librosa_load_gives(tmp_path):
    rng = np.random.default_rng(3)
    stereo = (0.4 * rng.standard_normal((30000, 2))).astype(np.float32)
    path = tmp_path / "s.wav"
    sf.write(path, stereo, 16000, subtype="PCM_24")
    y, sr = librosa.load(path, sr=None, mono=True)
    f = FileSignal(path)
    assert (f.sr, f.n_samples) == (sr, y.size)
    np.testing.assert_array_equal(np.concatenate([f.read(0, 12345), f.read(12345, y.size)]), y)
    whole = compute_feature("rms", y, sr)
    blocks = compute_feature_blockwise("rms", f, block_frames=5)
    np.testing.assert_array_equal(whole.values, blocks.values)


def test_cancel_stops_between_blocks(signal):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(InterruptedError):
        compute_feature_blockwise("rms", ArraySignal(signal, SR), block_frames=7, cancelled=cancelled)
    assert len(calls) == 4


@pytest.mark.parametrize(("name", "params"), [("cqt", {}), ("pyin", {"hop_length": 2048})])
def test_cancel_stops_cqt_and_pyin_between_blocks(signal, name, params):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(InterruptedError):
        compute_feature_blockwise(
            name, ArraySignal(signal, SR), block_frames=7, cancelled=cancelled, **params
        )
    assert len(calls) == 2
