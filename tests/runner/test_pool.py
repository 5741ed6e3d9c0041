"""The worker processes: forked at once or started only when worth it, a dying worker fails only
its item, a forked worker sees its parent go away, and chunks cover every item in order."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from explorer import runner
from explorer.runner import pool
from explorer.runner.job import Job
from tests.runner.work import Plan, square

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="no fork on this platform")


@needs_fork
def test_forked_workers_do_all_the_work():
    parent = os.getpid()
    summary = runner.run(list(range(40)), square, Plan(), jobs=2, start_method="fork")
    assert summary.succeeded == 40 and not summary.failures
    # (results are not in the summary: collect them through progress in the other tests)
    seen = []
    runner.run(list(range(40)), square, Plan(), jobs=2, start_method="fork",
               progress=lambda p: seen.append(p.result.value))
    assert sorted(w.square for w in seen) == [i * i for i in range(40)]
    assert {w.threads for w in seen} == {1}
    assert parent not in {w.pid for w in seen} and len({w.pid for w in seen}) == 2
    assert not multiprocessing.active_children()


@needs_fork
def test_a_dying_worker_fails_only_its_item_and_the_rest_complete():
    seen, cleaned = [], []
    summary = runner.run(list(range(30)), square, Plan(dies=frozenset({5})), jobs=2,
                         start_method="fork", progress=lambda p: seen.append(p.result),
                         cleanup=lambda item, pid: cleaned.append((item, pid)))
    assert summary.failed == 1 and summary.succeeded == 29 and summary.left == 0
    (dead,) = summary.failures
    assert dead.item == 5 and dead.reason == "the worker died on this file (exit code 7)"
    assert sorted(r.item for r in seen if r.ok) == [i for i in range(30) if i != 5]
    assert [item for item, _ in cleaned] == [5]  # what the dead worker was writing is removed
    assert cleaned[0][1] != os.getpid()
    assert not multiprocessing.active_children()


def test_worker_processes_only_when_worth_starting():
    children = []

    def progress(p):
        children.append(len(multiprocessing.active_children()))

    plan = Plan(sleep=0.1)  # 1.2 s in all: below the 1.5 s start-up estimate
    small = runner.run(list(range(12)), square, plan, jobs=2, progress=progress,
                       start_method=pool.DEFAULT_START_METHOD)
    assert small.succeeded == 12 and max(children) == 0  # done here before workers would be up
    children.clear()
    eager = runner.run(list(range(12)), square, plan, jobs=2, progress=progress,
                       start_method=pool.DEFAULT_START_METHOD, workers_threshold=0)
    assert eager.succeeded == 12 and max(children) > 0
    assert not multiprocessing.active_children()  # and they are gone afterwards


def test_lazy_workers_start_when_the_work_left_is_long():
    """Items of 50 ms, 80 of them (4 s here): the estimate after the first few is well above the
    start-up cost, so workers start and take over."""
    seen = []
    summary = runner.run(list(range(80)), square, Plan(sleep=0.05), jobs=2,
                         progress=lambda p: seen.append(p.result.value.pid),
                         start_method=pool.DEFAULT_START_METHOD)
    assert summary.succeeded == 80
    assert seen[0] == os.getpid() and len(set(seen) - {os.getpid()}) >= 1


@needs_fork
def test_forked_worker_sees_its_parent_go_away():
    """A forked worker holds copies of every pipe end: it must close the parent's, or an idle
    worker whose parent died would wait on its pipe for ever."""
    ctx = multiprocessing.get_context("fork")
    job = Job(square, Plan())
    first = pool._Worker(ctx, job)
    second = pool._Worker(ctx, job, [first])
    for w in (first, second):
        w.conn.close()  # what the parent's death does to its ends
    for w in (first, second):
        w.process.join(timeout=10)
        assert w.process.exitcode == 0, "the idle worker did not see EOF"


def test_chunks_keep_order_and_cover_everything():
    items = list(range(50))
    chunks = runner.chunks(items, 8, max_items=4, weight=lambda i: 100)
    assert [i for c in chunks for i in c] == items
    assert all(1 <= len(c) <= 4 for c in chunks)
    heavy = runner.chunks(items, 5, weight=lambda i: 1000 if i in (0, 20) else 1)
    assert heavy[0] == [0]  # a heavy item ends its chunk: the next one starts afresh
    assert [c for c in heavy if 20 in c][0][-1] == 20
    assert [i for c in heavy for i in c] == items
