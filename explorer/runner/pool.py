"""Worker processes: up to N, each fed chunks of consecutive items over its own pipe.

Why not `concurrent.futures.ProcessPoolExecutor`: not for speed. bench/runner_engines.py (2000
clips of 3.8 s to PNG, --jobs 2, forked workers, same chunks, the executor in its best case of one
future per chunk; a 2-core machine shared with other jobs, 6 rounds) gave this pool 7.1-20.1 s wall,
10.0-13.4 s CPU, and the executor 6.6-17.6 s wall, 9.5-13.6 s CPU: the same within noise. The pool
stays for what it does and the executor does not:
- a worker that dies (killed, out of memory, a crash in a C library) fails only the item it was
  on: its other items are requeued and a fresh worker starts. The executor's BrokenProcessPool
  fails every pending future, so one bad file would end the whole run (multiprocessing.Pool
  instead waits for ever on the lost task);
- cancel and Ctrl+C terminate the workers at once and remove what they were writing (the job's
  `cleanup` hook, by pid); the executor can only cancel futures that have not started;
- progress per item, not per chunk (results come back one by one over the pipe);
- in the window, the calling process starts on the items at once and starts workers (forkserver)
  only when the work left is worth their start-up; the CLI forks them at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import platform
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from explorer.runner.chunks import chunks
from explorer.runner.job import Cancelled, Job, Raised, reason_of
from explorer.runner.progress import Tally
from explorer.runner.tuning import tune_process

#: forkserver starts workers by forking a warm server (no re-import per worker); spawn elsewhere.
#: A frozen (PyInstaller) app can only spawn: its executable re-enters through freeze_support().
DEFAULT_START_METHOD = ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                        and not getattr(sys, "frozen", False) else "spawn")
#: Where the caller is known to run one thread (the CLI) on Linux, workers are forked copies of
#: it: they start in milliseconds, not the ~0.4 s of a forkserver's fresh interpreter. Never in
#: the window (Qt's threads make fork unsafe) nor in a frozen app.
SINGLE_THREAD_START_METHOD = ("fork" if platform.system() == "Linux"
                              and not getattr(sys, "frozen", False) else DEFAULT_START_METHOD)
#: The pool collects results at most this often (seconds): waking per file cost the parent
#: ~0.3 s of CPU per 1000 files, taken from the workers on a 2-core machine.
COLLECT_INTERVAL = 0.02
#: About what starting the worker processes costs (a new interpreter importing numpy,
#: on a loaded 2-core machine). This process keeps working meanwhile, so workers pay off when
#: the work left exceeds it: a run expected to end sooner in this process starts none.
WORKER_START_SECONDS = 1.5
#: What a forkserver imports once, before forking workers, besides the work function's module.
PRELOAD = ("threadpoolctl",)


def _terminate_handler(signum, frame):  # pragma: no cover - runs in the worker processes
    raise SystemExit(128 + signum)


def _worker_main(conn, work: Callable, context: Any,
                 inherited: Sequence[int] = ()) -> None:  # pragma: no cover - worker processes
    """A worker process. Ctrl+C is the parent's to handle; SIGTERM (the parent cancelling) unwinds
    so that what the item was writing is removed. `inherited`: the parent's ends of the pipes (a
    forked worker holds copies), closed so that each pipe sees EOF when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate_handler)
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    tune_process()
    parent = os.getppid()
    _serve(conn, work, context, lambda: os.getppid() != parent)


