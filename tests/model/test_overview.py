"""Waveform summaries are exactly the min/max of the samples they cover, at every zoom."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from explorer.model.overview import BASE_BLOCK, FACTOR, Overview, OverviewBuilder, summary_nbytes


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


# ---- building progressively (a long file shown while its summaries are read) --------------

def _mix(signal: np.ndarray) -> np.ndarray:
    return signal[:, 0] if signal.shape[1] == 1 else np.mean(signal.T, axis=0)


def _expected(signal: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """min/max of every `block` frames of each channel and the mix (the last block partial)."""
    columns = [signal[:, c] for c in range(signal.shape[1])]
    if signal.shape[1] > 1:
        columns.append(_mix(signal))
    n = -(-signal.shape[0] // block)
    pad = n * block - signal.shape[0]
    lo = [np.concatenate([c, np.full(pad, np.inf, np.float32)]).reshape(n, block).min(axis=1)
          for c in columns]
    hi = [np.concatenate([c, np.full(pad, -np.inf, np.float32)]).reshape(n, block).max(axis=1)
          for c in columns]
    return np.stack(lo, axis=1), np.stack(hi, axis=1)


def _assert_levels_exact(ov: Overview, read: np.ndarray) -> None:
    for level in ov.levels:
        mins, maxs = _expected(read, level.block)
        np.testing.assert_array_equal(level.mins, mins, err_msg=f"block {level.block}")
        np.testing.assert_array_equal(level.maxs, maxs, err_msg=f"block {level.block}")


@pytest.fixture(scope="module")
def odd_mono():
    rng = np.random.default_rng(2)
    return (0.5 * rng.standard_normal((FACTOR ** 2 * BASE_BLOCK * 3 + 4097, 1))).astype(np.float32)


@pytest.mark.parametrize("signal_name", ["stereo", "odd_mono"])
@pytest.mark.parametrize("blocks", [[1000], [777, 1, 255, 256, 257, 65536 + 3], [50_000]])
def test_every_snapshot_is_exact_min_max_of_the_frames_read(request, signal_name, blocks):
    signal = request.getfixturevalue(signal_name)
    frames, channels = signal.shape
    builder = OverviewBuilder(frames, channels, 8000, lambda a, b: signal[a:b])
    assert builder.snapshot().frames_done == 0
    sizes = iter(blocks * (frames // sum(blocks) + 1))
    done, checked = 0, 0
    while done < frames:
        n = min(next(sizes), frames - done)
        builder.add(signal[done:done + n])
        done += n
        if checked < 12 or done == frames:  # every level checked after a dozen irregular blocks
            snap = builder.snapshot()
            assert (snap.frames, snap.frames_done, snap.complete) == (frames, done, False)
            _assert_levels_exact(snap, signal[:done])
            checked += 1
    final = builder.finish()
    assert final.complete and final.fraction == 1.0
    _assert_levels_exact(final, signal)


def test_snapshots_are_views_and_draw_only_what_was_read(stereo):
    frames = stereo.shape[0]
    builder = OverviewBuilder(frames, 2, 44100, lambda a, b: stereo[a:b])
    done = 123_457
    builder.add(stereo[:done])
    snap = builder.snapshot()
    assert snap.fraction == pytest.approx(done / frames)
    for level, mine in zip(snap.levels, builder.finish().levels, strict=True):
        assert np.shares_memory(level.mins, mine.mins)  # no copies, at any size
    mono = np.mean(stereo.T, axis=0)
    # the whole file asked for: columns at the whole file's zoom, stopping where reading did
    env = snap.envelope(0, frames, 800)
    full = Overview.from_array(stereo, 44100).envelope(0, frames, 800)
    assert env.step == full.step and env.end <= done
    assert len(env.x) < len(full.x) and np.all(env.x < done)
    _check_exact(snap, mono[:done], 0, done, int(800 * done / frames))
    whole = len(env.x) - 1  # columns entirely read are those of the complete overview
    np.testing.assert_array_equal(env.low[:whole], full.low[:whole])
    np.testing.assert_array_equal(env.high[:whole], full.high[:whole])
    # nothing beyond what was read, at any zoom (raw samples too)
    assert len(snap.envelope(done, frames, 800).x) == 0
    close = snap.envelope(done - 100, done + 100, 1000, channel=1)
    assert close.is_raw and close.x[-1] == done - 1
    np.testing.assert_array_equal(close.low, stereo[done - 100:done, 1])


@pytest.mark.parametrize("frames,channels", [(0, 1), (100, 1), (BASE_BLOCK, 2), (300_123, 2),
                                             (FACTOR ** 2 * BASE_BLOCK + 1, 1)])
def test_from_file_equals_from_array_whatever_the_block_size(tmp_path, frames, channels):
    rng = np.random.default_rng(frames)
    signal = (0.4 * rng.standard_normal((frames, channels))).astype(np.float32)
    path = tmp_path / "x.wav"
    sf.write(path, signal, 16000, subtype="FLOAT")
    a = Overview.from_array(signal, 16000)
    _assert_levels_exact(a, signal)
    for block in (None, 4096, 1001):
        b = OverviewBuilder.for_file(path).read_file(block_frames=block)
        assert (b.frames, b.frames_done, b.channels, b.complete) == (frames, frames, channels, True)
        for la, lb in zip(a.levels, b.levels, strict=True):
            np.testing.assert_array_equal(la.mins, lb.mins)
            np.testing.assert_array_equal(la.maxs, lb.maxs)
    assert Overview.from_file(path).nbytes == summary_nbytes(frames, channels)


def test_flac_builds_the_same_overview(tmp_path, stereo):
    pcm = np.round(stereo * 32767) / 32767  # FLAC is integer PCM: compare on what it stores
    path = tmp_path / "x.flac"
    sf.write(path, pcm, 44100, subtype="PCM_16")
    decoded = sf.read(path, dtype="float32", always_2d=True)[0]
    b = OverviewBuilder.for_file(path).read_file(block_frames=65_536 + 17)
    _assert_levels_exact(b, decoded)


def test_read_file_progress_cancel_and_partial_state(tmp_path, stereo):
    path = tmp_path / "x.wav"
    sf.write(path, stereo, 44100, subtype="FLOAT")
    seen: list[float] = []
    Overview.from_file(path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    builder = OverviewBuilder.for_file(path)
    calls = []
    with pytest.raises(InterruptedError):
        builder.read_file(cancelled=lambda: calls.append(1) or len(calls) > 3, block_frames=10_000)
    assert builder.frames_done == 30_000  # stopped between two blocks, after three
    _assert_levels_exact(builder.snapshot(), stereo[:30_000])
    with pytest.raises(ValueError):
        builder.add(np.zeros((stereo.shape[0], 2), np.float32))  # more than the header said


def test_a_short_read_is_complete_with_what_was_read():
    signal = np.linspace(-1, 1, 1000, dtype=np.float32)[:, np.newaxis]
    builder = OverviewBuilder(1600, 1, 8000, lambda a, b: signal[a:min(b, 1000)])
    builder.add(signal)
    ov = builder.finish()
    assert ov.complete and (ov.frames, ov.frames_done) == (1600, 1000)
    env = ov.envelope(0, 1600, 2)
    assert env.end == 1000 and env.low.min() == -1 and env.high.max() == 1
