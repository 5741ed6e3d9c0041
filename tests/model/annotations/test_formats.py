"""Every format through every other: what we write, read back by us AND by the field's readers
(crowsetta, praatio, pandas), equals what went in: times exact (to the nanosecond for Sonic
Visualiser), labels and tiers identical, Unicode and empty labels included."""

from __future__ import annotations

import itertools

import pytest

from explorer.model.annotations.formats import (
    FORMATS,
    FormatError,
    guess_format,
    losses,
    read_labels,
    write_labels,
)
from explorer.model.annotations.tiers import Annotations, Label, Tier
from tests.model.annotations.independent import read_independently

EXT = {"audacity": "txt", "raven": "selections.txt", "textgrid": "TextGrid", "sv-csv": "csv",
       "csv": "csv"}
SINGLE = {"audacity", "sv-csv"}  # formats of one unnamed tier


def L(start, end=None, label="", low=None, high=None, extra=()):  # noqa: N802
    return Label(start, end, label, low, high, extra)


SAMPLES = {
    "tiers": Annotations([
        Tier("words", "interval", [L(0.5, 1.25, "café"), L(1.25, 2.0, "鳥"), L(2.5, 3.125, "🐦 robin")]),
        Tier("beats", "point", [L(0.75, None, "1"), L(1.5, None, ""), L(2.0, None, 'say "hi"')]),
    ]),
    "intervals": Annotations([Tier("labels", "interval", [
        L(0.1, 0.2, "a b"), L(0.3, 0.4, ""), L(1.0, 2.5, "über"), L(2.0, 3.0, "overlaps")])]),
    "points": Annotations([Tier("labels", "point", [L(0.5, None, "x"), L(1.0, None, ""),
                                                    L(2.123456789, None, "ü")])]),
    "boxes": Annotations([Tier("labels", "box", [L(0.1, 0.3, "robin", 2000.0, 6000.5),
                                                 L(0.2, 0.9, "", 100.0, 250.0),
                                                 L(1.0, 1.5, "鳥", 0.5, 11025.0)])]),
    "extra": Annotations([Tier("calls", "box", [
        L(0.1, 0.3, "EATO", 2878.2, 4049.0, (("Notes", "a, b"), ("Quality", "good"))),
        L(1.0, 1.25, "", 100.0, 900.0, (("Quality", "poor"),))])]),
}


def holds(fmt: str, ann: Annotations) -> bool:
    """Can the format hold these annotations without a loss?"""
    labels = [lab for _, lab in ann.labels()]
    if fmt in SINGLE and [t.name for t in ann.tiers] != ["labels"]:
        return False
    if fmt != "csv" and fmt != "raven" and any(lab.extra for lab in labels):
        return False
    if fmt == "textgrid":
        for tier in ann.tiers:
            if tier.kind == "box":
                return False
            if tier.kind == "interval":
                if any(not lab.label for lab in tier.labels):
                    return False
                if any(b.start < a.end for a, b in itertools.pairwise(tier.labels)):
                    return False
    return True


def rows(ann: Annotations) -> dict[str, list[tuple]]:
    return {t.name: [(lab.start, lab.end, lab.label, lab.low_hz, lab.high_hz) for lab in t.labels]
            for t in ann.tiers}


