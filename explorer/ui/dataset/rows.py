"""The dataset's rows as the table shows them: column names, display text, sort keys and the
filters (flag, free text, value ranges), kept apart from Qt so they are cheap and testable."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.model import measure

#: The measurement columns, named and ordered as the model's FileMeasurement (the issue's list).
#: ...then how many labels each file has (its sidecar or the label files beside it: ui/dataset/labels.py)
LABELS_COLUMN = "labels"
COLUMNS = measure.COLUMNS + (LABELS_COLUMN,)
NUMERIC = frozenset({"sample_rate", "channels", "frames", "duration", "peak_dbfs", "rms_dbfs", "labels",
                     "loudness_lufs", "dc_offset", "clipped_fraction", "silence_fraction",
                     "bandwidth_hz"})
#: Shown at first; the others are a right-click on the header away (a 19-column table is too wide).
DEFAULT_HIDDEN = frozenset({"channels", "frames", "format", "subtype", "dc_offset",
                            "clipped_fraction", "bandwidth_hz", "audio_hash", "duplicate_of",
                            "error"})
_DIGITS = {"duration": 3, "peak_dbfs": 2, "rms_dbfs": 2, "loudness_lufs": 2, "dc_offset": 5,
           "clipped_fraction": 4, "silence_fraction": 3, "bandwidth_hz": 0}


def number(value: Any) -> float | None:
    """A cell as a float for sorting and ranges; None when empty or not a number (NaN too)."""
    if value is None or value == "":
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def key_of(value: Any, root: Path | None) -> Path:
    """A row's path as the absolute path the file table knows (relative ones are under `root`)."""
    path = Path(value)
    return path if path.is_absolute() or root is None else root / path


def display(column: str, value: Any, root: Path | None) -> str:
    """A cell's text: numbers to a sensible precision, paths relative to the folder."""
    if value is None:
        return ""
    if column in ("path", "duplicate_of"):
        if value == "":
            return ""
        path = Path(value)
        try:
            return str(path.relative_to(root)) if root is not None else str(path)
        except ValueError:
            return str(path)
    if column == "flags":
        return "; ".join(f for f in str(value).split(";") if f)
    if column == "audio_hash":
        return str(value)[:12]
    if column in _DIGITS:
        x = number(value)
        if x is None:
            return ""
        if math.isinf(x):
            return "-inf" if x < 0 else "inf"
        return f"{x:.{_DIGITS[column]}f}"
    return str(value)


def sort_key(column: str, value: Any) -> tuple:
    """Empty cells sort last whichever the direction is asked (the caller flips only the rest)."""
    if column in NUMERIC:
        x = number(value)
        return (1, 0.0) if x is None else (0, x)
    text = "" if value is None else str(value).lower()
    return (1, "") if text == "" else (0, text)


@dataclass
class Filters:
    """What the table shows: a flag ("" = every row), words to find, and value ranges."""

    flag: str = ""
    text: str = ""
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    label: str | None = None  # a label value the file must have (None: any file)

    @property
    def active(self) -> bool:
        return bool(self.flag or self.text.strip() or self.ranges or self.label is not None)

    def accepts(self, path_text: str, row: Any, transcript: str,
                label_values: frozenset[str] = frozenset()) -> bool:
        """A row passes when it has the flag, every word of the text (in its path, transcript,
        flags or error), a value inside every range and the label value (among `label_values`,
        its file's); an unmeasured row passes no flag nor range."""
        if self.label is not None and self.label not in label_values:
            return False
        if (self.flag or self.ranges) and row is None:
            return False
        if self.flag and not row.has_flag(self.flag):
            return False
        words = self.text.lower().split()
        if words:
            hay = " ".join((path_text, transcript, str(getattr(row, "flags", "") or ""),
                            str(getattr(row, "error", "") or ""))).lower()
            if not all(w in hay for w in words):
                return False
        for column, (lo, hi) in self.ranges.items():
            x = number(getattr(row, column, None))
            if x is None or not (lo <= x <= hi):
                return False
        return True


def summary_text(rows: list[Any], listed: int, shown: int) -> str:
    """One line on the whole folder: files, hours, rates, channels, flags, unreadable."""
    measured = [r for r in rows if r is not None]
    hours = sum(number(r.duration) or 0.0 for r in measured) / 3600
    parts = [f"{listed} files" + (f" ({len(measured)} measured)" if len(measured) < listed else ""),
             f"{hours:.2f} h" if hours >= 0.1 else f"{hours * 60:.1f} min"]
    rates = Counter(r.sample_rate for r in measured if number(r.sample_rate))
    if rates:
        parts.append(", ".join(f"{int(rate)} Hz ×{n}" for rate, n in rates.most_common(4))
                     + (" …" if len(rates) > 4 else ""))
    channels = Counter(r.channels for r in measured if number(r.channels))
    if len(channels) > 1:
        parts.append(", ".join(f"{int(c)} ch ×{n}" for c, n in channels.most_common()))
    flags = Counter(f for r in measured for f in r.flag_list)
    parts.append(", ".join(f"{f} {n}" for f, n in flags.most_common()) if flags else "no flags")
    if shown != listed:
        parts.append(f"showing {shown}")
    return " · ".join(parts)
