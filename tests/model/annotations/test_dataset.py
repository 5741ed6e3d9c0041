"""The Dataset view's label summary and label counts, and what a damaged label file gives."""

from __future__ import annotations

from explorer.model.annotations.dataset import annotations_of, label_counts, label_summary
from explorer.model.annotations.tiers import Annotations, Label, Tier


def test_summary_counts_durations_order_and_tier_filter():
    a = Annotations([Tier("calls", "box", [Label(0.0, 1.5, "robin", 1, 2), Label(2.0, 2.5, "wren", 1, 2)]),
                     Tier("beats", "point", [Label(1.0, None, "robin"), Label(2.0, None, "b")])])
    b = Annotations([Tier("calls", "interval", [Label(0.0, 0.25, "wren"), Label(1.0, 1.5, "a")])])
    summary = label_summary([a, b])
    assert [(c.label, c.count, c.total_duration) for c in summary] == [
        ("robin", 2, 1.5), ("wren", 2, 0.75), ("a", 1, 0.5), ("b", 1, 0.0)]  # ties by name
    assert [(c.label, c.count) for c in label_summary([a, b], tier="beats")] == [("b", 1), ("robin", 1)]
    assert label_summary([]) == []
    assert (label_counts(a), label_counts(b), label_counts(Annotations())) == (4, 2, 0)


def test_a_damaged_file_beside_the_audio_is_said(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    (tmp_path / "a.TextGrid").write_text("not a grid", encoding="utf-8")
    ann, problems = annotations_of(audio)
    assert len(ann) == 0 and len(problems) == 1 and "a.TextGrid" in problems[0]
    (tmp_path / "a.wav.labels.json").write_text("{damaged", encoding="utf-8")
    ann, problems = annotations_of(audio)
    assert len(ann) == 0 and "damaged labels file" in problems[0]
