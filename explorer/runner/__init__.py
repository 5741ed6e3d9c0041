"""Run one function over every item (file) of a dataset: in this thread, N processes or a Dask cluster.

The bottom layer, generic: it imports nothing else of explorer (a contract in pyproject.toml).
Export uses it; so will the dataset scan and the feature export. A job is a picklable, module-level
work function and a context (its settings), plus hooks run in the calling process:

    summary = runner.run(items, work, context, jobs=4, progress=on_progress, cancelled=stop.is_set,
                         failed=make_failed_result, cleanup=remove_partial_output)

- `work(item, context, cancelled, threads)` returns a result with `ok`, `reason`, `seconds`
  (`ItemResult` will do); one that raises fails its item with the exception's first line.
- Which items are already done (resume) is the caller's business: it passes only the items to do,
  and `skipped`, how many it left out, for the counts.
- Progress: a RunProgress snapshot after each item, in the calling thread; the summary lists the
  failures. `cancelled()` is polled several times a second; Ctrl+C (KeyboardInterrupt) terminates
  the workers, runs `cleanup` on their items and propagates.
- A worker process that dies fails only the item it was on (`failed(item, reason)`); the rest of
  its items are requeued.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from explorer.runner.chunks import chunks
from explorer.runner.dask import DaskUnavailable, connect, run_dask
from explorer.runner.job import Cancelled, Job, Work
from explorer.runner.pool import (
    DEFAULT_START_METHOD,
    SINGLE_THREAD_START_METHOD,
    WORKER_START_SECONDS,
    run_pool,
)
from explorer.runner.progress import ItemResult, Result, RunProgress, RunSummary, Stops, Tally, item_failed
from explorer.runner.serial import run_here
from explorer.runner.tuning import tune_process

__all__ = ["DEFAULT_START_METHOD", "SINGLE_THREAD_START_METHOD", "WORKER_START_SECONDS",
           "DaskUnavailable", "ItemResult", "Job", "Result", "RunProgress", "RunSummary", "Work",
           "chunks", "connect", "item_failed", "run", "tune_process"]


def run(items: Sequence[Any], work: Work, context: Any = None, *, jobs: int | None = None,
        scheduler=None, progress: Callable[[RunProgress], Any] | None = None,
        cancelled: Callable[[], bool] | None = None, start_method: str | None = None,
        workers_threshold: float = WORKER_START_SECONDS,
        failed: Callable[[Any, str], Any] = item_failed,
        cleanup: Callable[[Any, int], None] | None = None,
        weight: Callable[[Any], int] | None = None, stops: Stops | None = None,
        known: Sequence[Any] = (), skipped: int = 0, name: str = "runner") -> RunSummary:
    """Run `work` over every item; the summary says what came of them.

    jobs: processes (default: one per core, never more than items); 1 runs in the calling thread.
    scheduler: a Dask scheduler address or distributed.Client: the cluster runs the chunks instead.
    start_method: multiprocessing's; "fork" (where the caller runs one thread) starts every worker
    at once; otherwise this process starts on the items and starts workers only when the work left
    is estimated above `workers_threshold` seconds (0: at once).
    failed(item, reason): the result of an item the runner fails itself (worker died, cluster
    error, work raised). cleanup(item, pid): remove what killed worker `pid` left of the item.
    weight(item): its cost, to cut chunks of equal work. stops(result, stopped): a reason when a
    failed result means every later item fails too (disk full): the run stops, said once.
    known: results decided without running (counted first); skipped: items left out as done."""
    job = Job(work, context, failed, cleanup, weight, name)
    tally = Tally(len(items) + len(known), skipped, progress, stops)
    tally.add_all(known)
    jobs = max(1, min(int(jobs or os.cpu_count() or 1), len(items) or 1))
    asked = cancelled

    def stop() -> bool:  # the caller's cancel, or a result that fails every later item
        return tally.stopped or (asked is not None and bool(asked()))

    try:
        if not items:
            pass
        elif scheduler:
            run_dask(items, job, scheduler, tally, stop)
        elif jobs == 1:
            run_here(items, job, tally, stop)
        else:
            run_pool(items, job, jobs, tally, stop, start_method or DEFAULT_START_METHOD,
                     workers_threshold)
    except Cancelled:
        tally.summary.cancelled = not tally.stopped
    return tally.finish()
