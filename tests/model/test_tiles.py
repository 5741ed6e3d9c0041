"""Spectrogram tiles of long files: the block-wise STFT's columns, an LRU under a byte budget."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from explorer.model import stft
from explorer.model.spectrogram import SpectrogramParams, linear_spectrogram
from explorer.model.tiles import (
    POOL_FRAMES,
    TILE_COLUMNS,
    TileCache,
    TileKey,
    TileSource,
    column_step,
    full_scale_ref,
)

SR = 8000


@pytest.fixture(scope="module")
def wav(tmp_path_factory):
    """A 2-channel file long enough for several tiles at step 1 (hop 512: ~3 tiles)."""
    rng = np.random.default_rng(1)
    n = SR * 50 + 123  # not a multiple of anything
    t = np.arange(n) / SR
    left = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(n)
    right = 0.2 * np.sin(2 * np.pi * 1300 * t)
    path = tmp_path_factory.mktemp("tiles") / "two.wav"
    sf.write(path, np.stack([left, right], axis=1).astype(np.float32), SR, subtype="FLOAT")
    return path


def reference(path, params):
    with stft.FileSource(path) as source:
        return linear_spectrogram(source, params)


def test_column_step_is_a_power_of_two_with_at_least_width_columns():
    assert column_step(100, 1000) == 1
    assert column_step(310_000, 1500) == 128
    for hops, width in [(5000, 700), (12345, 999), (10**7, 1920)]:
        step = column_step(hops, width)
        assert step & (step - 1) == 0
        assert hops / step >= width and hops / step < 2 * width + 2


@pytest.mark.parametrize("params", [
    SpectrogramParams(),
    SpectrogramParams(kind="mel", power=1.0, n_fft=1024, hop_length=256),
], ids=["stft-power", "mel-magnitude"])
@pytest.mark.parametrize("step", [1, 3, 8, 64])
def test_tile_columns_equal_the_blockwise_stft_at_the_same_frames(wav, params, step):
    """Exact for the STFT (same float operations); mel within float32 rounding of the BLAS
    product (rtol 1e-5), whose summation order depends on how many columns are multiplied."""
    full = reference(wav, params)
    source = TileSource(wav, params)
    assert source.total == full.shape[1]
    assert source.rows == full.shape[0]
    got, frames = [], []
    for index in range(source.tile_count(step)):
        f = source.tile_frames(step, index)
        got.append(source.linear_columns(f, step))
        frames.append(f)
    got, frames = np.concatenate(got, axis=1), np.concatenate(frames)
    assert np.array_equal(frames, np.arange(0, full.shape[1], step))  # every column, edges too
    if params.kind == "stft":
        np.testing.assert_array_equal(got, full[:, frames])
    else:
        np.testing.assert_allclose(got, full[:, frames], rtol=1e-5, atol=1e-6 * full.max())


@pytest.mark.parametrize("params", [
    SpectrogramParams(),
    SpectrogramParams(kind="mel", power=1.0, n_fft=1024, hop_length=256),
], ids=["stft-power", "mel-magnitude"])
@pytest.mark.parametrize("step", [2, 8, 64])
def test_pooled_tiles_hold_the_peak_of_the_frames_each_column_stands_for(wav, params, step):
    """Above step 1 a column is, per bin, the max of |STFT|**power over min(step, POOL_FRAMES)
    frames spread over its span (all of them up to POOL_FRAMES), projected for mel after."""
    linear = reference(wav, params.with_(kind="stft"))  # bins x frames, the block engine's
    source = TileSource(wav, params)
    got, pools = [], []
    for index in range(source.tile_count(step)):
        frames = source.tile_frames(step, index)
        got.append(source.pooled_columns(frames, step))
        pools.append(source.pool_frames(frames, step))
    got, pools = np.concatenate(got, axis=1), np.concatenate(pools)
    k = min(step, POOL_FRAMES)
    assert pools.shape == (source.columns(step), k)
    centres = np.arange(source.columns(step)) * step
    inner = (centres >= step) & (centres < source.total - step)
    spans = pools[inner] - centres[inner, None]
    assert spans.min() >= -(step // 2) and spans.max() < step - step // 2
    if step <= POOL_FRAMES:  # every frame of the span, once
        assert np.all(np.diff(pools[inner], axis=1) == 1)
    peak = linear[:, pools].max(axis=2)
    if params.kind == "stft":
        np.testing.assert_array_equal(got, peak)
    else:
        basis = stft.mel_basis(SR, params.n_fft, params.n_mels, params.fmin,
                               params.resolved_fmax(SR))
        np.testing.assert_allclose(got, basis @ peak, rtol=1e-5, atol=1e-6 * got.max())


def test_a_short_call_between_two_overview_columns_still_shows(tmp_path):
    """60 s of faint noise with a 0.6 s whistle at 3 kHz between two columns of a step-64
    overview (4.1 s apart). The single frame at each column misses it; the pooled columns see
    every event longer than their frames' spacing (step / POOL_FRAMES hops: 0.51 s here)."""
    rng = np.random.default_rng(3)
    y = 0.001 * rng.standard_normal(SR * 60).astype(np.float32)
    params = SpectrogramParams(n_fft=512, hop_length=512)
    step = 64
    start = int(10.5 * step * 512) + 1234  # between columns 10 and 11, off any pool frame
    t = np.arange(int(0.6 * SR)) / SR
    y[start:start + t.size] += 0.5 * np.sin(2 * np.pi * 3000 * t).astype(np.float32)
    path = tmp_path / "call.wav"
    sf.write(path, y, SR, subtype="FLOAT")
    source = TileSource(path, params)
    assert step / POOL_FRAMES * 512 < t.size
    bin_3k = int(round(3000 * params.n_fft / SR))
    frames = source.tile_frames(step, 0)
    single = source.to_display(source.linear_columns(frames, step))
    pooled = source.tile(step, 0)
    assert single[bin_3k].max() < -60  # missed: only noise at the columns' own frames
    assert pooled[bin_3k].max() > -20  # seen by the column standing for those frames
    assert int(np.argmax(pooled[bin_3k])) in (10, 11)


