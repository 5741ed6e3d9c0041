"""The scan's work per file, for `explorer.runner`: importing this module imports the numeric
libraries a measurement needs, so a forkserver loads them once and forked workers inherit them
(scipy.signal alone takes ~0.5 s to import: paid per worker otherwise)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from explorer.model import measure, vectors
from explorer.model.measure import FileMeasurement

measure.preload()
vectors.preload()


@dataclass(frozen=True)
class ScanResult:
    """The runner's result of one file: its row (an unreadable file is a failed item)."""

    item: str
    ok: bool
    reason: str | None
    seconds: float
    row: FileMeasurement
    cached: bool = False
    #: the clip's feature vector for the dataset map (`explorer.model.vectors`), None if unreadable
    vector: np.ndarray | None = None


def measure_item(path: str, context: Any, cancelled: Callable[[], bool] | None,
                 threads: int | None) -> ScanResult:
    """The runner's work function: one path (a string: light to send to a worker)."""
    start = time.perf_counter()
    row, vector = measure.measure_file(path)
    return ScanResult(path, not row.error, row.error or None, time.perf_counter() - start, row,
                      vector=vector)


def failed(path: str, reason: str) -> ScanResult:
    """A file the runner failed itself (its worker died on it, the cluster lost it)."""
    row = FileMeasurement(path=str(path), error=reason).with_flags(["unreadable"])
    return ScanResult(path, False, reason, 0.0, row)
