"""The annotations of one audio file: tiers of intervals, points or time-frequency boxes.

The data every format reads into and writes from, and what the window edits (through `edits`).
Labels are immutable values, so an edit can name the label it changes by equality.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace

KINDS = ("interval", "point", "box")


@dataclass(frozen=True)
class Label:
    """One annotation: an interval, a point (end is None) or a box (low_hz and high_hz set)."""

    start: float  # seconds
    end: float | None = None  # None: a point
    label: str = ""
    low_hz: float | None = None  # a box when both are set
    high_hz: float | None = None
    extra: tuple[tuple[str, str], ...] = ()  # columns a format has and we do not model (Raven's)

    def __post_init__(self) -> None:
        if not math.isfinite(self.start):
            raise ValueError(f"a label's start must be a number of seconds, not {self.start}")
        if self.end is not None and not (math.isfinite(self.end) and self.end >= self.start):
            raise ValueError(f"a label ends ({self.end} s) before it starts ({self.start} s)")

    @property
    def is_point(self) -> bool:
        return self.end is None

    @property
    def is_box(self) -> bool:
        return self.low_hz is not None and self.high_hz is not None

    @property
    def duration(self) -> float:
        """Seconds covered (0 for a point): what the dataset summary adds up."""
        return 0.0 if self.end is None else self.end - self.start

    def sort_key(self) -> tuple:
        return (self.start, self.start if self.end is None else self.end, self.label)

    def get(self, column: str, default: str = "") -> str:
        """The value of a kept extra column."""
        return dict(self.extra).get(column, default)

    def moved(self, start: float, end: float | None) -> Label:
        return replace(self, start=start, end=end)


def infer_kind(labels: list[Label]) -> str:
    """The tier kind a format without kinds implies: boxes when any label has a band, points when
    every label is a point (or has no length), intervals otherwise."""
    if any(lab.is_box for lab in labels):
        return "box"
    if labels and all(lab.end is None or lab.end == lab.start for lab in labels):
        return "point"
    return "interval"


@dataclass
class Tier:
    """A named row of labels of one kind, kept sorted by start."""

    name: str
    kind: str = "interval"  # "interval" | "point" | "box"
    labels: list[Label] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a tier is one of {', '.join(KINDS)}, not {self.kind!r}")
        self.labels = sorted(self.labels, key=Label.sort_key)

    def add(self, label: Label) -> int:
        """Insert in order; returns the index."""
        index = bisect.bisect_right(self.labels, label.sort_key(), key=Label.sort_key)
        self.labels.insert(index, label)
        return index

    def remove(self, label: Label) -> int:
        """Remove the first label equal to `label`; KeyError when there is none."""
        for index, lab in enumerate(self.labels):
            if lab == label:
                del self.labels[index]
                return index
        raise KeyError(f"tier {self.name!r} has no label {label.label!r} at {label.start} s")

    def copy(self) -> Tier:
        return Tier(self.name, self.kind, list(self.labels))


@dataclass
class Annotations:
    """Everything of one audio file: its tiers in order (plus, when known, the audio's name and
    duration, which tables and TextGrids write)."""

    tiers: list[Tier] = field(default_factory=list)
    file: str = ""  # the audio file's name (the `file` column of a table)
    duration: float | None = None  # the audio's length in seconds (a TextGrid's xmax)
    meta: dict[str, str] = field(default_factory=dict)  # what a format needs to write back its
    # file as it was (Raven's label column: "raven.label_column")

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(f"no tier named {name!r}")

    def has_tier(self, name: str) -> bool:
        return any(tier.name == name for tier in self.tiers)

    def copy(self) -> Annotations:
        return Annotations([tier.copy() for tier in self.tiers], self.file, self.duration,
                           dict(self.meta))

    def labels(self) -> list[tuple[str, Label]]:
        """(tier name, label) of every label, tier by tier."""
        return [(tier.name, lab) for tier in self.tiers for lab in tier.labels]

    def __len__(self) -> int:
        return sum(len(tier.labels) for tier in self.tiers)

    def end_time(self) -> float:
        """The latest time any label reaches (0 when there is none)."""
        times = [lab.start if lab.end is None else lab.end for _, lab in self.labels()]
        return max(times, default=0.0)

    def same_content(self, other: Annotations) -> bool:
        """Equal tiers (names, kinds, labels), whatever file/duration say."""
        return [(t.name, t.kind, t.labels) for t in self.tiers] == [
            (t.name, t.kind, t.labels) for t in other.tiers]
