"""Files in the exact forms Praat, Raven, Audacity and Sonic Visualiser write (built here byte
for byte, and the real files crowsetta ships from published datasets) read as those tools mean."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from explorer.model.annotations.formats import guess_format, read_labels, write_labels
from explorer.model.annotations.tiers import Label
from tests.model.annotations.independent import crowsetta, read_independently

DATA = Path(__file__).parent / "data"
# Praat 6 "Save as text file" (the long form: spaces before line ends, 4-space indents) and
# "Save as short text file"; Praat doubles quotes in a text and writes tiny times as 1e-05.
PRAAT_LONG = (DATA / "praat_long.TextGrid").read_text(encoding="utf-8")
PRAAT_SHORT = (DATA / "praat_short.TextGrid").read_text(encoding="utf-8")

WORDS = [Label(0.61, 1.3, 'Ca"fé "au lait"')]
TONES = [Label(1.0000000000000002e-05, None, "L%"), Label(0.9, None, "H*")]


@pytest.mark.parametrize("text", [PRAAT_LONG, PRAAT_SHORT], ids=["long", "short"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-be-bom", "utf-16-le-bom", "crlf"])
def test_praat_textgrids(tmp_path, text, encoding):
    path = tmp_path / "a.TextGrid"
    if encoding == "utf-8":
        path.write_bytes(text.encode("utf-8"))
    elif encoding == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    elif encoding == "utf-16-be-bom":  # what Praat writes when a label is not ASCII
        path.write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    else:
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    ann = read_labels(path)
    assert [(t.name, t.kind) for t in ann.tiers] == [("words", "interval"), ("tones", "point")]
    assert ann.tier("words").labels == WORDS
    assert ann.tier("tones").labels == TONES
    assert ann.duration == 2.5


# Raven Pro 1.6: a selection in the Waveform and the Spectrogram views (two rows, one
# Selection number), measurement columns, an annotation column, Windows line ends.
RAVEN = (DATA / "raven_pro.Table.1.selections.txt").read_bytes().decode("utf-8")


def test_raven_selection_table(tmp_path):
    path = tmp_path / "XC123.Table.1.selections.txt"
    path.write_bytes(RAVEN.encode("utf-8"))
    assert guess_format(path) == "raven"
    ann = read_labels(path)
    (tier,) = ann.tiers
    assert tier.kind == "box" and len(tier.labels) == 2  # one label per selection, not per view
    first, second = tier.labels
    assert (first.start, first.end, first.low_hz, first.high_hz, first.label) == (
        0.517961088, 1.084283616, 1989.3, 6012.6, "robin")  # the spectrogram row's band
    assert first.extra == (("Delta Time (s)", "0.5663"), ("Avg Power Density (dB FS/Hz)", "-71.2"),
                           ("Notes", "clear"))
    assert dict(second.extra)["Channel"] == "2" and second.label == "café"
    out = tmp_path / "out.selections.txt"
    write_labels(ann, out)
    header = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == ["Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)",
                      "High Freq (Hz)", "Annotation", "Delta Time (s)", "Avg Power Density (dB FS/Hz)",
                      "Notes"]
    assert read_labels(out).same_content(ann)
    theirs = read_independently(out, "raven")["labels"]
    assert theirs == [(0.517961088, 1.084283616, "robin", 1989.3, 6012.6),
                      (2.25, 2.75, "café", 300.0, 900.0)]


# Audacity 3: labels.txt with spectral selections (frequency lines), a point label, a label
# with spaces; and the old one-sided form `start<TAB>label`.
AUDACITY = (DATA / "audacity_spectral.txt").read_bytes().decode("utf-8")


def test_audacity_label_track(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_bytes(AUDACITY.encode("utf-8"))
    ann = read_labels(path)
    (tier,) = ann.tiers
    assert tier.kind == "box"
    assert tier.labels == [Label(0.517961, 1.084284, "robin song", 1989.300049, 6012.600098),
                           Label(1.5, 1.5, ""), Label(2.25, 2.75, "café 鳥")]
    out = tmp_path / "out.txt"
    write_labels(ann, out)
    assert out.read_bytes() == path.read_bytes()  # written back byte for byte
    one_sided = tmp_path / "old.txt"
    one_sided.write_text("0.5\tclick\n", encoding="utf-8")
    assert read_labels(one_sided).tiers[0].labels == [Label(0.5, None, "click")]


# Sonic Visualiser "Export Annotation Layer" (CSV): instants and regions.
SV_INSTANTS = "0.500000000,onset\n1.250000000\n2.000000000,\"a, b\"\n"
SV_REGIONS = "1.000000000,0,0.500000000,speech\n2.000000000,3.5,0.250000000,noise\n"
SV_BOXES = "0.100000000,0.300000000,2000,6000,robin\n"


def test_sonic_visualiser_layers(tmp_path):
    instants, regions, boxes = (tmp_path / n for n in ("i.csv", "r.csv", "b.csv"))
    instants.write_text(SV_INSTANTS, encoding="utf-8")
    regions.write_text(SV_REGIONS, encoding="utf-8")
    boxes.write_text(SV_BOXES, encoding="utf-8")
    assert {guess_format(p) for p in (instants, regions, boxes)} == {"sv-csv"}
    i, r, b = (read_labels(p) for p in (instants, regions, boxes))
    assert i.tiers[0].kind == "point"
    assert i.tiers[0].labels == [Label(0.5, None, "onset"), Label(1.25, None, ""),
                                 Label(2.0, None, "a, b")]
    assert r.tiers[0].kind == "interval"
    assert r.tiers[0].labels == [Label(1.0, 1.5, "speech"),
                                 Label(2.0, 2.25, "noise", extra=(("value", "3.5"),))]
    assert b.tiers[0].labels == [Label(0.1, 0.3, "robin", 2000.0, 6000.0)]
    header = tmp_path / "h.csv"  # Sonic Visualiser 4 can write a header row
    header.write_text("TIME,VALUE,DURATION,LABEL\n" + SV_REGIONS, encoding="utf-8")
    assert guess_format(header) == "sv-csv" and read_labels(header).same_content(r)
    for path, ann in ((instants, i), (regions, r)):
        out = tmp_path / f"out-{path.name}"
        write_labels(ann, out, "sv-csv")
        assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def example(name: str) -> Path:
    return Path(crowsetta().example(name, return_path=True))


def test_crowsetta_examples_from_published_datasets():
    """Real files: a Raven table (Chronister et al. 2021), an Audacity track with frequency
    lines (scikit-maad), a Praat TextGrid (Calhoun et al.), read as crowsetta reads them."""
    raven = read_labels(example("Recording1"))
    assert raven.meta == {"raven.label_column": "Species"}
    df = crowsetta().formats.bbox.Raven.from_file(example("Recording1"), annot_col="Species").df
    assert [(lab.start, lab.end, lab.low_hz, lab.high_hz, lab.label) for lab in raven.tiers[0].labels] == [
        (r.begin_time_s, r.end_time_s, r.low_freq_hz, r.high_freq_hz, r.annotation) for r in df.itertuples()]

    spinetail = read_labels(example("spinetail.txt"))
    df = crowsetta().formats.bbox.AudBBox.from_file(example("spinetail.txt")).df
    ours = spinetail.tiers[0].labels
    assert [(lab.start, lab.end, lab.low_hz, lab.high_hz, lab.label) for lab in ours] == [
        (r.begin_time_s, r.end_time_s, r.low_freq_hz, r.high_freq_hz, r.label) for r in df.itertuples()]

    grid = read_labels(example("AVO-maea-basic"))
    theirs = crowsetta().formats.seq.TextGrid.from_file(example("AVO-maea-basic"))
    assert [t.name for t in grid.tiers] == [t.name for t in theirs.tiers] == ["Tones", "Samoan", "Gloss"]
    for ours, their in zip(grid.tiers, theirs.tiers, strict=True):
        if ours.kind == "point":
            assert [(lab.start, lab.label) for lab in ours.labels] == [
                (p.number, p.mark) for p in their.points]
        else:
            assert [(lab.start, lab.end, lab.label) for lab in ours.labels] == [
                (i.xmin, i.xmax, i.text) for i in their.intervals]
