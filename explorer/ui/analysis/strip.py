"""The feature strip under the spectrogram: one small plot per frame feature shown (centroid,
bandwidth, roll-off, flatness, zero-crossing rate, RMS, onset strength), on the time axis
shared with the waveform and the spectrogram (linked X: zoom and pan move all of them)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.ui.analysis.compute import LayerData
from explorer.ui.analysis.layers import BY_KEY, LAYERS
from explorer.ui.common.time_axis import TimeAxis
from explorer.ui.waveform.view import TimeViewBox, style_plot

ROW_HEIGHT = 80  # pixels per feature


def strip_values(data: LayerData) -> np.ndarray:
    """The one row of a frame feature (librosa returns shape (1, frames))."""
    rows = data.result.rows
    if len(rows) == 1:
        return np.asarray(next(iter(rows.values())), dtype=np.float64)
    return np.asarray(data.result.values, dtype=np.float64).reshape(-1)


class FeatureStrip(QWidget):
    """Shown while at least one strip layer is; click seeks and drag selects as on the others."""

    seekRequested = Signal(float)
    selectionChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = [spec.key for spec in LAYERS if spec.place == "strip"]
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.regions: dict[str, pg.LinearRegionItem] = {}
        self.data: dict[str, LayerData] = {}
        self._made: dict[str, tuple] = {}  # key -> (plot, curve, region), made on first show
        self._partner: pg.PlotItem | None = None
        self.title = QLabel("<b>Features</b>")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("#1e1e1e")
        self.graphics.ci.setSpacing(0)
        self.graphics.ci.setContentsMargins(0, 0, 0, 0)  # time lines up with the plots above
        self.graphics.setAcceptDrops(False)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.graphics, 1)
        spacer = QWidget()  # as wide as the spectrogram's colour bar: the time axes line up
        spacer.setFixedWidth(86)
        spacer.setStyleSheet("background: #1e1e1e;")
        body.addWidget(spacer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 0)
        top.addWidget(self.title)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.hide()

    def link_x(self, plot: pg.PlotItem) -> None:
        self._partner = plot
        for item, _curve, _region in self._made.values():
            item.setXLink(plot)

    def set_layer(self, key: str, data: LayerData | None, shown: bool) -> None:
        """`shown`: the layer is on (a plot is kept while it computes); `data`: what to draw."""
        if not shown:
            self.data.pop(key, None)
        elif data is not None:
            self.data[key] = data
        wanted = [k for k in self.order if shown and k == key or k in self.plots and k != key]
        if [k for k in self.order if k in self.plots] != wanted:
            self._rebuild(wanted)
        if key in self.curves:
            d = self.data.get(key)
            if d is None:
                self.curves[key].setData([], [])
            else:
                self.curves[key].setData(d.times, strip_values(d))
        self.setVisible(bool(self.plots))
        rows = len(self.plots)
        self.setMinimumHeight(ROW_HEIGHT * rows // 2 + 40 if rows else 0)

    def wanted_height(self) -> int:
        return ROW_HEIGHT * len(self.plots) + 50

    def set_selection(self, selection) -> None:
        self._selection = selection
        for region in self.regions.values():
            if selection is None:
                region.hide()
            else:
                region.setRegion(selection)
                region.show()

    def _rebuild(self, keys: list[str]) -> None:
        """The plots of `keys`, in order; each plot is made once and kept (making a PlotItem
        costs the GUI thread tens of ms)."""
        self.graphics.ci.clear()
        self.plots.clear()
        self.curves.clear()
        self.regions.clear()
        for i, key in enumerate(keys):
            if key not in self._made:
                self._made[key] = self._make_plot(key)
            plot, curve, region = self._made[key]
            last = i == len(keys) - 1
            plot.getAxis("bottom").setStyle(showValues=last)
            plot.getAxis("bottom").setHeight(None if last else 4)
            self.graphics.addItem(plot, row=i, col=0)
            self.plots[key], self.curves[key], self.regions[key] = plot, curve, region
            if key in self.data:
                curve.setData(self.data[key].times, strip_values(self.data[key]))
        self.set_selection(getattr(self, "_selection", None))

    def _make_plot(self, key: str):
        spec = BY_KEY[key]
        box = TimeViewBox()
        box.enableAutoRange(y=True)
        box.sigClicked.connect(lambda x: self.seekRequested.emit(max(0.0, x)))
        box.sigDragSelect.connect(self._drag_select)
        plot = pg.PlotItem(viewBox=box, axisItems={"bottom": TimeAxis()})
        style_plot(plot)
        plot.hideButtons()
        plot.setContentsMargins(0, 4, 0, 0)
        plot.getAxis("left").setWidth(62)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setLabel("left", f"{spec.title} ({spec.unit})" if spec.unit else spec.title,
                      **{"color": "#c8c8c8", "font-size": "8pt"})
        curve = pg.PlotDataItem(pen=pg.mkPen(spec.colour, width=1.5), connect="finite")
        plot.addItem(curve)
        region = pg.LinearRegionItem(brush=(120, 170, 255, 40), movable=False)
        region.setZValue(5)
        region.hide()
        plot.addItem(region, ignoreBounds=True)
        if self._partner is not None:
            plot.setXLink(self._partner)
        return plot, curve, region

    def _drag_select(self, a: float, b: float, finished: bool) -> None:
        a, b = sorted((max(0.0, a), max(0.0, b)))
        for region in self.regions.values():
            region.setRegion((a, b))
            region.show()
        if finished:
            self.selectionChanged.emit((a, b) if b > a else None)
