"""The sidecar store: loads what is beside the audio, saves only its sidecar, journals edits,
restores them after a crash, notices other programs' changes, falls back from read-only folders."""

from __future__ import annotations

import os
import time

import pytest

from explorer.model.annotations.edits import AddLabel, ChangeLabel, RemoveLabel
from explorer.model.annotations.formats import read_labels, write_labels
from explorer.model.annotations.store import (
    LabelStore,
    default_annotations_dir,
    labels_beside,
    read_sidecar,
    sidecar_path,
)
from explorer.model.annotations.tiers import Annotations, Label, Tier


def table(tmp_path, name="a.csv"):
    ann = Annotations([Tier("words", "interval", [Label(0.1, 0.5, "hi"), Label(0.6, 0.9, "you")]),
                       Tier("calls", "box", [Label(0.2, 0.3, "café", 100.0, 900.0)])], file="a.wav")
    path = tmp_path / name
    write_labels(ann, path)
    return ann, path


def test_csv_round_trip_keeps_everything_it_can(tmp_path):
    ann, path = table(tmp_path)
    back = read_labels(path)
    assert back.same_content(ann)
    assert back.file == "a.wav"
    assert path.read_text(encoding="utf-8").splitlines()[0] == "file,tier,start,end,low_hz,high_hz,label"