def _serve(conn, work: Callable, context: Any, stop: Callable[[], bool]) -> None:
    """Items arrive in chunks over conn; one result goes back per item (Raised when the work
    function raised). Stops at None, at a closed pipe, or when stop() (the parent died, or
    cancelled) -- never in the middle of an item."""
    try:
        while True:
            try:
                chunk = conn.recv()
            except (EOFError, OSError):
                return
            if chunk is None:
                return
            for item in chunk:
                if stop():
                    return
                try:
                    result = work(item, context, stop, 1)
                except InterruptedError:
                    return
                except Exception as exc:  # the item fails; the worker goes on
                    result = Raised(reason_of(exc))
                conn.send(result)
    except (SystemExit, KeyboardInterrupt, BrokenPipeError, EOFError):
        return
    finally:
        with contextlib.suppress(OSError):
            conn.close()


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored for a moment (main thread only: elsewhere there is no Ctrl+C to fear). A
    child started meanwhile inherits the ignored disposition across exec and keeps it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class _Worker:
    def __init__(self, ctx, job: Job, siblings: Sequence[_Worker] = ()) -> None:
        self.job = job
        self.conn, child = ctx.Pipe(duplex=True)
        inherited: list[int] = []
        if ctx.get_start_method() == "fork":  # the child gets every fd of ours: list the pipes'
            inherited = [self.conn.fileno()] + [w.conn.fileno() for w in siblings
                                                 if not w.conn.closed]
        self.process = ctx.Process(target=_worker_main, args=(child, job.work, job.context, inherited),
                                   daemon=True, name=f"{job.name}-worker")
        self.process.start()
        child.close()
        self.inflight: deque[Any] = deque()
        self.sentinel = self.process.sentinel

    def alive(self) -> bool:
        return self.process.is_alive()

    def send(self, chunk: list[Any]) -> None:
        self.conn.send(chunk)
        self.inflight.extend(chunk)

    def stop(self, terminate: bool) -> None:
        if not terminate:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self.conn.close()
        if terminate:  # belt and braces: a worker killed before it could clean up after itself
            self.clean(self.inflight)

    def clean(self, items) -> None:
        if self.job.cleanup is not None:
            for item in items:
                self.job.cleanup(item, self.process.pid)


def _start_context(method: str, preload: Sequence[str]):
    """The multiprocessing context; with forkserver, its server is started now, Ctrl+C ignored, so
    that it and every worker forked from it ignore Ctrl+C (the parent handles it: no tracebacks
    from children). Starting the server returns at once; it imports `preload` meanwhile."""
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        ctx.set_forkserver_preload(list(preload))
        with _sigint_ignored():
            forkserver.ensure_running()
    return ctx


class _ThreadWorker(_Worker):
    """The calling process's share of the work, on a thread that looks like a worker process."""

    def __init__(self, job: Job) -> None:
        import multiprocessing.connection as mpc

        self.job = job
        self.conn, child = mpc.Pipe(duplex=True)
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=_serve,
                                       args=(child, job.work, job.context, self.cancel.is_set),
                                       name=f"{job.name}-local-worker", daemon=True)
        self.thread.start()
        self.inflight = deque()
        self.sentinel = None

    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, terminate: bool) -> None:
        if terminate:
            self.cancel.set()
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.thread.join()
        with contextlib.suppress(OSError):
            self.conn.close()

    def clean(self, items) -> None:  # a thread unwinds: what it wrote is cleaned up already
        pass


class _Starter(threading.Thread):
    """Starts worker processes off the calling thread: a new interpreter takes about a second to
    import numpy, and the calling process works on items meanwhile."""

    def __init__(self, ctx, job: Job, count: int) -> None:
        super().__init__(name=f"{job.name}-worker-starter", daemon=True)
        self.ctx, self.job, self.count = ctx, job, count
        self.started: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for _ in range(self.count):
                if self.stopping.is_set():
                    return
                self.started.put(_Worker(self.ctx, self.job))
        except BaseException as exc:  # reported by the calling thread
            self.error = exc


