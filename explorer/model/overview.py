"""Min/max summaries of long signals at several zoom levels (Audacity's block summaries).

Built once, block by block from the file (or from samples in memory), then reused at every zoom:
drawing a view asks for about one (min, max) pair per pixel and gets it from the coarsest level
that is still finer than a pixel, or from the samples themselves when zoomed in that far.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from explorer.model.errors import AudioFileError

#: Samples per summary entry at each level: 256, 4096, 65536 (each 16x the one before).
BASE_BLOCK = 256
FACTOR = 16
LEVEL_COUNT = 3
#: Frames decoded at once while building from a file (~4 MB of float32 per channel).
READ_FRAMES = 1 << 20


@dataclass
class Level:
    block: int
    mins: np.ndarray  # (entries, channels + 1): each channel, then the mono mix
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


class Overview:
    """Per-channel and mono-mix min/max pyramids, plus access to the raw samples for close zooms."""

    def __init__(self, frames: int, channels: int, sample_rate: int, levels: list[Level],
                 read: Callable[[int, int], np.ndarray]) -> None:
        self.frames, self.channels, self.sample_rate = frames, channels, sample_rate
        self.levels = levels
        self._read = read

    @classmethod
    def from_array(cls, samples: np.ndarray, sample_rate: int) -> Overview:
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, np.newaxis]
        builder = _Builder(samples.shape[1])
        builder.add(samples)
        return cls(samples.shape[0], samples.shape[1], sample_rate, builder.finish(),
                   lambda a, b: samples[a:b])

    @classmethod
    def from_file(cls, path: str | Path, progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> Overview:
        """Read the file once in blocks; memory is the summaries, not the samples."""
        path = Path(path)
        try:
            handle = sf.SoundFile(str(path))
        except Exception as exc:
            raise AudioFileError(path, f"unreadable audio ({exc})") from exc
        with handle:
            frames, channels, rate = handle.frames, handle.channels, handle.samplerate
            builder = _Builder(channels)
            done = 0
            while done < frames:
                if cancelled is not None and cancelled():
                    raise InterruptedError("overview cancelled")
                block = handle.read(READ_FRAMES, dtype="float32", always_2d=True)
                if block.shape[0] == 0:
                    break
                builder.add(block)
                done += block.shape[0]
                if progress is not None:
                    progress(done / frames)

        def read(a: int, b: int) -> np.ndarray:
            with sf.SoundFile(str(path)) as f:
                f.seek(a)
                return f.read(b - a, dtype="float32", always_2d=True)

        return cls(frames, channels, rate, builder.finish(), read)

    @property
    def nbytes(self) -> int:
        return sum(level.mins.nbytes + level.maxs.nbytes for level in self.levels)

    def samples(self, start: int, stop: int, channel: int | None = None) -> np.ndarray:
        """Raw samples of one channel (or the mono mix) between two frames."""
        start, stop = max(0, start), min(self.frames, stop)
        block = self._read(start, stop) if stop > start else np.zeros((0, self.channels), np.float32)
        if channel is not None:
            return block[:, channel]
        return block[:, 0] if self.channels == 1 else np.mean(block.T, axis=0)

    def envelope(self, start: int, stop: int, width: int, channel: int | None = None) -> Envelope:
        """About `width` columns for frames [start, stop): exact min/max of the samples they cover."""
        start, stop = max(0, int(start)), min(self.frames, int(stop))
        width = max(1, int(width))
        if stop <= start:
            empty = np.zeros(0, np.float32)
            return Envelope(np.zeros(0, np.int64), empty, empty, 1, start)
        per_column = (stop - start) / width
        col = self.channels if channel is None else channel
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
        first, last = start // level.block, -(-stop // level.block)
        group = max(1, int(per_column // level.block))
        mins = level.mins[first:last, col]
        maxs = level.maxs[first:last, col]
        n = -(-len(mins) // group)
        pad = n * group - len(mins)
        if pad:
            mins = np.concatenate([mins, np.full(pad, np.inf, np.float32)])
            maxs = np.concatenate([maxs, np.full(pad, -np.inf, np.float32)])
        lows = mins.reshape(n, group).min(axis=1)
        highs = maxs.reshape(n, group).max(axis=1)
        return Envelope((first + np.arange(n) * group) * level.block, lows, highs,
                        group * level.block, min(self.frames, last * level.block))


class _Builder:
    """Accumulates the finest level block by block; coarser levels come from it at the end.

    Rows are channel-major (channels + mono, frames) so each reduction runs over contiguous
    memory: reducing a (blocks, 256, channels) view instead is two orders of magnitude slower."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self._carry = np.zeros((channels + 1, 0), dtype=np.float32)
        self._mins: list[np.ndarray] = []
        self._maxs: list[np.ndarray] = []

    def add(self, block: np.ndarray) -> None:
        rows = np.empty((self.channels + 1, self._carry.shape[1] + block.shape[0]), np.float32)
        k = self._carry.shape[1]
        rows[:, :k] = self._carry
        rows[:self.channels, k:] = block.T
        rows[self.channels, k:] = block[:, 0] if self.channels == 1 else np.mean(block.T, axis=0)
        n = rows.shape[1] // BASE_BLOCK
        body = rows[:, : n * BASE_BLOCK].reshape(self.channels + 1, n, BASE_BLOCK)
        self._mins.append(body.min(axis=2).T)
        self._maxs.append(body.max(axis=2).T)
        self._carry = rows[:, n * BASE_BLOCK:].copy()

    def finish(self) -> list[Level]:
        if self._carry.shape[1]:
            self._mins.append(self._carry.min(axis=1)[np.newaxis, :])
            self._maxs.append(self._carry.max(axis=1)[np.newaxis, :])
        width = self.channels + 1
        mins = np.concatenate(self._mins) if self._mins else np.zeros((0, width), np.float32)
        maxs = np.concatenate(self._maxs) if self._maxs else np.zeros((0, width), np.float32)
        levels = [Level(BASE_BLOCK, mins, maxs)]
        for _ in range(LEVEL_COUNT - 1):
            prev = levels[-1]
            n = -(-prev.mins.shape[0] // FACTOR)
            pad = n * FACTOR - prev.mins.shape[0]
            lo = np.concatenate([prev.mins, np.full((pad, width), np.inf, np.float32)])
            hi = np.concatenate([prev.maxs, np.full((pad, width), -np.inf, np.float32)])
            levels.append(Level(prev.block * FACTOR, lo.reshape(n, FACTOR, width).min(axis=1),
                                hi.reshape(n, FACTOR, width).max(axis=1)))
        return levels


def polyline(env: Envelope, magnitude: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(x in frames, y) for one connected line: raw samples, or each column's min then max at its
    centre, so a single curve draws the filled envelope; magnitude folds it to |amplitude|."""
    if env.is_raw:
        y = np.abs(env.low) if magnitude else env.low
        return env.x.astype(np.float64), y
    low, high = env.low, env.high
    if magnitude:
        high = np.maximum(np.abs(low), np.abs(high))
        low = np.zeros_like(high)
    centres = env.x + env.step / 2
    y = np.empty(2 * len(low), dtype=np.float32)
    y[0::2], y[1::2] = low, high
    return np.repeat(centres, 2).astype(np.float64), y
