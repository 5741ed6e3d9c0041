"""Audacity label track (`.txt`): `start<TAB>end<TAB>label` per label, as Audacity's
LabelStruct::Export writes it (six decimals), and for a label with a frequency range a
continuation line `\\<TAB>low<TAB>high` (spectral selection: a box). A point has start == end.
A track has no name and one track is one tier.
"""

from __future__ import annotations

from explorer.model.annotations.formats.common import (
    DEFAULT_TIER,
    FormatError,
    decode,
    fixed,
    number,
    single_tier,
)
from explorer.model.annotations.tiers import Annotations, Label, Tier, infer_kind

_BAD = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def read(data: bytes) -> Annotations:
    labels: list[Label] = []
    lines = decode(data).splitlines()
    first_continuation = False
    for index, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if fields[0].startswith("\\") and not first_continuation:
            continue  # a further continuation line (a later Audacity's): ignored, as Audacity does
        if fields[0] == "\\":  # the first continuation line: the band of the label above
            first_continuation = False
            if not labels or len(fields) < 3:
                raise FormatError(f"line {index}: a frequency line without a label above it")
            low, high = number(fields[1], "low frequency", index), number(fields[2], "high frequency",
                                                                           index)
            labels[-1] = Label(labels[-1].start, labels[-1].end, labels[-1].label, low, high)
            continue
        start = number(fields[0], "start", index)
        first_continuation = True
        try:
            end = number(fields[1], "end", index) if len(fields) > 1 else start
            text = fields[2] if len(fields) > 2 else ""
        except FormatError:  # a one-sided label: `start<TAB>label` (Audacity reads it so)
            end, text = start, fields[1]
        if end < start:
            raise FormatError(f"line {index}: ends ({end} s) before it starts ({start} s)")
        labels.append(Label(start, end, text))
    kind = infer_kind(labels)
    if kind == "point":
        labels = [Label(lab.start, None, lab.label) for lab in labels]
    return Annotations([Tier(DEFAULT_TIER, kind, labels)] if labels else [])


def write(ann: Annotations) -> bytes:
    tier = single_tier(ann, "Audacity label")
    out = []
    for lab in tier.labels if tier else []:
        end = lab.start if lab.end is None else lab.end
        out.append(f"{fixed(lab.start)}\t{fixed(end)}\t{lab.label.translate(_BAD)}")
        if lab.is_box:
            out.append(f"\\\t{fixed(lab.low_hz)}\t{fixed(lab.high_hz)}")
    return "".join(line + "\n" for line in out).encode("utf-8")


def losses(ann: Annotations) -> list[str]:
    out = []
    names = [t.name for t in ann.tiers if t.labels]
    if names and names != [DEFAULT_TIER]:
        out.append(f"Audacity label files have no tier names (tier {names[0]!r})")
    if any(lab.extra for _, lab in ann.labels()):
        out.append("Audacity label files have no extra columns (Raven's are left out)")
    if any(set(lab.label) & set("\t\r\n") for _, lab in ann.labels()):
        out.append("tabs and line breaks in labels become spaces")
    return out
