"""Model work off the GUI thread: a QThreadPool, one signal per result, generation counters.

Every job belongs to a *channel* ("load", "spectrogram", ...). Submitting a job on a channel makes
every earlier job on that channel stale: a stale job that has not started yet is skipped, and the
result of one that was already running is dropped instead of being shown late.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_niced = threading.local()


def lower_thread_priority(nice: int) -> None:
    """Adds `nice` to the calling thread's niceness, once per thread, so that the GUI thread
    wins the CPU from background work (Linux per-thread nice; elsewhere nothing happens). For
    threads of a pool that runs nothing else."""
    if getattr(_niced, "done", False):
        return
    _niced.done = True
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + nice)
    except (AttributeError, OSError):
        pass


class _Signals(QObject):
    done = Signal(str, int, object, float)  # channel, generation, result, seconds
    failed = Signal(str, int, object, float)  # channel, generation, exception, seconds


class _Job(QRunnable):
    def __init__(self, runner: Jobs, channel: str, generation: int, fn: Callable, args, kwargs):
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._channel = channel
        self._generation = generation
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._signals = runner._signals

    def run(self) -> None:  # worker thread
        if not self._runner.is_current(self._channel, self._generation):
            return  # the user moved on before this started
        start = time.perf_counter()
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Exception as exc:  # report every failure; the app goes on
            exc.traceback_text = traceback.format_exc()
            self._signals.failed.emit(self._channel, self._generation, exc,
                                      time.perf_counter() - start)
            return
        self._signals.done.emit(self._channel, self._generation, result,
                                time.perf_counter() - start)


class Jobs(QObject):
    """Runs callables in a thread pool and delivers only current results, on the GUI thread."""

    #: channel, result, seconds the work took
    finished = Signal(str, object, float)
    #: channel, exception, seconds
    error = Signal(str, object, float)

    def __init__(self, parent: QObject | None = None, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads:
            self._pool.setMaxThreadCount(max_threads)
        self._generations: dict[str, int] = {}
        self._callbacks: dict[tuple[str, int], tuple[Callable | None, Callable | None]] = {}
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self.dropped = 0  # stale results thrown away (for tests and curiosity)

    def submit(self, channel: str, fn: Callable, *args: Any,
               on_done: Callable | None = None, on_error: Callable | None = None,
               **kwargs: Any) -> int:
        generation = self._generations.get(channel, 0) + 1
        self._generations[channel] = generation
        self._callbacks = {k: v for k, v in self._callbacks.items() if k[0] != channel}
        self._callbacks[(channel, generation)] = (on_done, on_error)
        self._pool.start(_Job(self, channel, generation, fn, args, kwargs))
        return generation

    def cancel(self, channel: str) -> None:
        """Makes every job on the channel stale."""
        self._generations[channel] = self._generations.get(channel, 0) + 1
        self._callbacks = {k: v for k, v in self._callbacks.items() if k[0] != channel}

    def is_current(self, channel: str, generation: int) -> bool:
        return self._generations.get(channel) == generation

    def generation(self, channel: str) -> int:
        return self._generations.get(channel, 0)

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def active(self) -> int:
        return self._pool.activeThreadCount()

    def _on_done(self, channel: str, generation: int, result: object, seconds: float) -> None:
        if not self.is_current(channel, generation):
            self.dropped += 1
            return
        on_done, _ = self._callbacks.pop((channel, generation), (None, None))
        if on_done is not None:
            on_done(result, seconds)
        self.finished.emit(channel, result, seconds)

    def _on_failed(self, channel: str, generation: int, exc: object, seconds: float) -> None:
        if not self.is_current(channel, generation):
            self.dropped += 1
            return
        _, on_error = self._callbacks.pop((channel, generation), (None, None))
        if on_error is not None:
            on_error(exc, seconds)
        self.error.emit(channel, exc, seconds)
