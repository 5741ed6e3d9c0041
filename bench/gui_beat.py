"""What the GUI benches measure the GUI thread with: a 10 ms heartbeat QTimer (a gap longer
than 10 ms is the GUI thread busy or waiting) and a wait that keeps the event loop turning."""

from __future__ import annotations

import time
from collections.abc import Callable


class Heartbeat:
    """`gaps`: each interval between two beats since `reset` (or since `mark`, for the next)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def mark(self) -> None:
        """The next gap counts from now (not from a beat before a pause of the measurement)."""
        self._last = time.perf_counter()

    def reset(self) -> None:
        self.gaps.clear()
        self.mark()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def spin(app, until: Callable[[], bool], timeout: float, step: float = 0.0005) -> float | None:
    """Process events until `until()` (its seconds) or `timeout` (None)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        app.processEvents()
        if until():
            return time.perf_counter() - start
        time.sleep(step)
    return None
