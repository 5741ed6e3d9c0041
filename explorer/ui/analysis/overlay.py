"""Layers drawn over a frequency plot (the spectrogram on its Hz, mel or log axis, or the CQT
view): curves in Hz mapped to the axis, unvoiced frames left out (NaN breaks the curve), and
event times as vertical marker lines; a legend names them (with the tempo of the beats)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explorer.ui.analysis.compute import LayerData
from explorer.ui.analysis.layers import BY_KEY, LayerSpec
from explorer.ui.spectrogram.axes import axis_coordinates


def curve_hz(data: LayerData) -> np.ndarray:
    """The Hz values a curve layer draws: pyin's f0 (NaN where unvoiced), yin's f0, centroid."""
    rows = data.result.rows
    for name in ("f0", "centroid"):
        if name in rows:
            return np.asarray(rows[name], dtype=np.float64)
    return np.asarray(data.result.values, dtype=np.float64).reshape(-1)


def event_times(data: LayerData) -> np.ndarray:
    """Onset or beat times in the clip's seconds."""
    return np.asarray(data.result.values, dtype=np.float64).reshape(-1) + data.offset


def marker_xy(times: np.ndarray, y0: float, y1: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertical segments (pairs of points) from y0 to y1 at each time."""
    x = np.repeat(times, 2)
    y = np.tile(np.array([y0, y1]), len(times))
    return x, y


def legend_name(spec: LayerSpec, data: LayerData) -> str:
    tempo = getattr(data.result, "tempo", None)
    if tempo is not None:
        return f"{spec.title}: {float(np.atleast_1d(tempo)[0]):.1f} BPM"
    return spec.title


class Overlay:
    """The over-the-plot layers of one plot; `mode()` is its axis ("Hz", "mel", "log")."""

    def __init__(self, plot: pg.PlotItem, mode: Callable[[], str], legend: bool = True) -> None:
        self.plot = plot
        self.mode = mode
        self.items: dict[str, pg.PlotDataItem] = {}
        self.data: dict[str, LayerData] = {}
        self.legend = pg.LegendItem(offset=(-8, 6), labelTextColor="#e0e0e0", labelTextSize="8pt",
                                    brush=pg.mkBrush(20, 20, 20, 120), verSpacing=-6)
        self.legend.setParentItem(plot.getViewBox())
        self.legend.hide()
        self.show_legend = legend
        self.enabled = True

    def set_layer(self, key: str, data: LayerData | None) -> None:
        if data is None:
            self.data.pop(key, None)
        else:
            self.data[key] = data
        self.redraw()

    def set_enabled(self, on: bool) -> None:
        """Off in the spectrogram's array mode (its x is a column index, not time)."""
        self.enabled = on
        self.redraw()

    def redraw(self) -> None:
        for key in list(self.items):
            if key not in self.data or not self.enabled:
                self.plot.removeItem(self.items.pop(key))
        self.legend.clear()
        if not self.enabled:
            self.legend.hide()
            return
        (_x0, _x1), (y0, y1) = self.plot.getViewBox().viewRange()
        for key, data in self.data.items():
            spec = BY_KEY[key]
            item = self.items.get(key)
            if item is None:
                item = self.items[key] = self._make_item(spec)
                self.plot.addItem(item, ignoreBounds=True)
            if spec.place == "markers":
                x, y = marker_xy(event_times(data), y0, y1)
            else:
                x, y = data.times, axis_coordinates(curve_hz(data), self.mode())
            item.setData(x, y)
            self.legend.addItem(item, legend_name(spec, data))
        self.legend.setVisible(bool(self.data) and self.show_legend)

    def _make_item(self, spec: LayerSpec) -> pg.PlotDataItem:
        if spec.place == "markers":
            style = Qt.PenStyle.DashLine if spec.key == "onsets" else Qt.PenStyle.SolidLine
            pen = pg.mkPen(spec.colour, width=1.5, style=style)
            item = pg.PlotDataItem(connect="pairs", pen=pen)
        else:
            item = pg.PlotDataItem(connect="finite", pen=pg.mkPen(spec.colour, width=2.5))
        item.setZValue(8)
        return item
