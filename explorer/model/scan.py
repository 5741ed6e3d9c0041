"""A dataset scan: every file measured (`measure_one`, through `explorer.runner`), transcripts
attached, and the flags only the whole dataset can decide (odd rate or channels, duration
outliers, duplicates). `audio-explorer scan` and the window's Dataset view both run this.

    report = scan_dataset(scan_folder(src, recursive=True), root=src, jobs=4, progress=on_progress)
    report.rows          # FileMeasurement per file, in the order given
    report.summary()     # counts for a summary line
    report.vectors       # path -> feature vector (the dataset map; not a report column)

Unchanged files (same path, size and mtime) come from the scan cache (`scan_cache`) instead of
being decoded again; the transcripts and dataset-level flags are always recomputed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from explorer import runner
from explorer.model.measure import DATASET_FLAGS, FileMeasurement
from explorer.model.scan_cache import ScanCache
from explorer.model.similarity import NEAR_DUPLICATE_DISTANCE, near_duplicates_of
from explorer.model.transcripts import find_transcripts
from explorer.runner import RunProgress

#: Tukey's fences: a duration beyond 1.5 IQR outside the quartiles is an outlier.
DURATION_IQR = 1.5
#: Quartiles of fewer readable files say nothing about what is "usual".
MIN_FILES_FOR_OUTLIERS = 4


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _plurality(values: list) -> Any:
    """The single most common value, or None on a tie (a mixed dataset has no odd one out)."""
    counts = Counter(values).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def apply_dataset_flags(rows: Sequence[FileMeasurement], vectors: dict[str, np.ndarray] | None = None,
                        near_threshold: float = NEAR_DUPLICATE_DISTANCE) -> list[FileMeasurement]:
    """The rows with their dataset-level flags (rate_differs, channels_differ, duration_outlier,
    duplicate and duplicate_of; near_duplicate when `vectors` are given) recomputed from these
    rows alone; pure, so the window can call it again as rows arrive."""
    good = [r for r in rows if not r.error]
    rate = _plurality([r.sample_rate for r in good])
    channels = _plurality([r.channels for r in good])
    low = high = None
    if len(good) >= MIN_FILES_FOR_OUTLIERS:
        q1, q3 = np.percentile([r.duration for r in good], [25, 75])
        low, high = q1 - DURATION_IQR * (q3 - q1), q3 + DURATION_IQR * (q3 - q1)
    first: dict[str, str] = {}
    near: dict[str, str] = {}
    if vectors:
        near = near_duplicates_of([r.path for r in good], vectors, near_threshold,
                                  exact={r.path: r.audio_hash for r in good})
    out = []
    for r in rows:
        flags = [f for f in r.flag_list if f not in DATASET_FLAGS]
        duplicate_of = ""
        if not r.error:
            if rate is not None and r.sample_rate != rate:
                flags.append("rate_differs")
            if channels is not None and r.channels != channels:
                flags.append("channels_differ")
            if low is not None and not (low <= r.duration <= high):
                flags.append("duration_outlier")
            if r.audio_hash:
                if r.audio_hash in first:
                    duplicate_of = first[r.audio_hash]
                    flags.append("duplicate")
                else:
                    first[r.audio_hash] = r.path
            if r.path in near:
                flags.append("near_duplicate")
        out.append(replace(r, duplicate_of=duplicate_of).with_flags(flags))
    return out


@dataclass(frozen=True)
class ScanSummary:
    """What a summary line says: files, hours, rates, channels, flags, unreadable files."""

    files: int
    total_seconds: float
    rates: dict[int, int]
    channels: dict[int, int]
    flags: dict[str, int]
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as lines of text (what `audio-explorer scan` prints)."""
        def counts(d: dict, unit: str) -> str:
            return ", ".join(f"{k}{unit}: {v}" for k, v in d.items()) or "none"

        hours = self.total_seconds / 3600
        out = [f"files: {self.files}",
               f"total duration: {self.total_seconds:.1f} s ({hours:.2f} h)",
               f"sample rates: {counts(self.rates, ' Hz')}",
               f"channels: {counts(self.channels, '')}",
               f"flags: {counts(self.flags, '')}",
               f"unreadable: {len(self.unreadable)}"]
        out += [f"  {path}: {error}" for path, error in self.unreadable]
        return out


