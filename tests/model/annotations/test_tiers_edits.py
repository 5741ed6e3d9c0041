"""Tiers keep their labels in order; every edit undoes exactly and survives its JSON line."""

from __future__ import annotations

import json

import pytest

from explorer.model.annotations.edits import (
    AddLabel,
    AddTier,
    ChangeLabel,
    Edit,
    EditError,
    EditGroup,
    RemoveLabel,
    RemoveTier,
    RenameTier,
)
from explorer.model.annotations.tiers import Annotations, Label, Tier, infer_kind


def sample() -> Annotations:
    return Annotations([
        Tier("words", "interval", [Label(1.5, 2.0, "world"), Label(0.1, 1.2, "hello")]),
        Tier("calls", "box", [Label(0.5, 0.9, "robin", 2000.0, 6000.0,
                                    (("Species", "Erithacus"),))]),
        Tier("beats", "point", [Label(0.25, None, "1")]),
    ], file="a.wav", duration=3.0)


def test_tier_sorts_and_inserts_in_order():
    ann = sample()
    words = ann.tier("words")
    assert [lab.label for lab in words.labels] == ["hello", "world"]
    assert words.add(Label(1.3, 1.4, "mid")) == 1
    assert [lab.start for lab in words.labels] == [0.1, 1.3, 1.5]
    with pytest.raises(KeyError):
        ann.tier("nope")


def test_label_rejects_backwards_and_nan():
    with pytest.raises(ValueError, match="before it starts"):
        Label(2.0, 1.0, "x")
    with pytest.raises(ValueError):
        Label(float("nan"))


def test_infer_kind():
    assert infer_kind([Label(1, 2), Label(3, 4, "", 10, 20)]) == "box"
    assert infer_kind([Label(1), Label(2, 2.0)]) == "point"
    assert infer_kind([Label(1, 2), Label(3)]) == "interval"
    assert infer_kind([]) == "interval"


def edits_of(ann: Annotations) -> list[Edit]:
    hello = ann.tier("words").labels[0]
    return [
        AddLabel("words", Label(2.5, 2.9, "café 鳥 🐦")),
        RemoveLabel("words", hello),
        ChangeLabel("calls", ann.tier("calls").labels[0],
                    Label(0.4, 1.0, "robin?", 1800.0, 6100.0, (("Species", "Erithacus"),))),
        RemoveTier.of(ann, "beats"),  # built on the state it applies to: before the AddTier
        AddTier("phones", "interval", (Label(0.0, 0.1, ""),), 0),
        RenameTier("words", "Wörter"),
        EditGroup((AddLabel("calls", Label(2.0, 2.1, "x", 1.0, 2.0)),
                   AddLabel("calls", Label(2.2, 2.3, "y", 1.0, 2.0))), "two boxes"),
    ]


def snapshot(ann: Annotations):
    return [(t.name, t.kind, list(t.labels)) for t in ann.tiers]


def test_each_edit_and_its_inverse_restore_the_state():
    ann = sample()
    for edit in edits_of(ann):
        before = snapshot(ann)
        edit.apply(ann)
        assert snapshot(ann) != before, edit
        edit.inverse().apply(ann)
        assert snapshot(ann) == before, edit


def test_undo_redo_sequence_and_json_round_trip():
    ann = sample()
    original = snapshot(ann)
    done = []
    for edit in edits_of(ann):
        edit.apply(ann)
        done.append(edit)
    after = snapshot(ann)
    assert ann.tier("Wörter").labels[-1].label == "café 鳥 🐦"
    assert not ann.has_tier("beats") and ann.tiers[0].name == "phones"
    for edit in reversed(done):  # undo all
        edit.inverse().apply(ann)
    assert snapshot(ann) == original
    replayed = sample()  # redo all from their journal lines
    for edit in done:
        line = json.dumps(edit.to_json(), ensure_ascii=False)
        again = Edit.from_json(json.loads(line))
        assert again == edit
        again.apply(replayed)
    assert snapshot(replayed) == after


def test_edits_that_do_not_fit_say_why():
    ann = sample()
    with pytest.raises(EditError, match="no tier named 'nope'"):
        AddLabel("nope", Label(1.0)).apply(ann)
    with pytest.raises(EditError, match="has no label"):
        RemoveLabel("words", Label(9.0, 9.5, "ghost")).apply(ann)
    with pytest.raises(EditError, match="already a tier"):
        RenameTier("words", "calls").apply(ann)
    before = snapshot(ann)
    group = EditGroup((AddLabel("words", Label(5.0, 6.0, "ok")), RemoveLabel("words", Label(9.0))))
    with pytest.raises(EditError):
        group.apply(ann)
    assert snapshot(ann) == before  # all or nothing
    with pytest.raises(EditError, match="not an edit"):
        Edit.from_json({"op": "explode"})


def test_copy_is_independent():
    ann = sample()
    twin = ann.copy()
    AddLabel("words", Label(4.0, 5.0, "new")).apply(twin)
    assert len(twin) == len(ann) + 1
    assert twin.file == "a.wav" and twin.duration == 3.0
