"""Sonic Visualiser annotation layers as CSV, in the forms its "Export Annotation Layer" writes
(one row per event: the time, then the fields the layer has, the label last and left out when
empty; times in seconds with nine decimals, RealTime's form):

- time instants: `time[,label]`                         -> a point tier
- regions: `time,value,duration[,label]`                 -> an interval tier (value kept in extra)
- `time,duration[,label]` (what a region without values is imported from) -> an interval tier
- boxes (Sonic Visualiser 4): `start,end,low,high[,label]` -> a box tier

One layer is one tier; a first line that does not start with a number is a header and skipped.
Times are exact to the nanosecond (the precision of Sonic Visualiser's RealTime).
"""

from __future__ import annotations

import csv
import io

from explorer.model.annotations.formats.common import DEFAULT_TIER, FormatError, decode, number, single_tier
from explorer.model.annotations.tiers import Annotations, Label, Tier, infer_kind

VALUE = "value"  # a region's value (its height in Sonic Visualiser), kept in Label.extra


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _ns(x: float) -> str:
    """Seconds as RealTime::toString writes them: nine decimals."""
    return f"{round(x, 9):.9f}"


def read(data: bytes) -> Annotations:
    text = decode(data)
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    if rows and not _is_number(rows[0][0].strip()):
        rows = rows[1:]  # a header row
    labels = []
    for line, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        n = 0
        while n < min(len(cells), 4) and _is_number(cells[n]):
            n += 1
        if n == 0:
            raise FormatError(f"line {line}: no time: {row[0][:40]!r}")
        text_label = ",".join(row[n:]).strip() if len(row) > n else ""
        nums = [number(c, "a time or value", line) for c in cells[:n]]
        if n == 1:
            labels.append(Label(nums[0], None, text_label))
        elif n == 2:
            labels.append(Label(nums[0], round(nums[0] + abs(nums[1]), 9), text_label))
        elif n == 3:
            extra = ((VALUE, cells[1]),) if nums[1] != 0 else ()
            labels.append(Label(nums[0], round(nums[0] + abs(nums[2]), 9), text_label, extra=extra))
        else:
            if nums[1] < nums[0]:
                raise FormatError(f"line {line}: a box ends ({nums[1]} s) before it starts")
            labels.append(Label(nums[0], nums[1], text_label, min(nums[2:4]), max(nums[2:4])))
    kind = infer_kind(labels)
    return Annotations([Tier(DEFAULT_TIER, kind, labels)] if labels else [])


def write(ann: Annotations) -> bytes:
    tier = single_tier(ann, "Sonic Visualiser layer")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for lab in tier.labels if tier else []:
        text = [lab.label] if lab.label else []
        if tier.kind == "box" or lab.is_box:
            low = lab.low_hz if lab.low_hz is not None else 0.0
            high = lab.high_hz if lab.high_hz is not None else 0.0
            end = lab.start if lab.end is None else lab.end
            writer.writerow([_ns(lab.start), _ns(end), repr(low), repr(high), *text])
        elif tier.kind == "point" or lab.end is None:
            writer.writerow([_ns(lab.start), *text])
        else:
            value = lab.get(VALUE, "0")
            writer.writerow([_ns(lab.start), value, _ns(lab.end - lab.start), *text])
    return out.getvalue().encode("utf-8")


def losses(ann: Annotations) -> list[str]:
    out = []
    names = [t.name for t in ann.tiers if t.labels]
    if names and names != [DEFAULT_TIER]:
        out.append(f"Sonic Visualiser layers have no names in CSV (tier {names[0]!r})")
    if any(k != VALUE for _, lab in ann.labels() for k, _ in lab.extra):
        out.append("Sonic Visualiser layers have no extra columns (Raven's are left out)")
    times = [x for _, lab in ann.labels() for x in (lab.start, lab.end) if x is not None]
    if any(round(x, 9) != x for x in times):
        out.append("times are rounded to the nanosecond")
    return out