def test_labels_beside_and_sidecar_names(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    _, csv_path = table(tmp_path)
    (tmp_path / "a.txt").write_text("a transcript, not labels\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("file,tier,start,end,low_hz,high_hz,label\nb.wav,t,1,2,,,x\n")
    assert labels_beside(audio) == [csv_path]
    (tmp_path / "a.txt").write_text("42\n", encoding="utf-8")  # a transcript, not a point at 42 s
    assert labels_beside(audio) == [csv_path]
    (tmp_path / "a.txt").write_text("4.2\t5.0\tword\n", encoding="utf-8")
    raven = tmp_path / "a.Table.1.selections.txt"
    write_labels(Annotations([Tier("labels", "box", [Label(1.0, 2.0, "x", 10.0, 20.0)])]), raven)
    assert labels_beside(audio) == [tmp_path / "a.txt", csv_path, raven]
    (tmp_path / "a.TextGrid").write_text("damaged", encoding="utf-8")
    assert labels_beside(audio) == [tmp_path / "a.TextGrid", tmp_path / "a.txt", csv_path, raven]
    store = LabelStore(audio)
    ann = store.load()  # what parses is loaded, the damaged file is said
    assert [t.name for t in ann.tiers] == ["labels", "words", "calls", "labels (a.Table.1.selections.txt)"]
    assert len(store.problems) == 1 and "a.TextGrid" in store.problems[0]
    assert store.sources == [tmp_path / "a.txt", csv_path, raven]
    write_labels(Annotations([Tier("t", "point", [Label(1.0)])]), tmp_path / "a.TextGrid")
    assert store.changed_files() == [tmp_path / "a.TextGrid"]  # mended in Praat: offered
    assert sidecar_path(audio) == tmp_path / "a.wav.labels.json"
    other = sidecar_path(audio, tmp_path / "ann")
    assert other.parent == tmp_path / "ann" and other.name.startswith("a.wav.")
    assert sidecar_path(tmp_path / "x" / "a.wav", tmp_path / "ann") != other  # folders kept apart


def test_store_loads_beside_saves_only_the_sidecar(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    ann, original = table(tmp_path)
    before = original.read_bytes()
    store = LabelStore(audio)
    loaded = store.load()
    assert loaded.same_content(ann) and store.sources == [original]
    store.apply(AddLabel("words", Label(1.0, 1.2, "new")))
    assert store.dirty and store.journal.path.is_file()
    store.save()
    assert original.read_bytes() == before  # the user's file is never written
    assert not store.journal.path.exists()  # a clean save removes the journal
    assert read_sidecar(store.sidecar).same_content(store.annotations)
    again = LabelStore(audio)
    assert again.load().tier("words").labels[-1].label == "new"  # the sidecar wins now
    assert again.sources == [store.sidecar]


def test_restore_replays_a_journal_left_behind(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    table(tmp_path)
    store = LabelStore(audio)
    store.load()
    hi = store.annotations.tier("words").labels[0]
    edits = [AddLabel("words", Label(2.0, 2.5, "鳥")), RemoveLabel("words", hi),
             ChangeLabel("calls", store.annotations.tier("calls").labels[0],
                         Label(0.2, 0.35, "café!", 100.0, 950.0))]
    for edit in edits:
        store.apply(edit)
    expected = store.annotations.copy()
    store.journal.close()  # as a crash would leave it: no save
    fresh = LabelStore(audio)
    fresh.load()
    assert fresh.restore() == 3
    assert fresh.annotations.same_content(expected)
    assert fresh.sidecar.is_file() and not fresh.journal.path.exists()  # saved at once
    assert LabelStore(audio).restore() == 0


def test_stale_journal_after_a_save_is_not_replayed(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    table(tmp_path)
    store = LabelStore(audio)
    store.load()
    store.apply(AddLabel("words", Label(2.0, 2.5, "x")))
    journal = store.journal.path.read_bytes()
    store.save()
    store.journal.path.write_bytes(journal)  # a crash between the save and the removal
    fresh = LabelStore(audio)
    fresh.load()
    assert fresh.restore() == 0
    assert [lab.label for lab in fresh.annotations.tier("words").labels].count("x") == 1


def test_torn_last_line_is_skipped(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    store = LabelStore(audio)
    store.load()
    from explorer.model.annotations.edits import AddTier
    store.apply(AddTier("t", "point"))
    store.apply(AddLabel("t", Label(1.0, None, "p")))
    store.journal.close()
    with open(store.journal.path, "ab") as f:
        f.write(b'{"op":"add_label","tier":"t","lab')
    fresh = LabelStore(audio)
    fresh.load()
    assert fresh.restore() == 2 and fresh.skipped == 1
    assert fresh.annotations.tier("t").labels == [Label(1.0, None, "p")]


def test_changed_on_disk(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    _, original = table(tmp_path)
    store = LabelStore(audio)
    store.load()
    assert store.changed_on_disk() == []
    os.utime(original, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # touched: same bytes
    assert not store.changed_on_disk()
    original.write_text(original.read_text() + "a.wav,words,3.0,3.5,,,more\n", encoding="utf-8")
    assert store.changed_on_disk() == store.changed_files() == [original]
    store.save()
    assert store.changed_files() == [original]  # our own save is not someone else's change
    store.sidecar.write_text(store.sidecar.read_text().replace('"hi"', '"edited elsewhere"'))
    assert store.changed_files() == [original, store.sidecar]
    store.acknowledge([original])  # the user keeps what is shown: not offered again
    assert store.changed_files() == [store.sidecar]
    store.load()  # reloaded: the sidecar is what was read now
    assert not store.changed_on_disk()
    assert store.annotations.tier("words").labels[0].label == "edited elsewhere"


def test_read_only_folder_falls_back_to_the_annotations_folder(monkeypatch):
    """As a user who may not write the audio's folder (root acts as 'nobody')."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.nobody import as_nobody

    parent = Path(tempfile.mkdtemp(prefix="explorer-labels-"))  # not root's private tmp_path
    try:
        parent.chmod(0o755)
        folder = parent / "ro"
        folder.mkdir()
        audio = folder / "a.wav"
        audio.write_bytes(b"")
        table(folder)
        ann_dir = parent / "annotations"
        ann_dir.mkdir()
        ann_dir.chmod(0o777)
        folder.chmod(0o555)
        with as_nobody():
            store = LabelStore(audio, annotations_dir=ann_dir)
            store.load()
            store.apply(AddLabel("words", Label(5.0, 6.0, "z")))
            saved = store.save()
            again = LabelStore(audio, annotations_dir=ann_dir)
            assert again.load().tier("words").labels[-1].label == "z"
        assert saved.parent == ann_dir and saved.is_file()
        assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "a.wav"]
    finally:
        (parent / "ro").chmod(0o755)
        shutil.rmtree(parent)
    monkeypatch.setenv("AUDIO_EXPLORER_ANNOTATIONS_DIR", str(ann_dir))
    assert default_annotations_dir() == ann_dir


def test_save_as_writes_the_named_file(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    _, original = table(tmp_path)
    store = LabelStore(audio)
    store.load()
    store.apply(AddLabel("words", Label(4.0, 4.5, "explicit")))
    store.save_as(original)
    assert "explicit" in original.read_text(encoding="utf-8")
    assert not store.changed_on_disk()  # our own write is not someone else's change


@pytest.mark.parametrize("interval", [2.0])
def test_journal_fsyncs_at_most_every_interval(tmp_path, interval):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    now = [100.0]
    store = LabelStore(audio, sync_interval=interval)
    store.journal.clock = lambda: now[0]
    store.load()
    from explorer.model.annotations.edits import AddTier
    store.apply(AddTier("t"))
    store.apply(AddLabel("t", Label(1.0, 2.0)))
    assert store.journal.unsynced == 2 and not store.journal.sync_due()
    now[0] += interval
    assert store.journal.sync_due()
    store.apply(AddLabel("t", Label(3.0, 4.0)))  # this one's append syncs
    assert store.journal.unsynced == 0
    store.apply(AddLabel("t", Label(5.0, 6.0)))
    store.flush()
    assert store.journal.unsynced == 0


def test_full_disk_keeps_the_old_sidecar_and_the_journal(small_disk):
    from explorer.model.atomic import WriteError

    audio = small_disk.root / "a.wav"
    audio.write_bytes(b"")
    store = LabelStore(audio)
    store.load()
    from explorer.model.annotations.edits import AddTier
    store.apply(AddTier("t"))
    store.save()
    saved = store.sidecar.read_bytes()
    store.apply(AddLabel("t", Label(1.0, 2.0, "kept by the journal")))
    small_disk.fill()
    with pytest.raises(WriteError, match="disk full"):
        store.save()
    assert store.sidecar.read_bytes() == saved  # the old sidecar, byte for byte
    store.journal.close()
    fresh = LabelStore(audio)
    fresh.load()
    with pytest.raises(WriteError, match="disk full"):  # restored, but cannot be saved yet
        fresh.restore()
    assert fresh.restored == 1 and fresh.annotations.tier("t").labels[0].label == "kept by the journal"
    fresh.apply(AddLabel("t", Label(3.0, 4.0, "after")))  # goes on in the same journal
    fresh.journal.close()
    (small_disk.root / ".filler").unlink()
    last = LabelStore(audio)
    last.load()
    assert last.restore() == 2
    assert [lab.label for lab in last.annotations.tier("t").labels] == ["kept by the journal", "after"]


def test_editing_before_restore_replays_the_crash_first(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    store = LabelStore(audio)
    store.load()
    from explorer.model.annotations.edits import AddTier
    store.apply(AddTier("t"))
    store.apply(AddLabel("t", Label(1.0, 2.0, "from the crash")))
    store.journal.close()
    careless = LabelStore(audio)
    careless.load()  # restore() forgotten
    careless.apply(AddLabel("t", Label(3.0, 4.0, "new")))
    assert careless.restored == 2
    assert [lab.label for lab in careless.annotations.tier("t").labels] == ["from the crash", "new"]


def test_the_sidecar_keeps_everything(tmp_path):
    """Tier order and kinds, an empty tier, boxes, extras, Unicode, exact floats, meta."""
    from explorer.model.annotations.serial import dumps

    ann = Annotations([
        Tier("empty", "point"),
        Tier("calls", "box", [Label(1 / 3, 2 / 3, "鳥 🐦", 0.1 + 0.2, 11025.5, (("Notes", 'a "b"'),))]),
        Tier("words", "interval", [Label(0.0, 0.5, ""), Label(0.25, 1.0, "overlap\nnewline")]),
    ], file="a.wav", duration=12.75, meta={"raven.label_column": "Species"})
    path = tmp_path / "a.wav.labels.json"
    path.write_text(dumps(ann), encoding="utf-8")
    back = read_sidecar(path)
    assert back.same_content(ann)
    assert (back.file, back.duration, back.meta) == (ann.file, ann.duration, ann.meta)
    assert [t.kind for t in back.tiers] == ["point", "box", "interval"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1 + 3 + 3  # head, tiers, labels
    path.write_text('{"version": 1, "tiers": [{"name": "x", "labels": [{"start": "soon"}]}]}')
    from explorer.model.annotations.formats import FormatError
    with pytest.raises(FormatError, match="a damaged labels file"):
        read_sidecar(path)


def test_tier_names_are_made_unique_on_load(tmp_path):
    """Praat allows two tiers of one name; edits name their tier, so the store tells them apart."""
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    write_labels(Annotations([Tier("w", "interval", [Label(0.0, 1.0, "one")]),
                              Tier("w", "point", [Label(2.0, None, "two")]),
                              Tier("w", "interval", [Label(3.0, 4.0, "three")])]), tmp_path / "a.TextGrid")
    ann = LabelStore(audio).load()
    assert [t.name for t in ann.tiers] == ["w", "w (a.TextGrid)", "w (a.TextGrid) 2"]
    assert [t.labels[0].label for t in ann.tiers] == ["one", "two", "three"]
