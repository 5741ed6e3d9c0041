"""The map's heavy work in one child process: importing scikit-learn (or UMAP's numba) in the
window's process held its GIL for up to 0.7 s at a time, stalling the GUI thread, even from a
worker thread. The child lives while the map does, so a second layout starts at once."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from explorer.runner import DEFAULT_START_METHOD

#: The child runs a little nicer than the GUI (a layout is awaited by the user: not the scan's 10,
#: which on a busy machine left it minutes behind).
NICE = 3


def _nice() -> None:
    try:
        os.nice(NICE)
    except (AttributeError, OSError):  # not allowed: only a matter of speed
        pass


class ChildWorker:
    """`run(fn, *args)` calls fn in the child and returns its result (from a job thread: the wait
    releases the GIL); `shutdown()` ends the child, whatever it is doing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def run(self, fn: Callable, *args: Any) -> Any:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context(DEFAULT_START_METHOD)
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_nice)
            pool = self._pool
        return pool.submit(fn, *args).result()

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # a layout still running (UMAP can take a while) is ended
            if process.is_alive():
                process.terminate()
            process.join(2)
