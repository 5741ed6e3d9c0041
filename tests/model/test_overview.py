"""Waveform summaries are exactly the min/max of the samples they cover, at every zoom."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from explorer.model.overview import BASE_BLOCK, Overview


def _check_exact(ov: Overview, signal: np.ndarray, start: int, stop: int, width: int):
    env = ov.envelope(start, stop, width)
    assert len(env.x) > 0
    assert len(env.x) <= 1.5 * width + 2
    bounds = [*env.x[1:], env.end]
    for x, end, lo, hi in zip(env.x, bounds, env.low, env.high, strict=True):
        covered = signal[x:end]
        assert lo == covered.min() and hi == covered.max(), (x, env.step)
    assert env.x[0] <= start < env.x[0] + env.step
    assert env.end >= stop


@pytest.fixture(scope="module")
def stereo():
    rng = np.random.default_rng(1)
    frames = 300_000 + 123  # not a multiple of any block
    return (rng.standard_normal((frames, 2)) * [0.1, 0.3]).astype(np.float32)


@pytest.mark.parametrize("start,stop,width", [(0, 300_123, 800), (12_345, 250_001, 1000),
                                              (1000, 9000, 1000), (1000, 1500, 1000),
                                              (299_000, 300_123, 300), (77, 78, 10),
                                              (0, 300_123, 7)])
def test_envelope_is_exact_min_max_of_what_it_covers(stereo, start, stop, width):
    ov = Overview.from_array(stereo, 44100)
    mono = np.mean(stereo.T, axis=0)
    _check_exact(ov, mono, start, stop, width)
    env = ov.envelope(start, stop, width, channel=1)
    for x, end, lo, hi in zip(env.x, [*env.x[1:], env.end], env.low, env.high, strict=True):
        covered = stereo[x:end, 1]
        assert lo == covered.min() and hi == covered.max()


def test_close_zoom_returns_raw_samples(stereo):
    ov = Overview.from_array(stereo, 44100)
    env = ov.envelope(5000, 5400, 1000, channel=0)
    assert env.is_raw
    np.testing.assert_array_equal(env.low, stereo[5000:5400, 0])
    np.testing.assert_array_equal(env.x, np.arange(5000, 5400))


def test_from_file_equals_from_array_and_stays_small(tmp_path, stereo):
    path = tmp_path / "long.wav"
    sf.write(path, stereo, 44100, subtype="FLOAT")
    a, b = Overview.from_array(stereo, 44100), Overview.from_file(path)
    assert (b.frames, b.channels, b.sample_rate) == (a.frames, 2, 44100)
    for la, lb in zip(a.levels, b.levels, strict=True):
        np.testing.assert_array_equal(la.mins, lb.mins)
        np.testing.assert_array_equal(la.maxs, lb.maxs)
    assert b.nbytes < stereo.nbytes / BASE_BLOCK * 4
    np.testing.assert_array_equal(b.samples(100, 200, channel=1), stereo[100:200, 1])


def test_levels_get_coarser_and_cancel_works(tmp_path, stereo):
    ov = Overview.from_array(stereo, 44100)
    blocks = [level.block for level in ov.levels]
    assert blocks == sorted(blocks) and blocks[0] == BASE_BLOCK
    path = tmp_path / "x.wav"
    sf.write(path, stereo, 44100)
    with pytest.raises(InterruptedError):
        Overview.from_file(path, cancelled=lambda: True)
