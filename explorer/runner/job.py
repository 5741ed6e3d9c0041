"""What a run is about: the function per item and the job-specific hooks the runner calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from explorer.runner.progress import item_failed

#: work(item, context, cancelled, threads) -> a Result. A module-level function (worker processes
#: and Dask workers get it by reference); `cancelled()` is polled between steps and the item
#: given up with InterruptedError; `threads`: how many threads the item may use (1 in worker
#: processes, where the parallelism is theirs; None when the calling thread runs alone).
Work = Callable[[Any, Any, "Callable[[], bool] | None", "int | None"], Any]


@dataclass(frozen=True)
class Job:
    """`work` and `context` go to the workers (picklable); the hooks run in the calling process."""

    work: Work
    context: Any = None
    #: failed(item, reason) -> the Result of an item the runner fails itself (its worker died).
    failed: Callable[[Any, str], Any] = item_failed
    #: cleanup(item, pid): remove what a killed worker process `pid` left of the item (temp files).
    cleanup: Callable[[Any, int], None] | None = None
    #: weight(item) -> its cost, to cut chunks of equal work (export: the file's size).
    weight: Callable[[Any], int] | None = None
    #: Names the worker processes and threads (seen in ps -T, debuggers).
    name: str = "runner"


class Cancelled(Exception):
    """The caller's cancelled() said stop, or a result stopped the run: unwinds the engines."""


def reason_of(exc: BaseException) -> str:
    """An exception as a one-line reason (its first line, else its type's name)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True)
class Raised:
    """What a worker sends back for an item whose work function raised: the caller's `failed`
    hook (in the calling process) makes the item's result from it."""

    reason: str