def test_tile_edges_first_last_and_across_tiles(wav):
    params = SpectrogramParams(n_fft=512, hop_length=128)
    full = reference(wav, params)
    source = TileSource(wav, params)
    last = source.tile_count(1) - 1
    assert last >= 2
    # the last tile is partial and ends exactly at the last frame (zero padding past the end)
    tail = source.linear_columns(source.tile_frames(1, last))
    assert tail.shape[1] == full.shape[1] - last * TILE_COLUMNS
    np.testing.assert_array_equal(tail, full[:, last * TILE_COLUMNS:])
    # the first column reads before the file start (centred padding)
    np.testing.assert_array_equal(source.linear_columns(np.array([0, 1])), full[:, :2])
    # two columns either side of a tile edge
    edge = np.array([TILE_COLUMNS - 1, TILE_COLUMNS])
    np.testing.assert_array_equal(source.linear_columns(edge), full[:, edge])


def test_one_channel_tiles(wav):
    params = SpectrogramParams(n_fft=512, hop_length=256)
    y = sf.read(wav, dtype="float32")[0][:, 1]
    full = stft.linear_spectrogram(stft.ArraySource(y, SR), n_fft=512, hop_length=256)
    source = TileSource(wav, params, channel=1)
    np.testing.assert_array_equal(source.linear_columns(source.tile_frames(4, 0), 4),
                                  full[:, source.tile_frames(4, 0)])


def test_db_uses_a_fixed_full_scale_reference(tmp_path):
    params = SpectrogramParams(n_fft=1024, hop_length=256, top_db=80.0)
    t = np.arange(SR * 2) / SR
    path = tmp_path / "fs.wav"
    sf.write(path, np.sin(2 * np.pi * 1000 * t).astype(np.float32), SR, subtype="FLOAT")
    source = TileSource(path, params)
    tile = source.tile(1, 0)
    middle = tile[:, 10:-10]
    assert abs(middle.max()) < 0.5  # a full-scale sine's peak bin is ~0 dB
    assert tile.min() >= -80.0  # top_db clips relative to the fixed reference
    numeric = params.with_(db_ref=2.0)
    assert full_scale_ref(numeric) == 2.0


def test_lru_respects_the_byte_budget():
    params = SpectrogramParams()
    tile = np.zeros((10, 100), np.float32)  # 4000 bytes
    cache = TileCache(budget=10_000)
    keys = [TileKey(params, None, 1, i) for i in range(5)]
    cache.put(keys[0], tile)
    cache.put(keys[1], tile.copy())
    assert cache.get(keys[0]) is not None  # 0 is now the most recently used
    cache.put(keys[2], tile.copy())
    assert cache.nbytes <= cache.budget and len(cache) == 2
    assert keys[1] not in cache and keys[0] in cache and keys[2] in cache
    for key in keys:
        cache.put(key, tile.copy())
        assert cache.nbytes <= cache.budget
    assert cache.evicted >= 4
    cache.put(keys[0], np.zeros((100, 100), np.float32))  # bigger than the budget: not kept
    assert cache.nbytes <= cache.budget
