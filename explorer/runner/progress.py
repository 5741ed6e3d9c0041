"""Counting the results of a run: a progress snapshot per item, and the summary at the end."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Result(Protocol):
    """What a work function returns per item: all the runner reads of it."""

    @property
    def ok(self) -> bool: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def seconds(self) -> float: ...


@dataclass(frozen=True)
class ItemResult:
    """A ready-made Result for jobs without their own: the item, and what came of it."""

    item: Any
    ok: bool
    reason: str | None = None
    seconds: float = 0.0
    value: Any = None


def item_failed(item: Any, reason: str) -> ItemResult:
    """The default result of an item the runner itself fails (its worker died, the cluster failed)."""
    return ItemResult(item, False, reason)


@dataclass(frozen=True)
class RunProgress:
    """A snapshot after each item: counts of this run, and the result just counted."""

    done: int
    total: int
    succeeded: int
    failed: int
    skipped: int
    elapsed: float
    result: Any = None

    @property
    def rate(self) -> float:
        """Items per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining_seconds(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


@dataclass
class RunSummary:
    total: int = 0          # items, the skipped ones (already done) included
    succeeded: int = 0
    skipped: int = 0        # already done before the run: the caller's count
    failed: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    failures: list = field(default_factory=list)
    #: Why the run stopped by itself (a result that fails every later item: disk full), once.
    stopped: str | None = None
    #: Items neither succeeded nor failed: left when cancelled, interrupted or stopped.
    left: int = 0

    @property
    def rate(self) -> float:
        ran = self.succeeded + self.failed
        return ran / self.seconds if self.seconds > 0 else 0.0


#: stops(result, stopped) -> a reason when this failed result means every later item would fail
#: the same way (a full disk); `stopped`: the run has stopped already (items still in flight).
Stops = Callable[[Any, bool], "str | None"]


class Tally:
    """The counts, kept in the calling thread: every result passes here, in arrival order."""

    def __init__(self, todo: int, skipped: int = 0, progress: Callable[[RunProgress], Any] | None = None,
                 stops: Stops | None = None) -> None:
        self.summary = RunSummary(total=todo + skipped, skipped=skipped)
        self.total = todo
        self.done = 0
        self.progress = progress
        self.stops = stops
        self.start = time.perf_counter()
        self.last: deque[Any] = deque(maxlen=64)

    @property
    def stopped(self) -> bool:
        return self.summary.stopped is not None

    def recent(self, count: int) -> list:
        return list(self.last)[-count:] if count > 0 else []

    def add(self, result: Any) -> None:
        """Count one result and report it, unless `stops` flags it: then the run stops (said once)."""
        s = self.summary
        if not result.ok and self.stops is not None:
            wall = self.stops(result, self.stopped)
            if wall is not None:
                if s.stopped is None:
                    s.stopped = wall
                s.seconds = time.perf_counter() - self.start
                return
        self.done += 1
        self.last.append(result)
        if result.ok:
            s.succeeded += 1
        else:
            s.failed += 1
            s.failures.append(result)
        s.seconds = time.perf_counter() - self.start
        if self.progress is not None:
            self.progress(RunProgress(self.done, self.total, s.succeeded, s.failed, s.skipped,
                                      s.seconds, result))

    def add_all(self, results: Sequence[Any]) -> None:
        for result in results:
            self.add(result)

    def finish(self) -> RunSummary:
        s = self.summary
        s.seconds = time.perf_counter() - self.start
        s.left = self.total - s.succeeded - s.failed
        return s
