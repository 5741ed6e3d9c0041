"""Point colours of the map by a column: numbers through a 32-step colour map, categories
(flags, sub-folders, rates) through a 10-colour palette. Few distinct brushes keep pyqtgraph's
symbol cache small, which keeps 100,000 points fast."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

#: Steps of the numeric colour map: more are not told apart on a scatter, and each is a brush.
STEPS = 32
#: Categories coloured apart (the most common ones); the rest share grey.
MAX_CATEGORIES = 10
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
PLAIN = "#7fb0ff"
OTHER = "#666666"
#: Numeric columns offered for colouring (the scan's report columns).
NUMERIC = ("sample_rate", "duration", "peak_dbfs", "rms_dbfs", "loudness_lufs", "silence_fraction",
           "clipped_fraction", "bandwidth_hz", "channels")
#: Category columns: what the points are grouped by.
CATEGORIES = ("sub-folder", "format", "label")


def _brushes(colours: list[str]) -> list[QBrush]:
    return [QBrush(QColor(c)) for c in colours]


_RAMP: list[QBrush] = []


def _ramp() -> list[QBrush]:
    """STEPS brushes of viridis (made once: the map's brushes are shared objects)."""
    if not _RAMP:
        table = pg.colormap.get("viridis").getLookupTable(nPts=STEPS, mode="byte")
        _RAMP.extend(QBrush(QColor(int(r), int(g), int(b))) for r, g, b, *_ in table)
    return _RAMP


def numeric_colours(values: np.ndarray) -> tuple[list[QBrush], str]:
    """Brushes by value (NaN grey) and a legend line (low .. high)."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    grey = QBrush(QColor(OTHER))
    if not finite.any():
        return [grey] * len(v), "no values"
    lo, hi = float(np.min(v[finite])), float(np.max(v[finite]))
    ramp = _ramp()
    steps = np.zeros(len(v), np.int64)
    if hi > lo:
        steps[finite] = np.clip(((v[finite] - lo) / (hi - lo) * (STEPS - 1)).round(), 0, STEPS - 1)
    out = [ramp[s] if ok else grey for s, ok in zip(steps, finite, strict=True)]
    return out, f"dark {lo:.4g} … bright {hi:.4g}"


def category_colours(values: list[Any]) -> tuple[list[QBrush], str]:
    """Brushes by category (the MAX_CATEGORIES most common apart, the rest grey) and a legend."""
    common = [k for k, _n in Counter(values).most_common(MAX_CATEGORIES)]
    brushes = _brushes(list(PALETTE))
    index = {k: i for i, k in enumerate(common)}
    grey = QBrush(QColor(OTHER))
    out = [brushes[index[v]] if v in index else grey for v in values]
    legend = "  ".join(f"<span style='color:{PALETTE[i]}'>●</span> {k if k != '' else '(none)'}"
                       for k, i in index.items())
    return out, legend


def sub_folder(path: str, root: str | None) -> str:
    """The first folder under the dataset's root ('' for files at the top)."""
    # by string (a PurePath per clip cost ~100 ms per 10,000 on the GUI thread)
    prefix = root.rstrip("/") + "/" if root else ""
    rel = path[len(prefix):] if prefix and path.startswith(prefix) else path.lstrip("/")
    first, sep, _rest = rel.partition("/")
    return first if sep else ""


def plain() -> QBrush:
    return QBrush(QColor(PLAIN))
