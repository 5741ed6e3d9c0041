"""The window's scan in a child process: the model's `scan_dataset` (and its own worker
processes) run there, and the rows come back in batches through a queue. Nothing of the scan
then holds the GUI process's GIL: measuring a long file in the GUI process (the runner measures
the first items in its calling process) stalled the window ~250 ms."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The scan process runs this much nicer than the GUI (and so do the workers it starts): on a
#: 2-core machine busy workers otherwise take the cores the GUI thread needs to keep up.
NICE = 10
#: Rows are sent back at most this often (seconds): one message per row costs the GUI's reader.
SEND_EVERY = 0.05
#: Rows (or vectors) per message at most: the window's reading thread unpickles a message in one
#: C call that holds the GIL, and so stops the GUI thread (10,000 rows and their vectors at
#: once: ~55 ms; 500: ~3 ms).
CHUNK = 500
#: The dataset flags are worked out again at most this often while the scan runs (seconds), and
#: never more than a tenth of the time (they look at every row).
FLAGS_EVERY = 2.0


@dataclass(frozen=True)
class ScanEnd:
    """How a scan ended: cancelled or not, and every row it has (dataset flags set)."""

    cancelled: bool
    rows: list
    #: each readable file's feature vector (the dataset map), by path
    vectors: dict = field(default_factory=dict)


def send_rows(out: Any, rows: list, kind: str = "rows") -> None:
    """`rows` as (kind, at most CHUNK rows) messages (each is taken as it comes)."""
    for i in range(0, len(rows), CHUNK):
        out.put((kind, rows[i:i + CHUNK]))


def send_chunked(out: Any, kind: str, items: list) -> None:
    """`items` as (kind + "+", at most CHUNK items) messages, then (kind, None): all sent,
    gathered by the reader before use."""
    send_rows(out, items, f"{kind}+")
    out.put((kind, None))


def in_listing_order(rows: list, order: dict[str, int]) -> list:
    """Rows in the folder's order: `duplicate_of` names the first file of the listing."""
    return sorted(rows, key=lambda r: order.get(r.path, len(order)))


def scan_in_child(paths: list[str], root: str | None, jobs: int, cache: bool, out: Any,
                  cancel: Any) -> None:
    """The child process: transcripts first, then rows in batches, the flagged rows, the end;
    an exception is sent as ("error", reason). Small files first (the runner's own process
    measures the first items while its workers start)."""
    from explorer.model.scan import apply_dataset_flags, scan_dataset
    from explorer.model.transcripts import find_transcripts
    from explorer.runner.job import reason_of

    try:
        os.nice(NICE)
    except (AttributeError, OSError):  # not allowed: only a matter of speed
        pass
    try:
        order = {p: i for i, p in enumerate(paths)}
        texts = find_transcripts([Path(p) for p in paths], Path(root) if root else None)
        if texts:
            out.put(("transcripts", {str(k): v for k, v in texts.items()}))
        rows: list = []
        vectors: dict = {}
        batch: list = []
        state = {"sent": time.perf_counter(), "flags": time.perf_counter() + FLAGS_EVERY}

        def progress(p) -> None:
            row = getattr(p.result, "row", None)
            if row is not None:
                rows.append(row)
                batch.append(row)
            vector = getattr(p.result, "vector", None)
            if vector is not None:
                vectors[p.result.item] = vector
            now = time.perf_counter()
            if batch and now - state["sent"] >= SEND_EVERY:
                send_rows(out, batch)
                batch.clear()
                state["sent"] = now
            if now >= state["flags"] and len(rows) > 1:
                send_chunked(out, "flags", apply_dataset_flags(in_listing_order(rows, order),
                                                               vectors))
                state["flags"] = time.perf_counter() + max(FLAGS_EVERY,
                                                           10 * (time.perf_counter() - now))

        todo = sorted(paths, key=_size)
        report = scan_dataset(todo, root=root, jobs=jobs, progress=progress,
                              cancelled=cancel.is_set, cache=cache)
        send_rows(out, batch)
        final = apply_dataset_flags(in_listing_order(list(report.rows), order), report.vectors)
        send_chunked(out, "end-rows", final)
        send_chunked(out, "end-vectors", list(report.vectors.items()))
        out.put(("end", ScanEnd(report.cancelled, [], {})))  # its rows and vectors sent above
    except Exception as exc:  # said in the window
        out.put(("error", reason_of(exc)))


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


