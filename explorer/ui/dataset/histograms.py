"""Histograms of the dataset's duration, loudness, RMS, silence share and sample rate; dragging
a histogram's range (its shaded region's edges) filters the table to the rows inside it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

#: (column, title, unit): the histograms, left to right.
HISTOGRAMS = (("duration", "Duration", "s"), ("loudness_lufs", "Loudness", "LUFS"),
              ("rms_dbfs", "RMS", "dBFS"), ("silence_fraction", "Silence share", ""),
              ("sample_rate", "Sample rate", "kHz"))
BINS = 30
#: The region is shaded only while it filters; until then its two edges alone show it can be.
IDLE_BRUSH, ACTIVE_BRUSH = (0, 0, 0, 0), (255, 200, 80, 45)


def finite(values) -> np.ndarray:
    """The finite numbers among `values` (None, NaN and -inf left out), as an array."""
    xs = np.array([math.nan if v is None else v for v in values], dtype=float)
    return xs[np.isfinite(xs)]


class Histogram(pg.PlotWidget):
    """One column's histogram with a range the user drags; `rangeChanged(column)` after a drag."""

    rangeChanged = Signal(str)

    def __init__(self, column: str, title: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.setBackground("#1e1e1e")
        self.setTitle(f"{title}" + (f" ({unit})" if unit else ""), size="8pt")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.getPlotItem().getAxis("left").setWidth(28)
        if column == "sample_rate":  # kept in Hz (the rows' unit), labelled in kHz to fit
            self.getPlotItem().getAxis("bottom").setScale(0.001)
        self.bars = pg.BarGraphItem(x=[], height=[], width=1, brush="#4f8fd8", pen=None)
        self.addItem(self.bars)
        self.region = pg.LinearRegionItem(brush=IDLE_BRUSH, pen=pg.mkPen("#ffb347", width=2),
                                          hoverBrush=(255, 200, 80, 30))
        self.region.setZValue(10)
        self.region.hide()
        self.addItem(self.region)
        self.span: tuple[float, float] | None = None  # the data's range
        self.active = False  # the user narrowed the range: it filters
        self._setting = False
        self.region.sigRegionChangeFinished.connect(self._finished)
        self.setMinimumSize(120, 110)
        self.setToolTip("Drag the orange edges to show only the files in that range; "
                        "double-click to show every file again")

    def set_values(self, values: np.ndarray) -> None:
        """Draw the histogram of `values` (finite numbers) and keep the region on the data."""
        if values.size == 0:
            self.bars.setOpts(x=[], height=[], width=1)
            self.region.hide()
            self.span = None
            return
        lo, hi = float(values.min()), float(values.max())
        if self.column == "sample_rate":  # one bar per rate
            rates, counts = np.unique(values, return_counts=True)
            width = max(hi * 0.03, 500.0)
            self.bars.setOpts(x=rates, height=counts, width=width)
            lo, hi = lo - width, hi + width
        else:
            if hi <= lo:
                lo, hi = lo - 0.5, hi + 0.5
            counts, edges = np.histogram(values, bins=BINS, range=(lo, hi))
            self.bars.setOpts(x=(edges[:-1] + edges[1:]) / 2, height=counts,
                              width=(edges[1] - edges[0]) * 0.9)
        self.span = (lo, hi)
        self.region.show()
        self._setting = True
        try:
            self.region.setBounds((lo, hi))
        finally:
            self._setting = False
        if not self.active:
            self._set_region(lo, hi)
        self.setXRange(lo, hi, padding=0.02)

    def _set_region(self, lo: float, hi: float) -> None:
        self._setting = True
        try:
            self.region.setRegion((lo, hi))
        finally:
            self._setting = False

    def _finished(self, _item=None) -> None:
        if self._setting or self.span is None:
            return
        lo, hi = self.region.getRegion()
        span = self.span
        tol = (span[1] - span[0]) * 1e-3
        self.active = lo > span[0] + tol or hi < span[1] - tol
        self.region.setBrush(ACTIVE_BRUSH if self.active else IDLE_BRUSH)
        self.rangeChanged.emit(self.column)

    def chosen(self) -> tuple[float, float] | None:
        """The range that filters, or None when the whole data is selected."""
        return tuple(self.region.getRegion()) if self.active else None

    def drag_to(self, lo: float, hi: float) -> None:
        """What a drag of the region's edges does (and the tests do)."""
        self.region.setRegion((lo, hi))
        self.region.lineMoveFinished()

    def reset(self, emit: bool = True) -> None:
        self.active = False
        self.region.setBrush(IDLE_BRUSH)
        if self.span is not None:
            self._set_region(*self.span)
        if emit:
            self.rangeChanged.emit(self.column)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        self.reset()
        event.accept()


class Histograms(QWidget):
    """The row of histograms; `rangesChanged(dict)` with every active range after a drag."""

    rangesChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)  # two rows of three beside the table
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.plots = {column: Histogram(column, title, unit)
                      for column, title, unit in HISTOGRAMS}
        for i, plot in enumerate(self.plots.values()):
            layout.addWidget(plot, i // 3, i % 3)
            plot.rangeChanged.connect(lambda _c: self.rangesChanged.emit(self.ranges()))

    def ranges(self) -> dict[str, tuple[float, float]]:
        return {c: r for c, p in self.plots.items() if (r := p.chosen()) is not None}

    def update_rows(self, rows: list) -> None:
        for column in self.plots:
            self.update_column(column, rows)

    def update_column(self, column: str, rows: list) -> None:
        """One histogram (the scan redraws them one per tick: each costs the GUI ~10 ms)."""
        self.plots[column].set_values(
            finite([getattr(r, column, None) for r in rows if r is not None]))

    def reset(self) -> None:
        for plot in self.plots.values():
            plot.reset(emit=False)
        self.rangesChanged.emit({})
