"""Image views of the layers that are matrices: MFCC, chroma and the CQT, each with its colour
bar and labelled rows (coefficient numbers, pitch classes C..B, note names), on the time axis
shared with the waveform."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.model.colormaps import DEFAULT_COLORMAP, lookup_table
from explorer.ui.analysis.compute import LayerData
from explorer.ui.analysis.layers import BY_KEY
from explorer.ui.analysis.notes import NoteLabeller
from explorer.ui.analysis.overlay import Overlay
from explorer.ui.common.time_axis import TimeAxis
from explorer.ui.spectrogram.axes import FrequencyAxis
from explorer.ui.spectrogram.colour_bar import ColourBar
from explorer.ui.waveform.view import TimeViewBox, style_plot

pg.setConfigOptions(imageAxisOrder="row-major")


class RowAxis(pg.AxisItem):
    """A left axis naming the rows of an image (row i at y = i), as many as fit."""

    def __init__(self) -> None:
        super().__init__("left")
        self.labels: tuple[str, ...] = ()

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        n = len(self.labels)
        if not n:
            return []
        step = max(1, int(np.ceil(n * 14 / max(size, 1.0))))
        rows = [i for i in range(0, n, step) if minVal - 0.5 <= i <= maxVal + 0.5]
        return [(1.0, rows), (0.5, [])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        n = len(self.labels)
        return [self.labels[int(round(v))] if 0 <= int(round(v)) < n else "" for v in values]


class ImageView(QWidget):
    """One matrix layer; the CQT's rows sit at log2(Hz) with note names, the others at 0..n-1."""

    seekRequested = Signal(float)
    selectionChanged = Signal(object)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.spec = BY_KEY[key]
        self.data: LayerData | None = None
        self.title = QLabel(f"<b>{self.spec.title}</b>")
        self.info = QLabel("")
        self.info.setStyleSheet("color: #9a9a9a;")
        if key == "cqt":
            self.row_axis = FrequencyAxis()
            self.row_axis.mode = "log"
            self.row_axis.labeller = NoteLabeller()
        else:
            self.row_axis = RowAxis()
        self.row_axis.setWidth(62)
        self.viewbox = TimeViewBox()
        self.plot_widget = pg.PlotWidget(viewBox=self.viewbox, background="#1e1e1e",
                                         axisItems={"left": self.row_axis, "bottom": TimeAxis()})
        self.plot_widget.setAcceptDrops(False)
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot)
        self.plot.showGrid(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setContentsMargins(0, 6, 0, 0)
        self.plot.setLabel("left", {"mfcc": "coefficient", "chroma": "pitch class",
                                    "cqt": "note (A4 = 440 Hz)"}[key])
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(lookup_table(DEFAULT_COLORMAP))
        self.plot.addItem(self.image)
        self.region = pg.LinearRegionItem(brush=(120, 170, 255, 40), movable=False)
        self.region.setZValue(5)
        self.region.hide()
        self.plot.addItem(self.region, ignoreBounds=True)
        self.colour_bar = ColourBar()
        self.colour_bar.set_lut(lookup_table(DEFAULT_COLORMAP))
        #: the pitch curves (and markers) over the CQT, on its log2(Hz) rows
        self.overlay = Overlay(self.plot, lambda: "log", legend=False) if key == "cqt" else None
        self.viewbox.sigClicked.connect(lambda x: self.seekRequested.emit(max(0.0, x)))
        self.viewbox.sigDragSelect.connect(self._drag_select)

        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 0)
        top.addWidget(self.title)
        top.addWidget(self.info, 1)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.plot_widget, 1)
        body.addWidget(self.colour_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.setMinimumHeight(120)
        self.hide()

    def link_x(self, plot: pg.PlotItem) -> None:
        self.plot.setXLink(plot)

    def set_colormap(self, name: str) -> None:
        lut = lookup_table(name)
        self.image.setLookupTable(lut)
        self.colour_bar.set_lut(lut)

    def set_data(self, data: LayerData | None) -> None:
        self.data = data
        if data is None or data.display is None:
            self.image.clear()
            return
        values = data.display
        rows, frames = values.shape
        finite = values[np.isfinite(values)]
        vmin = float(finite.min()) if finite.size else 0.0
        vmax = float(finite.max()) if finite.size else 1.0
        unit = self.spec.unit or ""
        self.colour_bar.set_range(vmin, vmax, unit if unit == "dB" else "value")
        times = data.times
        hop_s = data.result.hop_length / data.result.sr
        x0 = (times[0] if len(times) else data.offset) - hop_s / 2
        self.image.setImage(values, levels=(vmin, max(vmax, vmin + 1e-6)), autoLevels=False)
        if self.key == "cqt":
            freqs = np.asarray(data.frequencies, dtype=np.float64)
            c = np.log2(freqs)
            half = (c[1] - c[0]) / 2 if len(c) > 1 else 0.5
            y0, y1 = float(c[0] - half), float(c[-1] + half)
            self.info.setText(f"{rows} bins, {freqs[0]:.1f}–{freqs[-1]:.0f} Hz, "
                              f"dB re max (amplitude_to_db)")
        else:
            self.row_axis.labels = tuple(data.result.row_labels) or tuple(
                str(i) for i in range(rows))
            y0, y1 = -0.5, rows - 0.5
            self.info.setText(f"{rows} rows × {frames} frames")
        self.image.setRect(x0, y0, frames * hop_s, y1 - y0)
        self.viewbox.setLimits(yMin=y0, yMax=y1)
        self.viewbox.setYRange(y0, y1, padding=0)
        self.row_axis.picture = None
        self.row_axis.update()
        if self.overlay is not None:
            self.overlay.redraw()

    def set_selection(self, selection) -> None:
        if selection is None:
            self.region.hide()
        else:
            self.region.setRegion(selection)
            self.region.show()

    def _drag_select(self, a: float, b: float, finished: bool) -> None:
        a, b = sorted((max(0.0, a), max(0.0, b)))
        self.region.setRegion((a, b))
        self.region.show()
        if finished:
            self.selectionChanged.emit((a, b) if b > a else None)
