"""`audio-explorer labels convert` and `labels export` as a user runs them: the files written,
what the field's readers make of them, and one-line errors with exit code 2."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from explorer.model.annotations.dataset import dataset_annotations, label_summary
from explorer.model.annotations.edits import AddLabel, AddTier
from explorer.model.annotations.formats import read_labels, write_labels
from explorer.model.annotations.store import LabelStore
from explorer.model.annotations.tiers import Annotations, Label, Tier
from tests.cli.test_cli import assert_clean_error, run
from tests.model.annotations.independent import read_independently

GRID = Annotations([Tier("words", "interval", [Label(0.5, 1.25, "café"), Label(1.5, 2.0, "鳥")]),
                    Tier("tones", "point", [Label(0.75, None, "H*")])])


def test_convert_guesses_formats_and_writes_what_crowsetta_reads(tmp_path):
    src = tmp_path / "a.TextGrid"
    write_labels(GRID, src)
    out = tmp_path / "a.selections.txt"
    result = run("labels", "convert", src, out)
    assert result.returncode == 0, result.stderr
    assert "3 labels in 2 tier(s)" in result.stdout and "(raven)" in result.stdout
    assert read_labels(out).same_content(GRID)
    assert read_independently(out, "raven") == {
        "words": [(0.5, 1.25, "café", None, None), (1.5, 2.0, "鳥", None, None)],
        "tones": [(0.75, None, "H*", None, None)]}


def test_convert_one_tier_to_audacity_and_explicit_formats(tmp_path):
    src = tmp_path / "a.TextGrid"
    write_labels(GRID, src)
    refused = run("labels", "convert", src, tmp_path / "b.txt")
    assert_clean_error(refused, "hold one tier", "words, tones", "--tier")
    assert not (tmp_path / "b.txt").exists()
    result = run("labels", "convert", src, tmp_path / "b.txt", "--tier", "words")
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "no tier names" in result.stderr
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == (
        "0.500000\t1.250000\tcafé\n1.500000\t2.000000\t鳥\n")
    layer = tmp_path / "layer.dat"
    result = run("labels", "convert", tmp_path / "b.txt", layer, "--to", "sv-csv")
    assert result.returncode == 0, result.stderr
    assert layer.read_text(encoding="utf-8") == ("0.500000000,0,0.750000000,café\n"
                                                 "1.500000000,0,0.500000000,鳥\n")
    short = tmp_path / "s.TextGrid"
    result = run("labels", "convert", src, short, "--textgrid-form", "short", "--encoding", "utf-16")
    assert result.returncode == 0, result.stderr
    assert short.read_bytes().startswith(b"\xfe\xff") and read_labels(short).same_content(GRID)


def test_convert_never_replaces_a_file_unasked(tmp_path):
    src = tmp_path / "a.TextGrid"
    write_labels(GRID, src)
    mine = tmp_path / "mine.csv"
    mine.write_text("precious\n", encoding="utf-8")
    assert_clean_error(run("labels", "convert", src, mine), "exists", "--force")
    assert mine.read_text(encoding="utf-8") == "precious\n"
    assert run("labels", "convert", src, mine, "--force").returncode == 0
    assert read_labels(mine).same_content(GRID)
    assert_clean_error(run("labels", "convert", src, src, "--force"), "is the input file")


@pytest.mark.parametrize(("args", "words"), [
    (["@missing.TextGrid", "@out.csv"], ["no such file"]),
    (["@a.TextGrid", "@out.eaf"], ["cannot tell the label format", "--from/--to"]),
    (["@bad.txt", "@out.csv"], ["not read as audacity labels", "start is not a number"]),
    (["@a.TextGrid", "@out.csv", "--tier", "phones"], ["no tier named phones", "words, tones"]),
    (["@a.TextGrid", "@nowhere/out.csv"], ["cannot write", "no such folder"]),
])
def test_convert_errors_in_words(tmp_path, args, words):
    """'@NAME' is a file in tmp_path."""
    write_labels(GRID, tmp_path / "a.TextGrid")
    (tmp_path / "bad.txt").write_text("a transcript\n", encoding="utf-8")
    result = run("labels", "convert", *[tmp_path / a[1:] if a.startswith("@") else a for a in args])
    assert_clean_error(result, *words)


def tone(path, seconds=3.0, rate=8000):
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.1 * np.sin(2 * np.pi * 440 * t), rate)
    return path


@pytest.fixture
def labelled(tmp_path):
    """A dataset: a sidecar (edited through the store), a TextGrid beside, a Raven table beside
    in a sub-folder, a transcript .txt that is not labels, and a file without labels."""
    root = tmp_path / "data"
    a, b, c, d, e = (tone(root / n) for n in ("a.wav", "b.wav", "sub/c.wav", "d.wav", "e.wav"))
    store = LabelStore(a)
    store.load()
    store.apply(AddTier("calls", "box"))
    for start, end, text in ((0.1, 0.4, "robin"), (0.5, 0.6, "wren"), (1.0, 1.75, "robin")):
        store.apply(AddLabel("calls", Label(start, end, text, 2000.0, 6000.0)))
    store.save()
    write_labels(GRID, b.with_suffix(".TextGrid"))
    write_labels(Annotations([Tier("labels", "box", [
        Label(0.25, 0.5, "robin", 1000.0, 5000.0, (("Quality", "A"),)),
        Label(2.0, 2.5, "", 100.0, 200.0)])]), c.with_name("c.Table.1.selections.txt"))
    d.with_suffix(".txt").write_text("the cat sat on the mat\n", encoding="utf-8")
    return root, (a, b, c, d, e)


def test_export_every_label_of_a_dataset(tmp_path, labelled):
    pd = pytest.importorskip("pandas")
    root, _ = labelled
    out = tmp_path / "labels.csv"
    flat = run("labels", "export", root, "-o", out)
    assert flat.returncode == 0, flat.stderr
    assert "6 labels of 2 of 4 files" in flat.stdout  # sub/c.wav needs --recursive
    result = run("labels", "export", root, "-o", out, "--recursive", "--force")
    assert result.returncode == 0, result.stderr
    assert "8 labels of 3 of 5 files" in result.stdout
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == ["file", "tier", "start", "end", "low_hz", "high_hz", "label", "Quality"]
    assert sorted(set(table["file"])) == ["a.wav", "b.wav", "sub/c.wav"]
    robin = table[(table.file == "sub/c.wav") & (table.label == "robin")].iloc[0]
    assert [float(robin[c]) for c in ("start", "end", "low_hz", "high_hz")] == [0.25, 0.5, 1000.0, 5000.0]
    assert robin.Quality == "A"
    assert table[table.label == "H*"].iloc[0].end == ""  # a point has no end
    assert list(table[table.file == "b.wav"].label) == ["café", "鳥", "H*"]
    assert not (root / "a.wav.labels.journal").exists()


def test_summary_equals_a_pandas_groupby_of_the_export(tmp_path, labelled):
    pd = pytest.importorskip("pandas")
    root, _ = labelled
    out = tmp_path / "labels.csv"
    assert run("labels", "export", root, "-o", out, "--recursive").returncode == 0
    table = pd.read_csv(out, keep_default_na=False)
    ends = pd.to_numeric(table["end"].replace("", np.nan))
    table["seconds"] = (ends - table["start"]).fillna(0.0)
    grouped = table.groupby("label").agg(count=("label", "size"), total=("seconds", "sum"))
    expected = {k: (int(r["count"]), float(r["total"])) for k, r in grouped.iterrows()}
    summary = label_summary(ann for _, ann, _ in dataset_annotations(root, recursive=True))
    assert sorted(c.label for c in summary) == sorted(expected)
    for c in summary:
        assert c.count == expected[c.label][0]
        assert c.total_duration == pytest.approx(expected[c.label][1], abs=1e-12)
    assert set(expected) == {"robin", "wren", "café", "鳥", "H*", ""}
    assert summary[0].label == "robin" and summary[0].count == 3
    assert summary[0].total_duration == pytest.approx(0.3 + 0.75 + 0.25)


def test_export_errors_in_words(tmp_path):
    assert_clean_error(run("labels", "export", tmp_path / "nope", "-o", tmp_path / "x.csv"),
                       "no such file or folder")
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    assert_clean_error(run("labels", "export", tmp_path / "empty", "-o", tmp_path / "x.csv"),
                       "no audio files", "--recursive")
    tone(tmp_path / "a.wav")
    (tmp_path / "x.csv").write_text("mine\n")
    assert_clean_error(run("labels", "export", tmp_path, "-o", tmp_path / "x.csv"), "exists", "--force")


def test_convert_the_windows_sidecar(tmp_path):
    audio = tone(tmp_path / "a.wav")
    store = LabelStore(audio)
    store.load()
    store.apply(AddTier("calls", "box"))
    store.apply(AddLabel("calls", Label(0.5, 0.75, "wren", 3000.0, 8000.0)))
    store.save()
    result = run("labels", "convert", store.sidecar, tmp_path / "calls.txt")
    assert result.returncode == 0, result.stderr
    assert "(sidecar)" in result.stdout
    assert (tmp_path / "calls.txt").read_text(encoding="utf-8") == (
        "0.500000\t0.750000\twren\n\\\t3000.000000\t8000.000000\n")
