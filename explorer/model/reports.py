"""Writing scan reports: CSV, JSON lines or Parquet, chosen by the file's ending, atomically.

Columns are `measure.COLUMNS`, in order. Empty measurements (an unreadable file, a file too short
for loudness) are empty CSV cells, JSON nulls and Parquet nulls. JSON has no infinity, so the
-inf dBFS of silence is written as null there; CSV writes "-inf" and Parquet keeps -inf.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path

from explorer.model import atomic
from explorer.model.measure import COLUMNS, FileMeasurement

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".parquet": "parquet"}
INT_COLUMNS = ("sample_rate", "channels", "frames")
FLOAT_COLUMNS = ("duration", "peak_dbfs", "rms_dbfs", "loudness_lufs", "dc_offset", "clipped_fraction",
                 "silence_fraction", "bandwidth_hz")


def report_format(path: str | Path) -> str:
    """csv, json or parquet from the file's ending; ValueError names the endings known."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"{Path(path).name}: unknown report format; end the name with "
                         f"{', '.join(FORMATS)}")
    return fmt


def csv_bytes(rows: Sequence[FileMeasurement]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row.to_row().values()])
    return out.getvalue().encode("utf-8")


def json_lines_bytes(rows: Sequence[FileMeasurement]) -> bytes:
    lines = []
    for row in rows:
        data = {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in row.to_row().items()}
        lines.append(json.dumps(data, ensure_ascii=False, allow_nan=False))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def parquet_table(rows: Sequence[FileMeasurement]):
    """The rows as a pyarrow Table with typed columns (ints, floats, strings)."""
    import pyarrow as pa

    types = {c: pa.int64() if c in INT_COLUMNS else pa.float64() if c in FLOAT_COLUMNS else pa.string()
             for c in COLUMNS}
    data = {c: [getattr(r, c) for r in rows] for c in COLUMNS}
    return pa.table({c: pa.array(data[c], type=types[c]) for c in COLUMNS})


def write_report(path: str | Path, rows: Sequence[FileMeasurement]) -> Path:
    """Write the rows to `path` in the format its ending names (through the atomic writer;
    WriteError says why it failed)."""
    fmt = report_format(path)
    path = Path(path)
    if fmt == "csv":
        return atomic.write_bytes(path, csv_bytes(rows))
    if fmt == "json":
        return atomic.write_bytes(path, json_lines_bytes(rows))
    import pyarrow.parquet as pq

    table = parquet_table(rows)
    return atomic.atomic_write(path, lambda f: pq.write_table(table, f))
