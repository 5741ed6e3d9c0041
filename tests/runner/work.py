"""Work functions for the runner's tests: module-level, so that worker processes get them by name."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from explorer.runner import ItemResult


@dataclass(frozen=True)
class Plan:
    """What each item does: squares by default; sleeps, raises, returns a failure or kills its
    own process for the items listed."""

    sleep: float = 0.0
    raises: frozenset = field(default_factory=frozenset)
    fails: frozenset = field(default_factory=frozenset)
    dies: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Where:
    """Where an item ran: its square, the process and thread, and the `threads` it was given."""

    square: int
    pid: int
    thread: int
    threads: int | None


def square(item: int, plan: Plan, cancelled, threads) -> ItemResult:
    start = time.perf_counter()
    if plan.sleep:
        time.sleep(plan.sleep)
    if item in plan.dies:
        os._exit(7)
    if item in plan.raises:
        raise ValueError(f"boom {item}\nsecond line")
    if item in plan.fails:
        return ItemResult(item, False, f"no square for {item}", time.perf_counter() - start)
    where = Where(item * item, os.getpid(), threading.get_ident(), threads)
    return ItemResult(item, True, None, time.perf_counter() - start, where)
