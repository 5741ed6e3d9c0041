"""Min/max summaries of long signals at several zoom levels (Audacity's block summaries).

Built once, block by block from the file (or from samples in memory), then reused at every zoom:
drawing a view asks for about one (min, max) pair per pixel and gets it from the coarsest level
that is still finer than a pixel, or from the samples themselves when zoomed in that far.

A long file's summaries take seconds to read, so they are shown while they are built: an
`OverviewBuilder` fills pyramids preallocated from the header's frame count, and `snapshot()`
is an `Overview` of the frames read so far (views, no copies) that draws nothing beyond them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.model.decode import Decoder, measure

#: Samples per summary entry at each level: 256, 4096, 65536 (each 16x the one before).
BASE_BLOCK = 256
FACTOR = 16
LEVEL_COUNT = 3
#: Frames decoded at once while building from a file (~4 MB of float32 per channel).
READ_FRAMES = 1 << 20


@dataclass
class Level:
    block: int
    mins: np.ndarray  # (entries, columns): each channel, then the mono mix (mono: one column)
    maxs: np.ndarray


@dataclass
class Envelope:
    """What to draw between two frames: raw samples (step 1) or per-column min and max."""

    x: np.ndarray  # frame index of each point or column
    low: np.ndarray
    high: np.ndarray
    step: int  # frames per point (1 = raw samples)
    end: int = 0  # column i covers [x[i], x[i+1]); the last one [x[-1], end)

    @property
    def is_raw(self) -> bool:
        return self.step == 1


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def summary_columns(channels: int) -> int:
    """Columns of each level: the channels and their mix (a mono file's mix is its channel)."""
    return 1 if channels == 1 else channels + 1


def summary_nbytes(frames: int, channels: int) -> int:
    """Bytes of the complete summaries of a signal (what a long file keeps in memory)."""
    entries = sum(_ceil_div(frames, BASE_BLOCK * FACTOR ** k) for k in range(LEVEL_COUNT))
    return 2 * entries * summary_columns(channels) * 4


def _file_reader(path: Path) -> Callable[[int, int], np.ndarray]:
    def read(a: int, b: int) -> np.ndarray:
        with Decoder(path) as f:
            return f.read(b - a) if f.seek(a) else np.zeros((0, f.channels), np.float32)

    return read


class Overview:
    """Per-channel and mono-mix min/max pyramids, plus access to the raw samples for close zooms.

    `frames` is the whole signal's length (the time axis); only `[0, frames_done)` is summarised
    (all of it unless this is a snapshot of a build in progress) and nothing is drawn beyond."""

    def __init__(self, frames: int, channels: int, sample_rate: int, levels: list[Level],
                 read: Callable[[int, int], np.ndarray], frames_done: int | None = None,
                 complete: bool = True, non_finite: int = 0) -> None:
        self.frames, self.channels, self.sample_rate = frames, channels, sample_rate
        #: NaN/inf samples of the frames summarised (read as 0)
        self.non_finite = non_finite
        self.levels = levels
        self._read = read
        self.frames_done = frames if frames_done is None else frames_done
        #: no more frames are coming (the build finished, or this never was a build)
        self.complete = complete

    @classmethod
    def from_array(cls, samples: np.ndarray, sample_rate: int) -> Overview:
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, np.newaxis]
        builder = OverviewBuilder(samples.shape[0], samples.shape[1], sample_rate,
                                  lambda a, b: samples[a:b])
        builder.add(samples)
        return builder.finish()

    @classmethod
    def from_file(cls, path: str | Path, progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> Overview:
        """Read the file once in blocks; memory is the summaries, not the samples."""
        return OverviewBuilder.for_file(path).read_file(progress, cancelled)

    @property
    def nbytes(self) -> int:
        return sum(level.mins.nbytes + level.maxs.nbytes for level in self.levels)

    @property
    def fraction(self) -> float:
        """How much of the signal is summarised (1.0 when complete)."""
        return 1.0 if self.complete or not self.frames else self.frames_done / self.frames

    def samples(self, start: int, stop: int, channel: int | None = None) -> np.ndarray:
        """Raw samples of one channel (or the mono mix) between two frames."""
        start, stop = max(0, start), min(self.frames, stop)
        block = self._read(start, stop) if stop > start else np.zeros((0, self.channels), np.float32)
        if channel is not None:
            return block[:, channel]
        return block[:, 0] if self.channels == 1 else np.mean(block.T, axis=0)

    def envelope(self, start: int, stop: int, width: int, channel: int | None = None) -> Envelope:
        """About `width` columns for frames [start, stop): exact min/max of the samples they cover.

        The level is chosen from the requested range, then the columns stop at `frames_done`: a
        partial overview draws the part read so far at the zoom it will have when complete."""
        start, stop = max(0, int(start)), min(self.frames, int(stop))
        width = max(1, int(width))
        per_column = (stop - start) / width
        stop = min(stop, self.frames_done)
        if stop <= start:
            empty = np.zeros(0, np.float32)
            return Envelope(np.zeros(0, np.int64), empty, empty, 1, start)
        col = (self.channels if self.channels > 1 else 0) if channel is None else channel
        level = None
        for candidate in self.levels:  # at least two entries per column: at most 1.5 x width columns
            if 2 * candidate.block <= per_column:
                level = candidate
        if level is None:
            if per_column <= 2:  # few enough samples: draw them all
                y = self.samples(start, stop, channel)
                return Envelope(np.arange(start, stop), y, y, 1, stop)
            # finer than the finest level: summarise the raw samples directly
            step = int(np.ceil(per_column))
            y = self.samples(start, stop, channel)
            n = len(y) // step
            body = y[: n * step].reshape(n, step)
            lows, highs = body.min(axis=1), body.max(axis=1)
            if n * step < len(y):
                lows = np.append(lows, y[n * step:].min())
                highs = np.append(highs, y[n * step:].max())
            return Envelope(start + np.arange(len(lows)) * step, lows, highs, step, stop)
        first, last = start // level.block, _ceil_div(stop, level.block)
        group = max(1, int(per_column // level.block))
        mins = level.mins[first:last, col]
        maxs = level.maxs[first:last, col]
        n = _ceil_div(len(mins), group)
        pad = n * group - len(mins)
        if pad:
            mins = np.concatenate([mins, np.full(pad, np.inf, np.float32)])
            maxs = np.concatenate([maxs, np.full(pad, -np.inf, np.float32)])
        lows = mins.reshape(n, group).min(axis=1)
        highs = maxs.reshape(n, group).max(axis=1)
        return Envelope((first + np.arange(n) * group) * level.block, lows, highs,
                        group * level.block, min(self.frames_done, last * level.block))


class OverviewBuilder:
    """Fills the pyramids of a signal of known length block by block, in arrays preallocated
    from that length (so a snapshot is views, and the last one is the result: nothing is copied).

    After every `add`, every entry that covers frames read so far holds their exact min/max
    (the last entry of each level is partial until more frames come), and only then does
    `frames_done` move on: another thread's `snapshot()` never sees entries not yet written.
    Rows are reduced channel-major (columns, frames) so each reduction runs over contiguous
    memory: reducing a (blocks, 256, channels) view instead is two orders of magnitude slower."""

    def __init__(self, frames: int, channels: int, sample_rate: int,
                 read: Callable[[int, int], np.ndarray], path: Path | None = None) -> None:
        self.frames, self.channels, self.sample_rate = int(frames), int(channels), sample_rate
        self.path = path
        self._read = read
        self._width = summary_columns(self.channels)
        self._levels = [Level(BASE_BLOCK * FACTOR ** k,
                              np.empty((_ceil_div(self.frames, BASE_BLOCK * FACTOR ** k),
                                        self._width), np.float32),
                              np.empty((_ceil_div(self.frames, BASE_BLOCK * FACTOR ** k),
                                        self._width), np.float32))
                        for k in range(LEVEL_COUNT)]
        self._final = [0] * LEVEL_COUNT  # entries of each level that will not change any more
        self._carry = np.zeros((self._width, 0), dtype=np.float32)
        self.frames_done = 0
        #: NaN/inf samples read from the file (replaced by 0)
        self.non_finite = 0

    @classmethod
    def for_file(cls, path: str | Path) -> OverviewBuilder:
        """A builder sized from the file's checked frame count (never an unchecked header's)."""
        path = Path(path)
        facts = measure(path)
        return cls(facts.frames, facts.channels, facts.sample_rate, _file_reader(path), path)

    @property
    def nbytes(self) -> int:
        """Bytes allocated for the complete summaries."""
        return sum(level.mins.nbytes + level.maxs.nbytes for level in self._levels)

    def add(self, block: np.ndarray) -> None:
        """Summarise the next frames (frames x channels float32)."""
        block = np.asarray(block, dtype=np.float32)
        if block.ndim == 1:
            block = block[:, np.newaxis]
        count = block.shape[0]
        if count == 0:
            return
        if self.frames_done + count > self.frames:
            raise ValueError(f"more frames than the {self.frames} announced")
        k = self._carry.shape[1]
        rows = np.empty((self._width, k + count), np.float32)
        rows[:, :k] = self._carry
        rows[:self.channels, k:] = block.T
        if self.channels > 1:
            rows[self.channels, k:] = np.mean(block.T, axis=0)
        n = rows.shape[1] // BASE_BLOCK
        base, e0 = self._levels[0], self._final[0]
        if n:
            body = rows[:, : n * BASE_BLOCK].reshape(self._width, n, BASE_BLOCK)
            base.mins[e0:e0 + n] = body.min(axis=2).T
            base.maxs[e0:e0 + n] = body.max(axis=2).T
        self._carry = rows[:, n * BASE_BLOCK:].copy()
        if self._carry.shape[1]:  # the partial last entry
            base.mins[e0 + n] = self._carry.min(axis=1)
            base.maxs[e0 + n] = self._carry.max(axis=1)
        self._final[0] = e0 + n
        done = self.frames_done + count
        for index in range(1, LEVEL_COUNT):
            self._coarsen(index, done)
        self.frames_done = done  # last: what a snapshot shows is written by now

    def _coarsen(self, index: int, done: int) -> None:
        """Entries of level `index` from the finer level's, up to frame `done`."""
        fine, coarse = self._levels[index - 1], self._levels[index]
        fine_count, fine_final = _ceil_div(done, fine.block), self._final[index - 1]
        j0, j1 = self._final[index], fine_final // FACTOR
        if j1 > j0:
            shape = (j1 - j0, FACTOR, self._width)
            coarse.mins[j0:j1] = fine.mins[j0 * FACTOR:j1 * FACTOR].reshape(shape).min(axis=1)
            coarse.maxs[j0:j1] = fine.maxs[j0 * FACTOR:j1 * FACTOR].reshape(shape).max(axis=1)
        if fine_count > j1 * FACTOR:  # the partial last entry
            coarse.mins[j1] = fine.mins[j1 * FACTOR:fine_count].min(axis=0)
            coarse.maxs[j1] = fine.maxs[j1 * FACTOR:fine_count].max(axis=0)
        self._final[index] = j1

    def snapshot(self, complete: bool = False) -> Overview:
        """The frames read so far as an Overview (views of the arrays being filled)."""
        done = self.frames_done
        levels = [Level(level.block, level.mins[:_ceil_div(done, level.block)],
                        level.maxs[:_ceil_div(done, level.block)]) for level in self._levels]
        return Overview(self.frames, self.channels, self.sample_rate, levels, self._read,
                        frames_done=done, complete=complete, non_finite=self.non_finite)

    def finish(self) -> Overview:
        """The result: complete if every frame was added (a short read leaves the rest empty)."""
        return self.snapshot(complete=True)

    def read_file(self, progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  block_frames: int | None = None) -> Overview:
        """Read the rest of the file in blocks (READ_FRAMES unless told) and finish.
        `progress(fraction)` after each block; `cancelled()` before each raises InterruptedError."""
        if self.path is None:
            raise ValueError("this builder has no file to read")
        block_frames = max(1, int(block_frames or READ_FRAMES))
        with Decoder(self.path) as handle:
            if self.frames_done and not handle.seek(self.frames_done):
                return self.finish()
            while self.frames_done < self.frames:
                if cancelled is not None and cancelled():
                    raise InterruptedError("overview cancelled")
                want = min(block_frames, self.frames - self.frames_done)
                before = handle.non_finite
                block = handle.read(want)
                self.non_finite += handle.non_finite - before
                if block.shape[0] == 0:
                    break
                self.add(block)
                if progress is not None:
                    progress(self.frames_done / self.frames)
        return self.finish()


def polyline(env: Envelope, magnitude: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(x in frames, y) for one connected line: raw samples, or each column as a vertical bar
    from its min to its max at its centre; magnitude folds it to |amplitude|.

    Columns join by a level segment at a value both reach, never from one's max to the next's
    min: a full-scale square wave draws as a band with vertical edges, not as false ramps. A
    column that does not reach its neighbour is stretched to touch it (the signal passes
    between them), so the bars meet where the signal jumps."""
    if env.is_raw:
        y = np.abs(env.low) if magnitude else env.low
        return env.x.astype(np.float64), y
    low, high = env.low, env.high
    if magnitude:
        high = np.maximum(np.abs(low), np.abs(high))
        low = np.zeros_like(high)
    low, high = low.astype(np.float32), high.astype(np.float32)
    if len(low) > 1:  # from the neighbours' unstretched values, so nothing cascades
        low[1:], high[1:] = np.minimum(low[1:], high[:-1]), np.maximum(high[1:], low[:-1])
    # the level where column i meets column i + 1: the middle of what both reach
    joins = (np.maximum(low[:-1], low[1:]) + np.minimum(high[:-1], high[1:])) / 2
    enter = np.concatenate([low[:1], joins])
    leave = np.concatenate([joins, high[-1:]])
    y = np.stack([enter, low, high, leave], axis=1).reshape(-1)
    centres = env.x + env.step / 2
    return np.repeat(centres, 4).astype(np.float64), y
