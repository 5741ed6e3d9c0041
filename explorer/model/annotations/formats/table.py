"""The plain CSV: one row per label, `file, tier, start, end, low_hz, high_hz, label`, then any
extra columns a label carries (Raven's annotation columns). A point has an empty end, a box has
both frequencies. Also the table of a whole dataset (`labels export`): many files in one.
"""

from __future__ import annotations

import csv
import io

from explorer.model.annotations.formats.common import FormatError, decode, number, optional_number
from explorer.model.annotations.tiers import Annotations, Label, Tier, infer_kind

COLUMNS = ("file", "tier", "start", "end", "low_hz", "high_hz", "label")


def looks_like(text: str) -> bool:
    """True when the first line is this table's header (the columns in any order)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    names = {c.strip() for c in first.split(",")}
    return {"tier", "start", "label"} <= names


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def rows_of(ann: Annotations, file: str | None = None) -> list[dict[str, str]]:
    """The table rows of one file's annotations."""
    name = ann.file if file is None else file
    rows = []
    for tier in ann.tiers:
        for lab in tier.labels:
            row = {"file": name, "tier": tier.name, "start": _num(lab.start), "end": _num(lab.end),
                   "low_hz": _num(lab.low_hz), "high_hz": _num(lab.high_hz), "label": lab.label}
            row.update(lab.extra)
            rows.append(row)
    return rows


def dump_rows(rows: list[dict[str, str]]) -> bytes:
    extra: list[str] = []
    for row in rows:
        extra += [k for k in row if k not in COLUMNS and k not in extra]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *extra], lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write(ann: Annotations) -> bytes:
    return dump_rows(rows_of(ann))


def read_files(data: bytes) -> dict[str, Annotations]:
    """File name -> its annotations, tiers in the order they first appear."""
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip() for f in reader.fieldnames or []]
    reader.fieldnames = fields
    missing = [c for c in ("tier", "start", "label") if c not in fields]
    if missing:
        raise FormatError(f"not a label table: no {', '.join(missing)} column")
    extra_cols = [f for f in fields if f not in COLUMNS]
    tiers: dict[str, dict[str, list[Label]]] = {}
    for line, row in enumerate(reader, start=2):
        start = number(row.get("start") or "", "start", line)
        end = optional_number(row.get("end") or "", "end", line)
        if end is not None and end < start:
            raise FormatError(f"line {line}: ends ({end} s) before it starts ({start} s)")
        low = optional_number(row.get("low_hz") or "", "low_hz", line)
        high = optional_number(row.get("high_hz") or "", "high_hz", line)
        extra = tuple((c, row.get(c) or "") for c in extra_cols if row.get(c))
        label = Label(start, end, row.get("label") or "", low, high, extra)
        tiers.setdefault(row.get("file") or "", {}).setdefault(row.get("tier") or "", []).append(label)
    return {file: Annotations([Tier(name, infer_kind(labels), labels) for name, labels in by.items()],
                              file)
            for file, by in tiers.items()}


def read(data: bytes) -> Annotations:
    files = read_files(data)
    if len(files) > 1:
        names = ", ".join(sorted(files)[:3])
        raise FormatError(f"the table holds the labels of {len(files)} files ({names}...): "
                          "one file's labels were expected")
    return next(iter(files.values()), Annotations())
