"""A 10 ms QTimer on the GUI thread: the largest gap between two ticks is how long the GUI thread
was held (the stall tests allow 3x the 50 ms target for shared, noisy CI machines)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    """Ticks every 10 ms from creation; `reset()` forgets the gaps so far, `stop()` gives the
    largest."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    @property
    def max_gap(self) -> float:
        return max(self.gaps, default=0.0)

    def reset(self) -> None:
        self.gaps.clear()
        self.last = time.perf_counter()

    def stop(self) -> float:
        self.timer.stop()
        return self.max_gap