def run_pool(items: Sequence[Any], job: Job, jobs: int, tally: Tally,
             cancelled: Callable[[], bool] | None, method: str, threshold: float) -> None:
    """Up to `jobs` worker processes, each fed chunks of consecutive items over its own pipe.

    With fork, the workers start at once (milliseconds each) and do all the work. Otherwise this
    process starts on the items at once, on a thread, one chunk at a time; from its first items it
    estimates the time left and starts the workers only if that is well above what starting them
    costs (138 clips of 4 s finish in this process before workers would be up). It stops taking
    chunks once all the workers are up (sharing the work with them for good slows them down:
    measured). Raises Cancelled when cancelled() says so; the workers are then terminated."""
    from multiprocessing.connection import wait

    pending: deque[list[Any]] = deque(chunks(items, jobs * 8, max_items=32, weight=job.weight))
    ctx = None
    starter: _Starter | None = None
    workers: list[_Worker] = []
    local: _ThreadWorker | None = None
    local_seconds: list[float] = []
    begin = time.perf_counter()
    clean = False

    def new_worker() -> _Worker:
        return _Worker(ctx, job, workers)

    def top_up(w: _Worker) -> None:
        if w is local:
            if pending and not w.inflight and len(workers) <= jobs and local.alive():
                w.send(pending.popleft())
            return
        while pending and len(w.inflight) <= 16:
            w.send(pending.popleft())

    def worth_starting() -> bool:
        if not pending:
            return False
        if threshold <= 0:
            return True
        if len(local_seconds) < 4:  # the first item pays this process's imports: not a measure
            return time.perf_counter() - begin > threshold
        per_item = sum(local_seconds[1:]) / (len(local_seconds) - 1)
        left = len(items) - tally.done
        return per_item * left > threshold

    try:
        if method == "fork":  # before any thread of ours exists
            ctx = multiprocessing.get_context("fork")
            with _sigint_ignored():
                for _ in range(jobs):
                    workers.append(new_worker())
                    top_up(workers[-1])
        else:
            local = _ThreadWorker(job)
            workers.append(local)
            top_up(local)
        while pending or any(w.inflight for w in workers):
            if cancelled is not None and cancelled():
                raise Cancelled
            if starter is None and local is not None and worth_starting():
                ctx = _start_context(method, (job.work.__module__, *PRELOAD))
                starter = _Starter(ctx, job, jobs)
                starter.start()
            if starter is not None:
                while not starter.started.empty():
                    workers.append(starter.started.get())
                    top_up(workers[-1])
                if starter.error is not None:
                    raise starter.error
            if local is not None:
                top_up(local)
            busy = [w for w in workers if w.inflight]
            handles = [w.conn for w in busy] + [w.sentinel for w in busy if w.sentinel is not None]
            woke = time.perf_counter()
            ready = wait(handles, timeout=0.1) if handles else []
            if not handles:
                time.sleep(0.02)  # workers still starting
            for w in busy:
                if w.conn in ready or (w.sentinel is not None and w.sentinel in ready):
                    before = tally.done
                    replacement = _collect(w, new_worker if ctx is not None else None, tally,
                                           pending)
                    if w is local:
                        local_seconds.extend(r.seconds for r in tally.recent(tally.done - before))
                    if replacement is not None:
                        workers[workers.index(w)] = replacement
                        w = replacement
                    top_up(w)
            if local is None or len(workers) > jobs:  # no local thread waiting for its next chunk
                time.sleep(max(0.0, COLLECT_INTERVAL - (time.perf_counter() - woke)))
        clean = True
    finally:
        if starter is not None:
            starter.stopping.set()
            starter.join()
            while not starter.started.empty():
                workers.append(starter.started.get())
        for w in workers:
            w.stop(terminate=not clean)


def _collect(w: _Worker, new_worker: Callable[[], _Worker] | None, tally: Tally,
             pending: deque[list[Any]]) -> _Worker | None:
    """Read what worker w has sent; if it died, fail the item it was on, requeue the rest of its
    items one by one and return a fresh worker (from new_worker, when processes are in use)."""
    try:
        while w.inflight and w.conn.poll():
            result = w.conn.recv()
            item = w.inflight.popleft()
            tally.add(w.job.failed(item, result.reason) if isinstance(result, Raised) else result)
        if w.alive() or not w.inflight:
            return None
    except (EOFError, OSError):
        pass
    code = "?"
    if isinstance(w, _ThreadWorker):
        w.thread.join(timeout=5)
    else:
        w.process.join(timeout=5)
        code = w.process.exitcode
    crashed = w.inflight.popleft()
    w.clean([crashed])
    tally.add(w.job.failed(crashed, f"the worker died on this file (exit code {code})"))
    pending.extendleft([item] for item in reversed(w.inflight))
    w.inflight.clear()
    w.stop(terminate=True)
    if not pending or new_worker is None:
        return None
    return new_worker()
