"""Block by block equals librosa on the whole signal (centred frames across block edges)."""

from __future__ import annotations

import warnings

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


def test_pyin_and_cqt_say_why_they_need_the_whole_signal(signal):
    for name, why in (("pyin", "Viterbi"), ("cqt", "resamples")):
        with pytest.raises(NotBlockwise, match=why):
            compute_feature_blockwise(name, ArraySignal(signal, SR))
    with pytest.raises(NotBlockwise, match="pad_mode='wrap'"):
        compute_feature_blockwise("rms", ArraySignal(signal, SR), pad_mode="wrap")


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
