"""Praat TextGrid: interval tiers and point ("TextTier") tiers, long or short text form, UTF-8 or
UTF-16 (with a byte-order mark, as Praat writes it when a label is not ASCII).

Reading is our own tokenizer of Praat's text format (a flat stream of numbers, "strings" with
doubled quotes, and <flags>; everything else is a comment), because praatio's reader strips
spaces at a label's ends, cannot read numbers in scientific notation (which Praat and praatio
write for times under 0.0001 s) and leaves the doubled quotes of point marks. Writing goes
through praatio (its long and short forms, the empty intervals Praat needs between labels).

A TextGrid cannot hold a frequency band (a box tier is written as an interval tier), extra
columns, overlapping intervals in one tier, nor an interval with an empty label (every stretch
of an interval tier without a label is an empty interval: reading drops them as gaps).
"""

from __future__ import annotations

import codecs
import re

from explorer.model.annotations.formats.common import FormatError, decode
from explorer.model.annotations.tiers import Annotations, Label, Tier

_TOKEN = re.compile(r'"(?P<text>(?:[^"]|"")*)"|<(?P<flag>[^>]*)>|!(?P<comment>[^\n]*)'
                    r"|\[\s*\d*\s*\]"
                    r"|(?<![A-Za-z_\d.])(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group("text") is not None:
            out.append(("text", m.group("text").replace('""', '"')))
        elif m.group("flag") is not None:
            out.append(("flag", m.group("flag")))
        elif m.group("num") is not None:
            out.append(("num", m.group("num")))
    return out


class _Stream:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def next(self, kind: str, what: str) -> str:
        if self.i >= len(self.tokens):
            raise FormatError(f"the file ends where {what} was expected")
        got, value = self.tokens[self.i]
        if got != kind:
            raise FormatError(f"{what} was expected, found {value[:30]!r}")
        self.i += 1
        return value

    def number(self, what: str) -> float:
        return float(self.next("num", what))

    def count(self, what: str) -> int:
        value = self.number(what)
        if value != int(value) or value < 0:
            raise FormatError(f"{what} is not a count: {value}")
        return int(value)


def read(data: bytes) -> Annotations:
    text = decode(data)
    if "ooBinaryFile" in text[:40]:
        raise FormatError("a binary TextGrid: save it as a text file in Praat")
    s = _Stream(_tokens(text))
    if not s.next("text", 'File type = "ooTextFile"').startswith("ooTextFile"):
        raise FormatError('no "ooTextFile" header')
    if s.next("text", 'Object class = "TextGrid"') != "TextGrid":
        raise FormatError("the object is not a TextGrid")
    s.number("the grid's xmin")
    xmax = s.number("the grid's xmax")
    if s.next("flag", "<exists>") != "exists":
        return Annotations(duration=xmax)
    tiers = []
    for _ in range(s.count("the number of tiers")):
        cls = s.next("text", "a tier class")
        name = s.next("text", "a tier name")
        s.number("a tier's xmin")
        s.number("a tier's xmax")
        n = s.count("the number of entries")
        labels = []
        if cls == "IntervalTier":
            for _ in range(n):
                start, end = s.number("an interval's xmin"), s.number("an interval's xmax")
                mark = s.next("text", "an interval's text")
                if mark:  # an empty interval is a stretch without a label
                    labels.append(Label(start, max(end, start), mark))
            tiers.append(Tier(name, "interval", labels))
        elif cls == "TextTier":
            for _ in range(n):
                time = s.number("a point's time")
                labels.append(Label(time, None, s.next("text", "a point's mark")))
            tiers.append(Tier(name, "point", labels))
        else:
            raise FormatError(f"unknown tier class {cls!r} (IntervalTier or TextTier expected)")
    return Annotations(tiers, duration=xmax)


def _check(ann: Annotations) -> None:
    for tier in ann.tiers:
        if tier.kind == "point":
            continue
        previous = None
        for lab in tier.labels:
            end = lab.start if lab.end is None else lab.end
            if end <= lab.start:
                raise FormatError(f"tier {tier.name!r}: {lab.label!r} at {lab.start} s has no length; "
                                  "a TextGrid interval tier cannot hold it (make it a point tier)")
            if previous is not None and lab.start < previous.end:
                raise FormatError(
                    f"tier {tier.name!r}: {previous.label!r} ({previous.start}-{previous.end} s) "
                    f"and {lab.label!r} ({lab.start}-{end} s) overlap; a TextGrid interval tier "
                    "cannot hold overlapping intervals")
            previous = lab


def to_text(ann: Annotations, form: str = "long") -> str:
    """The TextGrid as text, in Praat's long or short form (praatio writes it)."""
    from praatio.utilities import textgrid_io
    from praatio.utilities.constants import Interval, Point

    if form not in ("long", "short"):
        raise FormatError(f"a TextGrid is written in the long or short form, not {form!r}")
    _check(ann)
    xmin = min([0.0] + [lab.start for _, lab in ann.labels()])
    xmax = max(ann.end_time(), ann.duration or 0.0, xmin)
    if xmax <= xmin:
        xmax = xmin + 1.0  # Praat needs a grid with a length
    tiers = []
    for tier in ann.tiers:
        if tier.kind == "point":
            entries = [Point(lab.start, lab.label) for lab in tier.labels]
            cls = "TextTier"
        else:
            entries = [Interval(lab.start, lab.end, lab.label) for lab in tier.labels]
            cls = "IntervalTier"
        tiers.append({"class": cls, "name": tier.name, "xmin": xmin, "xmax": xmax, "entries": entries})
    grid = {"xmin": xmin, "xmax": xmax, "tiers": tiers}
    return textgrid_io.getTextgridAsStr(grid, f"{form}_textgrid", includeBlankSpaces=True,
                                        minimumIntervalLength=None)


def write(ann: Annotations, form: str = "long", encoding: str = "utf-8") -> bytes:
    """`encoding` "utf-16" writes what Praat writes for non-ASCII text: big-endian with a BOM."""
    text = to_text(ann, form)
    if encoding.lower().replace("-", "") == "utf16":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding.lower().replace("-", "") != "utf8":
        raise FormatError(f"a TextGrid is written in UTF-8 or UTF-16, not {encoding!r}")
    return text.encode("utf-8")


def losses(ann: Annotations) -> list[str]:
    out = []
    boxes = [t.name for t in ann.tiers if any(lab.is_box for lab in t.labels)]
    if boxes:
        out.append(f"TextGrids have no frequencies: the boxes of {', '.join(boxes)} become intervals")
    if any(lab.extra for _, lab in ann.labels()):
        out.append("TextGrids have no extra columns (Raven's are left out)")
    empty = sum(1 for t in ann.tiers if t.kind != "point" for lab in t.labels if not lab.label)
    if empty:
        out.append(f"{empty} interval(s) without a label read back as gaps (Praat's empty intervals)")
    return out
