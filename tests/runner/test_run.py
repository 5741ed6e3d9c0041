"""runner.run with a trivial work function: every result arrives, failures are listed, cancel
stops early, progress counts, jobs=1 runs in the calling thread, Ctrl+C cleans up."""

from __future__ import annotations

import multiprocessing
import os
import threading

import pytest

from explorer import runner
from explorer.runner import pool
from tests.runner.work import Plan, square

METHODS = ["fork", pool.DEFAULT_START_METHOD] if pool.DEFAULT_START_METHOD != "fork" else ["fork"]
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="no fork on this platform")


@pytest.mark.parametrize("method", [m for m in METHODS if m in multiprocessing.get_all_start_methods()])
def test_every_result_arrives_once(method):
    seen = []
    summary = runner.run(list(range(100)), square, Plan(), jobs=2, start_method=method,
                         workers_threshold=0, progress=seen.append)
    assert sorted(p.result.value.square for p in seen) == [i * i for i in range(100)]
    assert [p.done for p in seen] == list(range(1, 101))
    assert (summary.total, summary.succeeded, summary.failed, summary.left) == (100, 100, 0, 0)
    assert not summary.cancelled and summary.stopped is None
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("jobs", [1, 2])
def test_failing_items_are_listed_and_the_rest_goes_on(jobs):
    plan = Plan(raises=frozenset({3}), fails=frozenset({7}))
    summary = runner.run(list(range(20)), square, plan, jobs=jobs, workers_threshold=0)
    assert (summary.succeeded, summary.failed, summary.left) == (18, 2, 0)
    reasons = {r.item: r.reason for r in summary.failures}
    assert reasons == {3: "boom 3", 7: "no square for 7"}  # a raise: its first line


def test_jobs_1_runs_in_the_calling_thread_with_every_thread_allowed():
    seen = []
    summary = runner.run([2, 3], square, Plan(), jobs=1, progress=lambda p: seen.append(p.result.value))
    assert summary.succeeded == 2
    assert [(w.square, w.pid, w.thread, w.threads) for w in seen] == [
        (4, os.getpid(), threading.get_ident(), None), (9, os.getpid(), threading.get_ident(), None)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_stops_early(jobs):
    seen = []
    summary = runner.run(list(range(200)), square, Plan(sleep=0.02), jobs=jobs,
                         progress=seen.append, cancelled=lambda: len(seen) >= 5, workers_threshold=0)
    assert summary.cancelled and summary.stopped is None
    assert 5 <= summary.succeeded < 100
    assert summary.left == 200 - summary.succeeded
    assert not multiprocessing.active_children()


def test_progress_counts_known_results_and_skipped_items():
    seen = []
    known = [runner.ItemResult("bad", False, "decided before running")]
    summary = runner.run([1, 2, 3], square, Plan(), jobs=1, known=known, skipped=6,
                         progress=seen.append)
    assert [(p.done, p.total, p.succeeded, p.failed, p.skipped) for p in seen] == [
        (1, 4, 0, 1, 6), (2, 4, 1, 1, 6), (3, 4, 2, 1, 6), (4, 4, 3, 1, 6)]
    assert seen[0].result is known[0]
    assert all(p.elapsed >= 0 and p.rate >= 0 for p in seen)
    assert seen[-1].remaining_seconds == 0
    assert (summary.total, summary.succeeded, summary.failed, summary.skipped) == (10, 3, 1, 6)
    assert summary.failures == known


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_result_that_fails_everything_stops_the_run_once(jobs):
    """`stops` flags the first failure as a wall (disk full): the run stops there; the wall is
    said once, in the summary, and the failures still in flight (flagged again) are not counted."""
    calls = []

    def stops(result, stopped):
        calls.append(stopped)
        return "again" if stopped else f"the wall at {result.item}"

    seen = []
    summary = runner.run(list(range(40)), square, Plan(fails=frozenset(range(4, 40))), jobs=jobs,
                         start_method="fork", workers_threshold=0, stops=stops, progress=seen.append)
    assert summary.stopped.startswith("the wall at ") and not summary.cancelled
    assert calls[0] is False and all(calls[1:])
    assert summary.failed == 0 and not summary.failures
    assert all(p.result.ok for p in seen) and len(seen) == summary.succeeded
    if jobs == 1:  # nothing in flight: it stops at the first failure
        assert (summary.stopped, calls, summary.succeeded) == ("the wall at 4", [False], 4)
    assert summary.succeeded <= 4 and summary.left == 40 - summary.succeeded


@needs_fork
def test_ctrl_c_terminates_the_workers_cleans_up_and_propagates():
    cleaned = []

    def progress(p):
        if p.done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(list(range(200)), square, Plan(sleep=0.02), jobs=2, start_method="fork",
                   progress=progress, cleanup=lambda item, pid: cleaned.append((item, pid)))
    assert not multiprocessing.active_children()
    assert cleaned and all(pid != os.getpid() for _, pid in cleaned)  # items in flight


def test_nothing_to_do():
    summary = runner.run([], square, Plan(), skipped=5)
    assert (summary.total, summary.skipped, summary.succeeded, summary.left) == (5, 5, 0, 0)
