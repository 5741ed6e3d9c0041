"""Spectrogram image (time x frequency, or the raw array), colour bar, cursor read-out, stats."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.model import Spectrogram
from explorer.model.colormaps import DEFAULT_COLORMAP, lookup_table
from explorer.ui.common.time_axis import TimeAxis
from explorer.ui.spectrogram.axes import AXIS_MODES, FrequencyAxis, axis_coordinates
from explorer.ui.spectrogram.colour_bar import ColourBar
from explorer.ui.spectrogram.long_view import LongFileTiles
from explorer.ui.waveform.view import PLAYHEAD_COLOUR, TimeViewBox, style_plot

pg.setConfigOptions(imageAxisOrder="row-major")

DISPLAY_ROWS = 768  # rows of the resampled image when rows are not evenly spaced on the axis


def stats_text(spec: Spectrogram) -> str:
    """Shape, min, max and mean, as `audio-explorer spectrogram --stats` reports them."""
    s = spec.stats
    return (f"shape {s.shape[0]} x {s.shape[1]} (bins x frames)  min {s.min:.4f}  "
            f"max {s.max:.4f}  mean {s.mean:.4f}  [{spec.unit}]")


class SpectrogramView(LongFileTiles, QWidget):
    """The spectrogram of the current clip; x is time (linked to the waveform) or column index."""

    seekRequested = Signal(float)
    selectionChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec: Spectrogram | None = None
        self.colormap = DEFAULT_COLORMAP
        self.axis_mode = "Hz"
        self.array_mode = False
        self._edges_c: np.ndarray | None = None  # row edges in axis coordinates
        self._init_long_file()  # long files: tiles of what is visible (long_view.py)

        self.title = QLabel("<b>Spectrogram</b>")
        self.stats_label = QLabel("")
        self.stats_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats_label.setToolTip("The array's shape, min, max and mean (as the CLI's --stats)")
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 0)
        # the stats may be longer than the view is wide (a long file's): they wrap onto a second
        # line rather than widening the window past the screen and squeezing the docks
        self.stats_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stats_label.setWordWrap(True)
        self.stats_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.title)
        top.addWidget(self.stats_label, 1)

        self.freq_axis = FrequencyAxis()
        self.viewbox = TimeViewBox()
        self.viewbox.box_drag = True  # Ctrl+drag: the time-frequency box (ui/analysis/box.py)
        self.time_axis = TimeAxis()
        self.plot_widget = pg.PlotWidget(viewBox=self.viewbox, background="#1e1e1e",
                                         axisItems={"left": self.freq_axis,
                                                    "bottom": self.time_axis})
        self.plot_widget.setAcceptDrops(False)
        self.plot_widget.viewport().setAcceptDrops(False)
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot)
        self.plot.showGrid(x=False, y=False)
        self.plot.hideButtons()
        self.freq_axis.setWidth(62)
        self.freq_axis.enableAutoSIPrefix(False)
        self.freq_axis.setStyle(hideOverlappingLabels=False)
        self.plot.setContentsMargins(0, 8, 0, 0)  # room for the top frequency label
        self.plot.setLabel("bottom", "time")
        self.plot.setLabel("left", "frequency (Hz)")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.playhead = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(PLAYHEAD_COLOUR, width=1.5))
        self.playhead.setZValue(10)
        self.plot.addItem(self.playhead, ignoreBounds=True)
        self.region = pg.LinearRegionItem(brush=(120, 170, 255, 40), movable=False)
        self.region.setZValue(5)
        self.region.hide()
        self.plot.addItem(self.region, ignoreBounds=True)
        self.message = pg.TextItem("", color="#bbbbbb", anchor=(0.5, 0.5))
        self.plot.addItem(self.message, ignoreBounds=True)

        self.colour_bar = ColourBar()
        self.cursor_label = QLabel(" ")
        self.cursor_label.setStyleSheet("font-family: monospace;")
        self.cursor_label.setMinimumWidth(10)

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
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 2)
        bottom.addWidget(self.cursor_label, 1)
        layout.addLayout(bottom)

        self.viewbox.sigClicked.connect(self._clicked)
        self.viewbox.sigDragSelect.connect(self._drag_select)
        self.viewbox.sigXRangeChanged.connect(self._view_moved)
        self.viewbox.sigResized.connect(self._view_moved)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.set_colormap(self.colormap)

    # ---- settings ---------------------------------------------------------------------------
    def set_colormap(self, name: str) -> None:
        self.colormap = name
        lut = lookup_table(name)
        self.image.setLookupTable(lut)
        self.colour_bar.set_lut(lut)

    def set_axis_mode(self, mode: str) -> None:
        if mode not in AXIS_MODES:
            raise ValueError(mode)
        self.axis_mode = mode
        self._render()

    def set_array_mode(self, on: bool) -> None:
        self.array_mode = bool(on)
        self._render()

    def link_x(self, other: pg.PlotItem | None) -> None:
        self._x_partner = other
        self.plot.setXLink(None if self.array_mode else other)

    # ---- data -------------------------------------------------------------------------------
    def set_message(self, text: str) -> None:
        self.message.setText(text)
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        self.message.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def clear(self, message: str = "") -> None:
        self._leave_long()
        self.spec = None
        self.image.clear()
        self._set_stats("")
        self.set_message(message)

    def set_spectrogram(self, spec: Spectrogram) -> None:
        if getattr(spec, "long", False):
            self._set_long(spec)
            return
        self._leave_long()
        self.spec = spec
        self.set_message("")
        self._set_stats(stats_text(spec))
        self._render()

    def _render(self) -> None:
        spec = self.spec
        self.plot.setXLink(None if self.array_mode else getattr(self, "_x_partner", None))
        if spec is None:
            return
        if self.long_spec is not None:
            self._setup_long_axes()
            self._draw_long()
            return
        values = spec.values
        bins, frames = values.shape
        finite = values[np.isfinite(values)]
        vmin = float(finite.min()) if finite.size else 0.0
        vmax = float(finite.max()) if finite.size else vmin
        self.colour_bar.set_range(vmin, vmax, spec.unit)  # vmin == vmax: "constant"
        if vmax <= vmin:
            vmax = vmin + 1e-6
        hop_s = spec.params.hop_length / spec.sample_rate
        if self.array_mode:
            self.freq_axis.mode = "index"
            self._edges_c = None
            self.image.setImage(values, levels=(vmin, vmax), autoLevels=False)
            self.image.setRect(-0.5, -0.5, frames, bins)
            self.time_axis.mode = "index"
            self.plot.setLabel("bottom", "column (frame index)", units=None)
            self.plot.setLabel("left", "row (bin index)")
            self.viewbox.setLimits(xMin=-0.5 - frames * 0.02, xMax=frames * 1.02,
                                   minXRange=2, yMin=-0.5, yMax=bins - 0.5)
            self.viewbox.setXRange(-0.5, frames - 0.5, padding=0)
            self.viewbox.setYRange(-0.5, bins - 0.5, padding=0)
            self.region.hide()
            return
        self.time_axis.mode = "time"
        self.plot.setLabel("bottom", "time", units=None)
        self.plot.setLabel("left", {"Hz": "frequency (Hz)", "mel": "frequency (Hz, mel scale)",
                                    "log": "frequency (Hz, log scale)"}[self.axis_mode])
        image, c_lo, c_hi, edges = self._display_rows(spec)
        self._edges_c = edges
        self.freq_axis.mode = self.axis_mode
        self.image.setImage(image, levels=(vmin, vmax), autoLevels=False)
        x0 = -hop_s / 2
        self.image.setRect(x0, c_lo, frames * hop_s, c_hi - c_lo)
        duration = frames * hop_s
        self.viewbox.setLimits(xMin=None, xMax=None, minXRange=None, yMin=c_lo, yMax=c_hi)
        self.viewbox.setYRange(c_lo, c_hi, padding=0)
        if getattr(self, "_x_partner", None) is None:
            self.viewbox.setXRange(x0, x0 + duration, padding=0)
        else:
            self.viewbox.setXRange(*self._x_partner.getViewBox().viewRange()[0], padding=0)
        self.freq_axis.picture = None
        self.freq_axis.update()

    def _coord(self, hz: np.ndarray) -> np.ndarray:
        return axis_coordinates(hz, self.axis_mode)

    def _display_rows(self, spec: Spectrogram):
        """The image resampled so rows are evenly spaced on the chosen frequency axis."""
        return self._display_rows_of(spec.frequencies, spec.values)

    def _display_rows_of(self, frequencies, values: np.ndarray):
        f = np.asarray(frequencies, dtype=np.float64)
        if len(f) == 1:
            edges_hz = np.array([max(f[0] - 1, 0), f[0] + 1])
        else:
            mids = (f[:-1] + f[1:]) / 2
            lo = max(0.0, f[0] - (mids[0] - f[0]))
            hi = f[-1] + (f[-1] - mids[-1])
            edges_hz = np.concatenate([[lo], mids, [hi]])
        if self.axis_mode == "log":
            floor = max(edges_hz[1] if len(edges_hz) > 2 else edges_hz[0], 16.0)
            floor = min(floor, edges_hz[-1] / 2)
            edges_hz = np.maximum(edges_hz, floor)
        edges = self._coord(edges_hz)
        c_lo, c_hi = float(edges[0]), float(edges[-1])
        widths = np.diff(edges)
        if len(widths) and np.allclose(widths, widths.mean(), rtol=1e-3) and widths.min() > 0:
            return values, c_lo, c_hi, edges
        n = max(DISPLAY_ROWS, min(2 * len(f), 2048))
        centres = c_lo + (np.arange(n) + 0.5) * (c_hi - c_lo) / n
        index = np.clip(np.searchsorted(edges, centres, side="right") - 1, 0, len(f) - 1)
        return values[index, :], c_lo, c_hi, edges

    # ---- interaction ------------------------------------------------------------------------
    def value_at(self, x: float, y: float):
        """(row, column, value, time, frequency) under a view coordinate, or None."""
        spec = self.spec
        if spec is None:
            return None
        if self.long_spec is not None:
            return self._long_value_at(x, y)
        bins, frames = spec.values.shape
        if self.array_mode:
            col, row = int(round(x)), int(round(y))
        else:
            hop_s = spec.params.hop_length / spec.sample_rate
            col = int(np.floor(x / hop_s + 0.5))
            if self._edges_c is None:
                return None
            row = int(np.searchsorted(self._edges_c, y, side="right") - 1)
            if y == self._edges_c[-1]:
                row = bins - 1
        if not (0 <= row < bins and 0 <= col < frames):
            return None
        return row, col, float(spec.values[row, col]), float(spec.times[col]), float(
            spec.frequencies[row])

    def _mouse_moved(self, pos) -> None:
        if self.spec is None or not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.viewbox.mapSceneToView(pos)
        hit = self.value_at(point.x(), point.y())
        if hit is None:
            self.cursor_label.setText(" ")
            return
        row, col, value, t, f = hit
        unit = self.spec.unit
        value_text = f"{value:+.1f} dB" if unit == "dB" else f"{value:.4g} ({unit})"
        self.cursor_label.setText(
            f"t = {t:.3f} s   f = {f:.0f} Hz   {value_text}      [row {row}, column {col}]")

    def _clicked(self, x: float) -> None:
        if self.spec is None or self.array_mode:
            return
        self.seekRequested.emit(max(0.0, x))

    def _drag_select(self, a: float, b: float, finished: bool) -> None:
        if self.spec is None or self.array_mode:
            return
        a, b = sorted((max(0.0, a), max(0.0, b)))
        self.region.setRegion((a, b))
        self.region.show()
        if finished:
            self.selectionChanged.emit((a, b) if b > a else None)

    def set_selection(self, selection) -> None:
        if selection is None or self.array_mode:
            self.region.hide()
        else:
            self.region.setRegion(selection)
            self.region.show()

    def set_playhead(self, seconds: float) -> None:
        self.playhead.setValue(seconds)
        self.playhead.setVisible(not self.array_mode)

    def _set_stats(self, text: str, about: str = "The array's shape, min, max and mean (as the "
                   "CLI's --stats)") -> None:
        """The stats line; its tooltip holds all of it, as a narrow view cuts it."""
        self.stats_label.setText(text)
        self.stats_label.setToolTip((text + "\n\n" if text else "") + about)
