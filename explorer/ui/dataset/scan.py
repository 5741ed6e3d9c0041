"""The window's background scan of a folder: the model's `scan_dataset` (worker processes through
the runner, the scan cache) runs in a plain thread; its rows wait in a queue the GUI drains in
batches on a timer, so the GUI thread only ever copies a few rows at a time."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.model.scan import ScanReport, apply_dataset_flags, scan_dataset
from explorer.model.transcripts import find_transcripts
from explorer.runner import RunProgress
from explorer.runner.job import reason_of

#: The scan thread and the worker processes it starts run this much nicer than the GUI: on a
#: 2-core machine two busy workers otherwise take the cores the GUI thread needs to keep up.
NICE = 5

#: The dataset flags (duplicates, outliers, rates) are worked out again at most this often while
#: the scan runs (seconds), and never more than a tenth of the time (they look at every row).
FLAGS_EVERY = 2.0


def scan_jobs() -> int:
    """Worker processes: one per core (the GUI thread only drains a queue, it needs no core)."""
    return max(2, os.cpu_count() or 1)


def lower_priority() -> None:
    """Make the calling thread (on Linux, nice is per thread) and the processes it starts nicer."""
    try:
        os.nice(NICE)
    except (AttributeError, OSError):  # no nice here, or not allowed: only a matter of speed
        pass


class DatasetScan(QObject):
    """One scan of `paths`; `take()` (GUI thread) returns what arrived since its last call:
    ("rows", FileMeasurement), ("transcripts", {path: text}), ("flags", [rows, dataset flags
    set]). `finished` carries the ScanReport (None when the scan failed: `failed` says why)."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, paths: list[Path], root: Path | None, jobs: int | None = None,
                 cache: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = list(paths)
        self.root = root
        self.jobs = jobs or scan_jobs()
        self.cache = cache
        self.done = 0
        self.report: ScanReport | None = None
        self._queue: deque[tuple[str, Any]] = deque()
        self._cancel = threading.Event()
        self._rows: list[Any] = []
        self._next_flags = time.perf_counter() + FLAGS_EVERY
        self.thread = threading.Thread(target=self._run, name="dataset-scan", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def running(self) -> bool:
        return self.thread.is_alive()

    def take(self, limit: int = 5000) -> list[tuple[str, Any]]:
        out = []
        while self._queue and len(out) < limit:
            out.append(self._queue.popleft())
        return out

    # ---- the scan thread --------------------------------------------------------------------
    def _run(self) -> None:
        lower_priority()
        try:
            transcripts = find_transcripts(self.paths, self.root)
            if transcripts:
                self._queue.append(("transcripts", dict(transcripts)))
            report = scan_dataset(self.paths, root=self.root, jobs=self.jobs,
                                  progress=self._progress, cancelled=self._cancel.is_set,
                                  cache=self.cache)
            self._queue.append(("flags", list(report.rows)))
        except Exception as exc:  # said in the window, never lost in a thread
            self.failed.emit(reason_of(exc))
            self.finished.emit(None)
            return
        self.report = report
        self.finished.emit(report)

    def _progress(self, p: RunProgress) -> None:
        self.done = p.done
        row = getattr(p.result, "row", None)
        if row is None:
            return
        self._rows.append(row)
        self._queue.append(("rows", row))
        now = time.perf_counter()
        if now >= self._next_flags and len(self._rows) > 1:
            flagged = apply_dataset_flags(list(self._rows))
            cost = time.perf_counter() - now
            self._queue.append(("flags", flagged))
            self._next_flags = time.perf_counter() + max(FLAGS_EVERY, 10 * cost)
