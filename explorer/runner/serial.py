"""jobs=1: every item in the calling thread, one after the other (no process, no pipe)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from explorer.runner.job import Cancelled, Job, reason_of
from explorer.runner.progress import Tally


def run_here(items: Sequence[Any], job: Job, tally: Tally, cancelled: Callable[[], bool]) -> None:
    """The work function gets `threads=None` (the item may use every core: nothing else runs).
    Raises Cancelled when cancelled() says so or the work function gives up (InterruptedError)."""
    for item in items:
        if cancelled():
            raise Cancelled
        try:
            result = job.work(item, job.context, cancelled, None)
        except InterruptedError:
            raise Cancelled from None
        except Exception as exc:  # the item fails; the run goes on
            result = job.failed(item, reason_of(exc))
        tally.add(result)
