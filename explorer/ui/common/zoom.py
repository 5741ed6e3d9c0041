"""Time zoom commands (fit, in, out, to selection) with a history, so "previous zoom" can undo
them as in Audacity; they act on one time view box (the others follow it through their X link)."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg

ZOOM_STEP = 2.0  # zoom in halves the visible span, zoom out doubles it
HISTORY = 50


class TimeZoom:
    """Zoom commands on `viewbox`'s x range; `extent` gives (0, duration) of what is shown."""

    def __init__(self, viewbox: pg.ViewBox, extent: Callable[[], tuple[float, float] | None],
                 playhead: Callable[[], float]) -> None:
        self.viewbox = viewbox
        self.extent = extent
        self.playhead = playhead
        self.history: list[tuple[float, float]] = []

    def current(self) -> tuple[float, float]:
        (x0, x1), _ = self.viewbox.viewRange()
        return float(x0), float(x1)

    def _go(self, x0: float, x1: float) -> bool:
        extent = self.extent()
        if extent is None or x1 <= x0:
            return False
        lo, hi = extent
        span = min(x1 - x0, hi - lo) if hi > lo else x1 - x0
        x0 = min(max(x0, lo), hi - span)  # keep the new range inside the clip
        before = self.current()
        self.history = (self.history + [before])[-HISTORY:]
        self.viewbox.setXRange(x0, x0 + span, padding=0)
        return True

    def fit(self) -> bool:
        extent = self.extent()
        return extent is not None and self._go(*extent)

    def zoom_in(self) -> bool:
        return self._scale(1 / ZOOM_STEP)

    def zoom_out(self) -> bool:
        return self._scale(ZOOM_STEP)

    def _scale(self, factor: float) -> bool:
        """Zooms about the playhead when it is in view (as Audacity does), else the centre."""
        x0, x1 = self.current()
        centre = self.playhead()
        if not x0 <= centre <= x1:
            centre = (x0 + x1) / 2
        span = (x1 - x0) * factor
        frac = (centre - x0) / (x1 - x0) if x1 > x0 else 0.5
        return self._go(centre - frac * span, centre - frac * span + span)

    def to_selection(self, selection: tuple[float, float] | None) -> bool:
        return selection is not None and self._go(*selection)

    def previous(self) -> bool:
        """Back to the range before the last zoom command; False when there is none."""
        if not self.history:
            return False
        x0, x1 = self.history.pop()
        self.viewbox.setXRange(x0, x1, padding=0)
        return True

    def clear(self) -> None:
        self.history.clear()
