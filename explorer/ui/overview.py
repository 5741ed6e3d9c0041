"""Min/max summaries of a signal so the waveform draws at screen resolution, not per sample."""

from __future__ import annotations

import numpy as np

#: Samples per block at each summary level (finer levels first).
BLOCKS = (64, 1024, 16384)


class Overview:
    """For each channel: per-block minima and maxima at a few block sizes (built in a worker)."""

    def __init__(self, samples: np.ndarray) -> None:
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, None]
        self.samples = samples
        self.frames = samples.shape[0]
        self.mono = samples[:, 0] if samples.shape[1] == 1 else samples.mean(axis=1)
        self.levels: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        # level -> (min per channel (blocks, ch), max per channel, mono min, mono max)
        for block in BLOCKS:
            n = self.frames // block
            if n < 16:
                break
            body = samples[: n * block].reshape(n, block, -1)
            mono = self.mono[: n * block].reshape(n, block)
            self.levels[block] = (body.min(axis=1), body.max(axis=1), mono.min(axis=1),
                                  mono.max(axis=1))

    def signal(self, channel: int | None) -> np.ndarray:
        return self.mono if channel is None else self.samples[:, channel]

    def envelope(self, channel: int | None, start: int, stop: int, width: int,
                 magnitude: bool = False):
        """(x in frames, y) to draw between two frames with about `width` columns.

        Returns the raw samples (step 1) when they fit on screen; otherwise pairs of
        min/max per column, interleaved so one line draws the filled envelope.
        """
        start = max(0, int(start))
        stop = min(self.frames, int(stop))
        if stop <= start:
            return np.zeros(0), np.zeros(0), True
        width = max(16, int(width))
        count = stop - start
        if count <= 2 * width:
            x = np.arange(start, stop, dtype=np.float64)
            y = self.signal(channel)[start:stop]
            return x, (np.abs(y) if magnitude else y), True
        per_column = count / width
        # pick the coarsest summary that still has >= 1 block per column
        source_block = 1
        for block in self.levels:
            if block <= per_column:
                source_block = block
        if source_block == 1:
            data = self.signal(channel)
            lo_src = hi_src = data
        else:
            mins, maxs, mmin, mmax = self.levels[source_block]
            if channel is None:
                lo_src, hi_src = mmin, mmax
            else:
                lo_src, hi_src = mins[:, channel], maxs[:, channel]
        a = start // source_block
        b = min(len(lo_src), -(-stop // source_block))
        n = b - a
        group = max(1, int(n // width))
        m = n // group
        if m == 0:
            return np.zeros(0), np.zeros(0), False
        lo = lo_src[a: a + m * group].reshape(m, group).min(axis=1)
        hi = hi_src[a: a + m * group].reshape(m, group).max(axis=1)
        if magnitude:
            hi = np.maximum(np.abs(lo), np.abs(hi))
            lo = np.zeros_like(hi)
        xs = (a + np.arange(m) * group + group / 2) * source_block
        x = np.repeat(xs, 2)
        y = np.empty(2 * m, dtype=np.float32)
        y[0::2] = lo
        y[1::2] = hi
        return x, y, False
