"""The window's background scan of a folder: a child process runs the model's scan
(`child.scan_in_child`); a plain thread here reads its queue into a deque the GUI drains in
batches on a timer, so the GUI thread only ever copies a few rows at a time."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.runner import DEFAULT_START_METHOD
from explorer.ui.dataset.child import ScanEnd, scan_in_child


def scan_jobs() -> int:
    """Worker processes: one per core (the GUI thread only drains a queue, it needs no core)."""
    return max(2, os.cpu_count() or 1)


class DatasetScan(QObject):
    """One scan of `paths`; `take()` (GUI thread) returns what arrived since its last call:
    ("rows", [FileMeasurement]), ("transcripts", {path: text}), ("flags", [every row so far,
    dataset flags set]). `finished` carries a ScanEnd (None when the scan failed: `failed` says
    why)."""

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
        self.end: ScanEnd | None = None
        self._queue: deque[tuple[str, Any]] = deque()
        # the process, its queue and cancel event are made by the reading thread: a first
        # multiprocessing Event starts the resource tracker (~20 ms of the GUI thread)
        self._stop = threading.Event()
        self._cancel: Any = None  # multiprocessing Event, once made
        self.process: Any = None
        self.thread = threading.Thread(target=self._read, name="dataset-scan", daemon=True)

    def start(self) -> None:
        self.thread.start()  # which starts the process: a forkserver's first start blocks ~0.3 s

    def cancel(self) -> None:
        self._stop.set()
        if self._cancel is not None:
            self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 1.0) -> None:
        """Cancel and wait for the end; a child still measuring (a long file is measured whole)
        is terminated after `timeout`: closing the window must not wait for it."""
        self.cancel()
        self.thread.join(timeout)
        process = self.process
        if process is not None and process.pid is not None and process.is_alive():
            process.terminate()
            process.join(2)

    def take(self, limit: int = 5000) -> list[tuple[str, Any]]:
        out = []
        while self._queue and len(out) < limit:
            out.append(self._queue.popleft())
        return out

    # ---- the reading thread -----------------------------------------------------------------
    def _read(self) -> None:
        try:
            ctx = multiprocessing.get_context(DEFAULT_START_METHOD)
            self._cancel = ctx.Event()
            if self._stop.is_set():
                self._cancel.set()
            self._out = ctx.Queue()
            self.process = ctx.Process(
                target=scan_in_child, name="dataset-scan",
                args=([str(p) for p in self.paths], str(self.root) if self.root else None,
                      self.jobs, self.cache, self._out, self._cancel))
            self.process.start()
        except Exception as exc:  # no process can be started here: said in the window
            self._fail(f"cannot start the scan: {exc}")
            return
        parts: dict[str, list] = {}  # a big message's chunks (child.send_chunked), gathered
        while True:
            try:
                kind, value = self._out.get(timeout=0.2)
            except queue.Empty:
                if not self.process.is_alive():
                    self._fail(f"the scan process ended (exit code {self.process.exitcode})")
                    return
                continue
            if kind.endswith("+"):
                parts.setdefault(kind[:-1], []).extend(value)
                continue
            if value is None and kind in ("flags", "end-rows", "end-vectors"):
                parts.setdefault(kind, [])  # all of it has come
                if kind == "flags":
                    self._queue.append(("flags", parts.pop("flags")))
                continue
            if kind == "rows":
                self.done += len(value)
            elif kind == "transcripts":
                value = {Path(k): v for k, v in value.items()}
            elif kind == "error":
                self._fail(value)
                return
            elif kind == "end":
                value = replace(value, rows=parts.pop("end-rows", value.rows),
                                vectors=dict(parts.pop("end-vectors", ())) or value.vectors)
                self._queue.append(("flags", value.rows))
                self.end = value
                self.process.join(5)
                self._say(self.finished, value)
                return
            self._queue.append((kind, value))

    def _fail(self, reason: str) -> None:
        if self.process is not None and self.process.pid is not None:
            self.process.join(1)
        self._say(self.failed, reason)
        self._say(self.finished, None)

    @staticmethod
    def _say(signal, value) -> None:
        """Emit, unless the window (and this object's C++ side) is gone already."""
        try:
            signal.emit(value)
        except RuntimeError:  # "Signal source has been deleted": nobody is listening
            pass
