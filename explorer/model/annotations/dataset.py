"""The labels of a whole dataset: one table of every label (`labels export`) and the summary of
label values (count and total duration each) that the Dataset view draws as a bar chart."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from explorer.model.annotations.formats import FormatError
from explorer.model.annotations.formats.table import dump_rows, rows_of
from explorer.model.annotations.store import LabelStore
from explorer.model.annotations.tiers import Annotations
from explorer.model.dataset import is_audio_path, scan_folder


def annotations_of(audio: Path, annotations_dir: Path | None = None) -> tuple[Annotations, list[str]]:
    """What the window would show for `audio`: its sidecar, else the label files beside it (never
    written to); and the problems met, in words (a damaged label file)."""
    store = LabelStore(audio, annotations_dir)
    try:
        ann = store.load()
    except (FormatError, OSError, ValueError) as exc:
        return Annotations(file=Path(audio).name), [str(exc)]
    return ann, list(store.problems)


def audio_files(src: Path, recursive: bool = False) -> list[Path]:
    """The audio files of SRC: itself when it is one, else those of the folder."""
    src = Path(src)
    if src.is_file():
        return [src] if is_audio_path(src) else []
    return scan_folder(src, recursive)


def dataset_annotations(src: Path, recursive: bool = False, annotations_dir: Path | None = None
                        ) -> Iterator[tuple[str, Annotations, list[str]]]:
    """(name relative to SRC, annotations, problems) of every audio file of SRC."""
    src = Path(src)
    base = src.parent if src.is_file() else src
    for audio in audio_files(src, recursive):
        ann, problems = annotations_of(audio, annotations_dir)
        yield audio.relative_to(base).as_posix(), ann, problems


def export_table(items: Iterable[tuple[str, Annotations]]) -> bytes:
    """The plain CSV of every label (file, tier, start, end, low_hz, high_hz, label, extras)."""
    rows = []
    for name, ann in items:
        rows += rows_of(ann, name)
    return dump_rows(rows)


@dataclass(frozen=True)
class LabelCount:
    """One label value of a dataset: how many labels carry it and the seconds they cover."""

    label: str
    count: int
    total_duration: float


def label_summary(annotations: Iterable[Annotations], tier: str | None = None) -> list[LabelCount]:
    """Count and total duration (points count 0 s) of each label value, most frequent first (ties
    by name); only the tier named `tier` when given."""
    counts: dict[str, int] = {}
    totals: dict[str, float] = {}
    for ann in annotations:
        for tier_name, lab in ann.labels():
            if tier is not None and tier_name != tier:
                continue
            counts[lab.label] = counts.get(lab.label, 0) + 1
            totals[lab.label] = totals.get(lab.label, 0.0) + lab.duration
    return sorted((LabelCount(k, counts[k], totals[k]) for k in counts),
                  key=lambda c: (-c.count, c.label))


def label_counts(ann: Annotations) -> int:
    """The Dataset view's label-count column: how many labels a file has."""
    return len(ann)