def sorted_rows(found: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    key = lambda r: (r[0], r[0] if r[1] is None else r[1], r[2])  # noqa: E731
    return {name: sorted(r, key=key) for name, r in found.items()}


CASES = [(name, src, dst) for name, ann in SAMPLES.items() for src in FORMATS for dst in FORMATS
         if holds(src, ann) and holds(dst, ann)]


@pytest.mark.parametrize(("sample", "src", "dst"), CASES, ids=["-".join(c) for c in CASES])
def test_round_trip_through_every_format(tmp_path, sample, src, dst):
    ann = SAMPLES[sample]
    first = tmp_path / f"a.{EXT[src]}"
    write_labels(ann, first, src)
    assert guess_format(first) == src or (src, guess_format(first)) == ("sv-csv", "sv-csv")
    middle = read_labels(first, src)
    assert middle.same_content(ann), f"{src} read back differs"
    second = tmp_path / f"b.{EXT[dst]}"
    write_labels(middle, second, dst)
    back = read_labels(second, dst)
    assert rows(back) == rows(ann)
    assert [t.kind for t in back.tiers] == [t.kind for t in ann.tiers]
    assert [lab.extra for _, lab in back.labels()] == [lab.extra for _, lab in ann.labels()]
    theirs = read_independently(second, dst, back.meta.get("raven.label_column", "Annotation"))
    assert sorted_rows(theirs) == sorted_rows(rows(ann))
    assert losses(ann, dst) == []  # nothing to warn about when the format holds it all


def test_the_matrix_covers_every_pair():
    pairs = {(src, dst) for _, src, dst in CASES}
    assert pairs == set(itertools.product(FORMATS, FORMATS))


EXACT = [1 / 3, 2 / 3 + 1e-13, 12345.678901234567, 0.1 + 0.2]


@pytest.mark.parametrize("fmt", ["csv", "raven", "audacity", "textgrid"])
def test_times_exact_to_the_bit(tmp_path, fmt):
    length = 0.01 if fmt == "textgrid" else 0.5  # TextGrid intervals may not overlap
    ann = Annotations([Tier("labels", "interval", [L(a, a + length, f"l{i}") for i, a in enumerate(EXACT)])])
    path = tmp_path / f"x.{EXT[fmt]}"
    write_labels(ann, path, fmt)
    assert read_labels(path, fmt).same_content(ann)


def test_sonic_visualiser_times_exact_to_the_nanosecond(tmp_path):
    ann = Annotations([Tier("labels", "interval", [L(a, a + 0.5, f"l{i}") for i, a in enumerate(EXACT)])])
    path = tmp_path / "x.csv"
    write_labels(ann, path, "sv-csv")
    back = read_labels(path, "sv-csv")
    for ours, theirs in zip(ann.tiers[0].labels, back.tiers[0].labels, strict=True):
        assert abs(ours.start - theirs.start) <= 5e-10 and abs(ours.end - theirs.end) <= 1e-9
    assert losses(ann, "sv-csv") == ["times are rounded to the nanosecond"]


@pytest.mark.parametrize("form", ["long", "short"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_textgrid_forms_and_encodings(tmp_path, form, encoding):
    ann = SAMPLES["tiers"]
    path = tmp_path / "a.TextGrid"
    write_labels(ann, path, "textgrid", form=form, encoding=encoding)
    data = path.read_bytes()
    assert data.startswith(b"\xfe\xff") == (encoding == "utf-16")
    assert (b"item [" in data or "item [".encode("utf-16-be") in data) == (form == "long")
    assert read_labels(path).same_content(ann)
    theirs = read_independently(path, "textgrid")
    assert sorted_rows(theirs) == sorted_rows(rows(ann))


def test_textgrid_keeps_what_praatio_loses(tmp_path):
    """Spaces at a label's ends, quotes in point marks, times in scientific notation."""
    ann = Annotations([Tier("t", "interval", [L(0.00001, 0.00005, "  padded  "), L(0.5, 1.0, '"q"')]),
                       Tier("p", "point", [L(0.000002, None, 'he said "no"')])], duration=2.0)
    path = tmp_path / "a.TextGrid"
    write_labels(ann, path)
    assert "1e-05" in path.read_text(encoding="utf-8")
    back = read_labels(path)
    assert back.same_content(ann) and back.duration == 2.0


def test_what_a_format_cannot_hold_is_refused_or_said(tmp_path):
    two = SAMPLES["tiers"]
    with pytest.raises(FormatError, match="hold one tier.*words, beats"):
        write_labels(two, tmp_path / "a.txt", "audacity")
    with pytest.raises(FormatError, match="overlap"):
        write_labels(SAMPLES["intervals"], tmp_path / "a.TextGrid")
    assert not (tmp_path / "a.txt").exists() and not (tmp_path / "a.TextGrid").exists()
    said = " ".join(losses(SAMPLES["boxes"], "textgrid"))
    assert "no frequencies" in said and "read back as gaps" in said
    assert "no extra columns" in " ".join(losses(SAMPLES["extra"], "audacity"))
    assert losses(SAMPLES["extra"], "raven") == []
    assert losses(SAMPLES["extra"], "csv") == []


def test_guess_format(tmp_path):
    table = tmp_path / "t.csv"
    write_labels(SAMPLES["tiers"], table)
    layer = tmp_path / "l.csv"
    write_labels(SAMPLES["points"], layer, "sv-csv")
    raven_txt = tmp_path / "r.txt"
    write_labels(SAMPLES["boxes"], raven_txt, "raven")
    assert [guess_format(p) for p in (table, layer, raven_txt)] == ["csv", "sv-csv", "raven"]
    assert guess_format(tmp_path / "x.TEXTGRID") == "textgrid"
    assert guess_format(tmp_path / "x.Table.1.selections.txt") == "raven"
    with pytest.raises(FormatError, match="cannot tell the label format"):
        guess_format(tmp_path / "x.eaf")


@pytest.mark.parametrize(("fmt", "text", "why"), [
    ("audacity", "hello world, this is a transcript\n", "start is not a number"),
    ("audacity", "2.0\t1.0\tbackwards\n", "before it starts"),
    ("raven", "Selection\tView\n1\tSpectrogram 1\n", "no 'Begin Time \\(s\\)' column"),
    ("textgrid", 'File type = "ooTextFile"\nObject class = "Pitch"\n', "not a TextGrid"),
    ("textgrid", 'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n', "ends where"),
    ("csv", "file,tier,start,end,low_hz,high_hz,label\na.wav,t,x,1,,,l\n", "start is not a number"),
    ("sv-csv", "0.5,label\nnot a time\n", "no time"),
])
def test_damaged_files_say_why(tmp_path, fmt, text, why):
    path = tmp_path / f"bad.{EXT[fmt]}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=why):
        read_labels(path, fmt)
