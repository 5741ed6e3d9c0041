"""Raven selection table (`.selections.txt`): tab-separated, a header row, one row per selection
and view (`Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz), High Freq (Hz)`)
then annotation columns. A selection is a box; every column we do not model (Species, Notes,
Raven's measurements, a View or Channel other than the default) is kept in Label.extra and
written back. Our additions: a `Tier` column when there are several tiers, and an interval
without a band is written with both frequencies 0 (read back as an interval).
"""

from __future__ import annotations

import csv
import io

from explorer.model.annotations.formats.common import (
    DEFAULT_TIER,
    FormatError,
    decode,
    fixed,
    number,
    optional_number,
)
from explorer.model.annotations.tiers import Annotations, Label, Tier, infer_kind

BEGIN, END, LOW, HIGH = "Begin Time (s)", "End Time (s)", "Low Freq (Hz)", "High Freq (Hz)"
STANDARD = ("Selection", "View", "Channel", BEGIN, END, LOW, HIGH)
DEFAULTS = {"View": "Spectrogram 1", "Channel": "1"}
TIER = "Tier"
#: The column that holds the label, the first found (Raven's own "Annotation"; datasets' others).
LABEL_COLUMNS = ("Annotation", "Label", "label", "Species", "Class", "Call Type", "Type", "Sound Type")
META_KEY = "raven.label_column"
_BAD = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def read(data: bytes) -> Annotations:
    text = decode(data)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise FormatError("an empty file (a selection table has a header row)")
    header = [h.strip() for h in rows[0]]
    for need in (BEGIN, END):
        if need not in header:
            raise FormatError(f"no {need!r} column (not a Raven selection table)")
    label_col = next((c for c in LABEL_COLUMNS if c in header), None)
    skip = {"Selection", BEGIN, END, LOW, HIGH, TIER, label_col}
    by_tier: dict[str, list[Label]] = {}
    seen: dict[tuple[str, str], int] = {}  # (tier, Selection) -> index of its label
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, [c.strip() for c in row] + [""] * (len(header) - len(row)),
                         strict=False))
        start, end = number(cells[BEGIN], BEGIN, line), number(cells[END], END, line)
        if end < start:
            raise FormatError(f"line {line}: ends ({end} s) before it starts ({start} s)")
        low = optional_number(cells.get(LOW, ""), LOW, line)
        high = optional_number(cells.get(HIGH, ""), HIGH, line)
        if low == 0 and high == 0:
            low = high = None  # written so for an interval without a band
        extra = tuple((c, cells[c]) for c in header
                      if c not in skip and cells.get(c, "") != "" and DEFAULTS.get(c) != cells[c])
        label = Label(start, end, cells.get(label_col, "") if label_col else "", low, high, extra)
        tier = cells.get(TIER) or DEFAULT_TIER
        labels = by_tier.setdefault(tier, [])
        key = (tier, cells.get("Selection", ""))
        if key[1] and key in seen:  # the same selection in another view (Waveform 1)
            if cells.get("View", "").startswith("Spectrogram"):
                labels[seen[key]] = label
            continue
        seen[key] = len(labels)
        labels.append(label)
    tiers = []
    for name, labels in by_tier.items():
        kind = infer_kind(labels)
        if kind == "point":
            labels = [Label(lab.start, None, lab.label, None, None, lab.extra) for lab in labels]
        tiers.append(Tier(name, kind, labels))
    meta = {META_KEY: label_col} if label_col and label_col != "Annotation" else {}
    return Annotations(tiers, meta=meta)


def write(ann: Annotations) -> bytes:
    label_col = ann.meta.get(META_KEY, "Annotation")
    tiers = [t for t in ann.tiers if t.labels] or ann.tiers[:1]
    with_tier = len(tiers) > 1 or any(t.name != DEFAULT_TIER for t in tiers)
    extra: list[str] = []
    for _, lab in ann.labels():
        extra += [k for k, _ in lab.extra if k not in extra and k not in STANDARD]
    header = [*STANDARD, label_col, *([TIER] if with_tier else []), *extra]
    lines = ["\t".join(header)]
    selection = 0
    for tier in tiers:
        for lab in tier.labels:
            selection += 1
            cells = dict(DEFAULTS)
            cells.update(lab.extra)
            end = lab.start if lab.end is None else lab.end
            cells.update({"Selection": str(selection), BEGIN: fixed(lab.start, 9), END: fixed(end, 9),
                          LOW: fixed(lab.low_hz, 1) if lab.is_box else "0.0",
                          HIGH: fixed(lab.high_hz, 1) if lab.is_box else "0.0",
                          label_col: lab.label, TIER: tier.name})
            lines.append("\t".join(str(cells.get(c, "")).translate(_BAD) for c in header))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def losses(ann: Annotations) -> list[str]:
    out = []
    if any(lab.end is not None and lab.end == lab.start for t in ann.tiers if t.kind != "point"
           for lab in t.labels):
        out.append("intervals of no length in an interval tier read back as points")
    if any(set(lab.label) & set("\t\r\n") for _, lab in ann.labels()):
        out.append("tabs and line breaks in labels become spaces")
    empty = [t.name for t in ann.tiers if not t.labels]
    if empty:
        out.append(f"empty tiers are not written ({', '.join(empty)})")
    return out