@dataclass
class ScanReport:
    """The rows of a scan (in the order of the paths given) and how the scan went."""

    rows: list[FileMeasurement]
    cancelled: bool = False
    seconds: float = 0.0
    #: rows that came from the cache instead of a decode
    cached: int = 0
    #: each readable file's feature vector for the dataset map (`explorer.model.vectors`), by
    #: path; beside the rows, not a report column
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def unreadable(self) -> list[FileMeasurement]:
        return [r for r in self.rows if r.error]

    def summary(self) -> ScanSummary:
        good = [r for r in self.rows if not r.error]
        flags: Counter = Counter()
        for r in self.rows:
            flags.update(r.flag_list)
        from explorer.model.measure import ALL_FLAGS

        return ScanSummary(
            files=len(self.rows), total_seconds=float(sum(r.duration or 0.0 for r in good)),
            rates=dict(sorted(Counter(r.sample_rate for r in good).items())),
            channels=dict(sorted(Counter(r.channels for r in good).items())),
            flags={f: flags[f] for f in ALL_FLAGS if flags[f]},
            unreadable=[(r.path, r.error) for r in self.rows if r.error])


def scan_dataset(paths: Sequence[str | Path], *, root: str | Path | None = None, jobs: int | None = None,
                 scheduler=None, progress: Callable[[RunProgress], Any] | None = None,
                 cancelled: Callable[[], bool] | None = None, cache: bool = True,
                 cache_dir: str | Path | None = None, **options) -> ScanReport:
    """Measure every path (jobs processes, 1: this thread; or a Dask `scheduler`), reusing the
    cache for unchanged files. `progress` gets a RunProgress after each file (cached ones first)
    whose `result` is a `scan_work.ScanResult` (`.item` the path, `.row` the file-level row);
    `cancelled()` stops the scan and the report holds the rows measured so far.
    options: `runner.run`'s (start_method...)."""
    start = time.perf_counter()
    names = [str(p) for p in paths]
    store = ScanCache(cache_dir) if cache else None
    # a cached row without its vector (an older scan's) is measured again
    hits = {n: e for n, e in (store.entries(names) if store is not None else {}).items()
            if e[1] is not None}
    todo = [n for n in names if n not in hits]
    rows: dict[str, FileMeasurement] = {}
    vectors: dict[str, np.ndarray] = {}

    def collect(p: RunProgress) -> None:
        result = p.result
        if result is not None:
            rows[result.item] = result.row
            if getattr(result, "vector", None) is not None:
                vectors[result.item] = result.vector
        if progress is not None:
            progress(p)

    from explorer.model.scan_work import ScanResult, failed, measure_item  # numeric libraries

    known = [ScanResult(n, True, None, 0.0, hits[n][0], cached=True, vector=hits[n][1])
             for n in names if n in hits]
    summary = runner.run(todo, measure_item, None, jobs=jobs, scheduler=scheduler, progress=collect,
                         cancelled=cancelled, failed=failed, weight=_size, known=known,
                         name="audio-explorer-scan", **options)
    if store is not None:
        store.put((r for n, r in rows.items() if n not in hits), vectors)
    ordered = [rows[n] for n in names if n in rows]
    texts = find_transcripts([Path(r.path) for r in ordered], root)
    ordered = [replace(r, transcript=texts.get(Path(r.path), "")) for r in ordered]
    return ScanReport(apply_dataset_flags(ordered, vectors), cancelled=summary.cancelled,
                      seconds=time.perf_counter() - start, cached=len(known), vectors=vectors)
