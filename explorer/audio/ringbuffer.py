"""A lock-free ring buffer between the audio callback (writer) and a GUI timer (reader)."""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """Preallocated float32 frames; one producer (audio thread), one consumer (GUI timer).

    The writer never blocks nor allocates; on overflow it overwrites the oldest frames and counts
    an overrun. Readers get copies; a frame overwritten while being copied is dropped, not torn.
    Reads return 1-D arrays for one channel, frames x channels otherwise.
    """

    def __init__(self, capacity_frames: int, channels: int = 1) -> None:
        if capacity_frames <= 0 or channels <= 0:
            raise ValueError("capacity_frames and channels must be positive")
        self.capacity = int(capacity_frames)
        self.channels = int(channels)
        self._buf = np.zeros((self.capacity, self.channels), dtype=np.float32)
        self.written = 0  # total frames ever written; only the writer changes it
        self.overruns = 0  # writes that overwrote frames read_new had not returned yet
        self._read = 0  # total frames consumed by read_new; only the reader changes it

    def write(self, block: np.ndarray) -> None:
        """Append frames (1-D mono or frames x channels); called from the audio callback."""
        frames = block.shape[0]
        if frames == 0:
            return
        if block.ndim == 1:
            block = block.reshape(frames, 1)  # a view: broadcast to every channel
        cap = self.capacity
        if frames > cap:
            block = block[frames - cap:]
            skipped = frames - cap
        else:
            skipped = 0
        start = self.written + skipped
        n = block.shape[0]
        idx = start % cap
        first = min(n, cap - idx)
        self._buf[idx:idx + first] = block[:first]
        if first < n:
            self._buf[:n - first] = block[first:]
        if start + n - self._read > cap:
            self.overruns += 1
        self.written = start + n

    def _copy(self, start: int, stop: int) -> np.ndarray:
        """Frames [start, stop) in total-frame numbering, minus any overwritten during the copy."""
        cap = self.capacity
        n = stop - start
        out = np.empty((n, self.channels), dtype=np.float32)
        if n:
            idx = start % cap
            first = min(n, cap - idx)
            out[:first] = self._buf[idx:idx + first]
            if first < n:
                out[first:] = self._buf[:n - first]
        oldest_valid = self.written - cap  # the writer may have moved on while we copied
        if oldest_valid > start:
            out = out[min(n, oldest_valid - start):]
        return out[:, 0].copy() if self.channels == 1 else out

    def read_new(self) -> np.ndarray:
        """The frames written since the last read_new (at most the capacity), oldest first."""
        stop = self.written
        start = max(self._read, stop - self.capacity)
        out = self._copy(start, stop)
        self._read = stop
        return out

    def latest(self, frames: int) -> np.ndarray:
        """The newest `frames` frames (fewer if fewer were written), oldest first."""
        stop = self.written
        start = max(0, stop - min(int(frames), self.capacity))
        return self._copy(start, stop)

    @property
    def available(self) -> int:
        """Frames read_new would return now."""
        return min(self.written - self._read, self.capacity)

    def clear(self) -> None:
        """Forget unread frames (the reader's side; e.g. when the live view restarts)."""
        self._read = self.written
