"""The analysis process, from the window's side: started on first use (forkserver, as the
runner's workers), kept while idle, replaced if it dies; `run` blocks a pool thread (not the
GUI thread) until the process answers."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from explorer.runner.pool import DEFAULT_START_METHOD
from explorer.ui.analysis import child


class AnalysisProcess:
    """One worker process for the layers and measurements of every window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._running: set[Future] = set()
        #: librosa is imported and its numba code loaded in the current process
        self.warmed = False
        self.started = 0  # processes started (tests)
        self.signals_sent = 0  # signals sent to the process (tests)
        self._sent: tuple[object, object, int] | None = None  # (source, span, number)

    def run(self, fn, *args):
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context(DEFAULT_START_METHOD),
                    initializer=child.init)
                self.warmed = False
                self.started += 1
            executor = self._executor
            future = executor.submit(fn, *args)
            self._running.add(future)
        try:
            return future.result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            raise RuntimeError("the analysis process stopped (out of memory, or killed); "
                               "it starts again on the next request") from None
        finally:
            with self._lock:
                self._running.discard(future)

    def run_layer(self, source, span, signal, feature: str, sr: int, params: dict):
        """child.layer on `signal()` (the samples of `source`, a clip, over `span`), sent to the
        process once: the next layers of the same source and span name it by its number (the
        process answers None when it keeps another: a new process, or another window's clip)."""
        with self._lock:
            sent = self._sent
        if sent is not None and sent[0] is source and sent[1] == span:
            parts = self.run(child.layer_on, sent[2], None, feature, sr, params)
            if parts is not None:
                return parts
        y = signal()
        with self._lock:
            self.signals_sent += 1  # also the signal's number: never reused, unlike id()
            self._sent = (source, span, self.signals_sent)
            number = self.signals_sent
        return self.run(child.layer_on, number, y, feature, sr, params)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._running)

    def stop(self) -> None:
        """Ends the process at once (what it computes is dropped)."""
        with self._lock:
            executor, self._executor = self._executor, None
            self.warmed = False
        if executor is None:
            return
        for process in list((executor._processes or {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)

    def stop_if_busy(self) -> None:
        """A window closing: a long computation must not hold the exit; an idle process stays
        for the next window (it is joined at once at exit)."""
        if self.busy():
            self.stop()


PROCESS = AnalysisProcess()
