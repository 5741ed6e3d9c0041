"""Spectrogram image (time x frequency, or the raw array), colour bar, cursor read-out, stats."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.model import Spectrogram
from explorer.model.colormaps import DEFAULT_COLORMAP, lookup_table
from explorer.model.display import max_over_row_groups
from explorer.model.scales import hz_to_mel, mel_to_hz
from explorer.model.spectrogram import SpectrogramStats
from explorer.model.tiles import POOL_FRAMES, TILE_COLUMNS, column_step
from explorer.ui.common.time_axis import TimeAxis, format_clock
from explorer.ui.spectrogram.tile_loader import TileLoader
from explorer.ui.waveform.view import PLAYHEAD_COLOUR, TimeViewBox, style_plot

pg.setConfigOptions(imageAxisOrder="row-major")

AXIS_MODES = ("Hz", "mel", "log")
DISPLAY_ROWS = 768  # rows of the resampled image when rows are not evenly spaced on the axis


def format_hz(f: float) -> str:
    if f >= 1000:
        text = f"{f / 1000:.3g}k"
        return text
    return f"{f:.0f}" if f >= 10 or f == 0 else f"{f:.2g}"


def axis_coordinates(hz, mode: str) -> np.ndarray:
    """Where frequencies sit on a frequency axis drawn in Hz, mel (Slaney) or log2 units."""
    hz = np.asarray(hz, dtype=np.float64)
    if mode == "mel":
        return np.asarray(hz_to_mel(hz), dtype=np.float64)
    if mode == "log":
        return np.log2(np.maximum(hz, 1e-6))
    return hz


def stats_text(spec: Spectrogram) -> str:
    """Shape, min, max and mean, as `audio-explorer spectrogram --stats` reports them."""
    s = spec.stats
    return (f"shape {s.shape[0]} x {s.shape[1]} (bins x frames)  min {s.min:.4f}  "
            f"max {s.max:.4f}  mean {s.mean:.4f}  [{spec.unit}]")


class FrequencyAxis(pg.AxisItem):
    """A left axis whose coordinate is Hz, mel or log2(Hz), labelled in Hz."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("left", *args, **kwargs)
        self.mode = "Hz"

    def to_hz(self, values):
        values = np.asarray(values, dtype=np.float64)
        if self.mode == "mel":
            return mel_to_hz(values)
        if self.mode == "log":
            return np.power(2.0, values)
        return values

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        if self.mode in ("Hz", "index") or maxVal <= minVal:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = float(self.to_hz(minVal)), float(self.to_hz(maxVal))
        if self.mode == "log":
            major = [2.0 ** k for k in range(int(np.floor(np.log2(max(lo, 1.0)))),
                                             int(np.ceil(np.log2(max(hi, 2.0)))) + 1)]
            major = [np.log2(f) for f in major if lo <= f <= hi]
            return [(1.0, major), (0.5, [])]
        # mel: "nice" Hz values, as many as fit
        candidates = [0, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 4000, 5000, 6000,
                      8000, 10000, 12000, 16000, 20000, 24000, 32000, 48000]
        count = max(2, int(size / 32))
        chosen = [f for f in candidates if lo <= f <= hi]
        while len(chosen) > count:
            chosen = chosen[::2]
        return [(1.0, [float(hz_to_mel(f)) for f in chosen]), (0.5, [])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.mode == "index":
            return [f"{v * scale:g}" for v in values]
        if self.mode == "Hz":
            return [format_hz(v * scale) for v in values]
        hz = self.to_hz(np.asarray(values) * scale)
        if self.mode == "log":  # powers of two, as librosa's log axis: 64, 128, ... 4096
            return [f"{float(f):.0f}" for f in hz]
        return [format_hz(float(f)) for f in hz]


class DbAxis(pg.AxisItem):
    """Colour-bar axis labelled like librosa's `format='%+2.0f dB'`."""

    unit = "dB"

    def format(self, value: float) -> str:
        return f"{value:+2.0f} dB" if self.unit == "dB" else f"{value:.3g}"

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [self.format(v * scale) for v in values]

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        """Only values the scale holds: none in the padding above the top, where a label would
        stand half outside the bar."""
        lo, hi = getattr(self, "limits", (minVal, maxVal))
        eps = (hi - lo) * 1e-6
        return [(spacing, [v for v in values if lo - eps <= v <= hi + eps])
                for spacing, values in super().tickValues(minVal, maxVal, size)]


class ColourBar(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = DbAxis("right")
        super().__init__(parent, background="#1e1e1e", axisItems={"right": self.axis})
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        plot = self.getPlotItem()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.showAxis("right")
        self.axis.setTextPen(pg.mkPen("#c8c8c8"))
        self.axis.setPen(pg.mkPen("#666"))
        self.axis.setWidth(58)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setContentsMargins(0, 8, 0, 8)  # the end labels stand half above and below the bar
        self.ramp = np.linspace(0, 1, 256, dtype=np.float32)[:, None]
        self.image = pg.ImageItem(self.ramp)
        plot.addItem(self.image)
        self.setFixedWidth(86)
        self.constant = False
        self.set_range(-80, 0, "dB")

    def set_lut(self, lut: np.ndarray) -> None:
        self.image.setLookupTable(lut)
        self.image.setLevels((0, 1))

    def set_range(self, vmin: float, vmax: float, unit: str) -> None:
        """The scale from vmin to vmax; an array of one value (silence, one sample) shows that
        value once, in the one colour it is drawn with, not a ladder of identical labels."""
        self.axis.unit = unit
        self.constant = not (np.isfinite(vmin) and np.isfinite(vmax) and vmax > vmin)
        if self.constant:
            value = float(vmin) if np.isfinite(vmin) else 0.0
            vmin, vmax = value - 1, value + 1
            self.image.setImage(np.zeros((1, 1), np.float32), levels=(0, 1))
            self.axis.setTicks([[(value, f"{self.axis.format(value)}\nconstant")], []])
            self.setToolTip(f"Every value is {self.axis.format(value)}: the array is constant")
        else:
            self.image.setImage(self.ramp, levels=(0, 1))
            self.axis.setTicks(None)
            self.setToolTip("")
        self.axis.limits = (vmin, vmax)
        self.image.setRect(0, vmin, 1, vmax - vmin)
        plot = self.getPlotItem()
        plot.setXRange(0, 1, padding=0)
        plot.setYRange(vmin, vmax, padding=0)  # the plot's margins hold the end labels
        self.axis.picture = None
        self.axis.update()


class SpectrogramView(QWidget):
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
        # ---- long files: tiles of what is visible (see explorer.ui.state.long_file) ----
        self.long_spec = None  # LongSpectrogram while a long file is shown
        self.tiles = TileLoader(self)
        self.tiles.tileReady.connect(self._tile_arrived)
        self.tiles.failed.connect(lambda msg: self.set_message(
            f"tile failed: {msg.splitlines()[0]}"))
        self.long_step = 0  # column step (hops) of what is drawn now
        self.overview_step = 0
        self._ov: np.ndarray | None = None  # whole-file overview columns (NaN: not yet)
        # overview tiles drawn in, each with its (count, min, max, sum) of finite values
        self._ov_tiles: dict[int, tuple[int, float, float, float]] = {}
        self._ov_dirty = False
        self._ov_text = self._ov_tip = ""  # the whole file's stats line, and what it means
        self._levels = (0.0, 1.0)
        self._long_frames = np.zeros(0, np.int64)  # frame index of each drawn column
        self._long_values = np.zeros((0, 0), np.float32)
        self._long_col_s = 1.0
        self._long_timer = QTimer(self, singleShot=True, interval=15)
        self._long_timer.timeout.connect(self._update_long)
        self._draw_timer = QTimer(self, singleShot=True, interval=40)
        self._draw_timer.timeout.connect(self._draw_long)

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

    # ---- long files: tiles of what is visible -----------------------------------------------
    def _set_long(self, spec) -> None:
        """Show a long file's LongSpectrogram: the whole-file overview columns (one per pixel
        or so) first, then finer tiles wherever the view is zoomed in."""
        self.long_spec = spec
        self.spec = spec
        source = spec.source
        self.tiles.set_source(source)
        width = max(400, int(self.viewbox.width()))
        self.overview_step = column_step(source.total, width)
        self._ov = np.full((source.rows, source.columns(self.overview_step)), np.nan, np.float32)
        self._ov_tiles = {}
        self._ov_dirty = True
        self._ov_text = self._ov_tip = ""
        self._levels = (0.0, 1.0)
        self.long_step = 0
        self._set_stats("long file: computing the overview…")
        self.set_message("")
        self._setup_long_axes()
        self._update_long()

    def _leave_long(self) -> None:
        if self.long_spec is None:
            return
        self.long_spec = None
        self.tiles.set_source(None)
        self._ov = None
        self._ov_tiles = {}
        self._long_frames = np.zeros(0, np.int64)
        self._long_values = np.zeros((0, 0), np.float32)
        self._long_timer.stop()
        self._draw_timer.stop()

    def overview_complete(self) -> bool:
        spec = self.long_spec
        return spec is not None and len(self._ov_tiles) == spec.source.tile_count(
            self.overview_step)

    def _setup_long_axes(self) -> None:
        spec = self.long_spec
        self.plot.setXLink(getattr(self, "_x_partner", None))
        self.freq_axis.mode = self.axis_mode
        self.time_axis.mode = "time"
        self.plot.setLabel("bottom", "time", units=None)
        self.plot.setLabel("left", {"Hz": "frequency (Hz)", "mel": "frequency (Hz, mel scale)",
                                    "log": "frequency (Hz, log scale)"}[self.axis_mode])
        rows = len(spec.frequencies)
        index = np.arange(rows)[:, np.newaxis]
        _, c_lo, c_hi, edges = self._display_rows_of(spec.frequencies, index)
        self._edges_c = edges
        self._c_range = (c_lo, c_hi)
        # the first array row of each displayed row (evenly spaced on the axis), computed once:
        # a displayed row shows the max of the rows it covers, so no narrow line is skipped
        # (about two displayed rows per pixel of height, not 2048)
        n = int(np.clip(2 * self.viewbox.height(), 256, 2048))
        lower = c_lo + np.arange(n) * (c_hi - c_lo) / n
        self._long_rows = np.clip(np.searchsorted(edges, lower, side="right") - 1, 0, rows - 1)
        self.viewbox.setLimits(xMin=None, xMax=None, minXRange=None, yMin=c_lo, yMax=c_hi)
        self.viewbox.setYRange(c_lo, c_hi, padding=0)
        self.freq_axis.picture = None
        self.freq_axis.update()
        if self.array_mode:
            self.set_message("array mode: not for long files (no whole array is computed)")
        elif self.message.toPlainText().startswith("array mode"):
            self.set_message("")

    def _view_moved(self, *_) -> None:
        if self.long_spec is not None:
            self._refine_overview()
            self._long_timer.start()

    def _refine_overview(self) -> None:
        """A wider view (the first layout, a maximised window) gets an overview of one column
        per pixel again: the coarser columns stand in, repeated, until the finer ones arrive."""
        source = self.long_spec.source
        step = column_step(source.total, max(400, int(self.viewbox.width())))
        if step >= self.overview_step:
            return
        factor = self.overview_step // step
        self.overview_step = step
        columns = source.columns(step)
        self._ov = np.ascontiguousarray(np.repeat(self._ov, factor, axis=1)[:, :columns])
        if self._ov.shape[1] < columns:
            pad = np.full((source.rows, columns - self._ov.shape[1]), np.nan, np.float32)
            self._ov = np.concatenate([self._ov, pad], axis=1)
        self._ov_tiles = {}

    def _visible_columns(self):
        """(step, first column, last column + 1) drawn for the visible time range."""
        source = self.long_spec.source
        (x0, x1), _ = self.viewbox.viewRange()
        hop_s = source.hop_seconds
        x0, x1 = max(0.0, x0), min(source.total * hop_s, x1)
        width = max(50, int(self.viewbox.width()))
        step = min(column_step(max(1.0, (x1 - x0) / hop_s), width), self.overview_step)
        col_s = step * hop_s
        columns = source.columns(step)
        first = max(0, int(np.floor(x0 / col_s)) - 2)
        last = min(columns, int(np.ceil(x1 / col_s)) + 3)
        return step, first, max(first, last)

    def _update_long(self) -> None:
        """Asks for the tiles of the visible range (first) and of the overview (then)."""
        spec = self.long_spec
        if spec is None:
            return
        source = spec.source
        step, first, last = self._visible_columns()
        self.long_step = step
        keys = [source.key(step, i) for i in range(first // TILE_COLUMNS,
                                                   -(-last // TILE_COLUMNS))]
        ov_count = source.tile_count(self.overview_step)
        centre = (first + last) / 2 * step / (self.overview_step * TILE_COLUMNS)
        order = sorted((i for i in range(ov_count) if i not in self._ov_tiles),
                       key=lambda i: abs(i + 0.5 - centre))
        keys += [source.key(self.overview_step, i) for i in order]
        self.tiles.request(keys)
        self._draw_long()

    def _tile_arrived(self, key) -> None:
        spec = self.long_spec
        if spec is None or key.params != spec.params:
            return
        if key.step == self.overview_step and key.index not in self._ov_tiles:
            tile = self.tiles.get(key)
            a = key.index * TILE_COLUMNS
            self._ov[:, a:a + tile.shape[1]] = tile
            self._ov_tiles[key.index] = _finite_sums(tile)
            self._ov_dirty = True
            if self.overview_complete():  # the last one: show it and the final stats now
                self._draw_timer.stop()
                self._draw_long()
                return
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def _refresh_overview_stats(self) -> None:
        """Colour levels and the stats line from the overview columns computed so far (from
        each tile's sums, kept as it arrived: no pass over the whole overview)."""
        self._ov_dirty = False
        spec = self.long_spec
        sums = list(self._ov_tiles.values())
        count = sum(c for c, _, _, _ in sums)
        if not count:
            return
        vmin = min(lo for c, lo, _, _ in sums if c)
        vmax = max(hi for c, _, hi, _ in sums if c)
        mean = sum(t for _, _, _, t in sums) / count
        columns = sum(min(TILE_COLUMNS, self._ov.shape[1] - i * TILE_COLUMNS)
                      for i in self._ov_tiles)
        self.colour_bar.set_range(vmin, vmax, spec.unit)  # vmin == vmax: "constant"
        if vmax <= vmin:
            vmax = vmin + 1e-6
        self._levels = (vmin, vmax)
        stats = SpectrogramStats((self._ov.shape[0], columns), vmin, vmax, mean)
        spec.stats = stats
        done = "complete" if self.overview_complete() else "so far"
        pooled = min(self.overview_step, POOL_FRAMES)
        self._ov_text = (f"whole file, overview ({done}: {stats.shape[1]} columns)"
                         f"{_stats_numbers(stats.min, stats.max, stats.mean)}  "
                         f"[{spec.ref_text}]")
        self._ov_tip = (f"Whole file: {stats.shape[1]} overview columns ({done}), one every "
                        f"{self.overview_step} hops, each the peak of {pooled} of its frames; "
                        "its min and max set the colour scale.")

    def _show_long_stats(self, visible: tuple | None) -> None:
        """The stats line says what its numbers describe: the whole file's overview when the
        view shows all of it, else the visible columns (`visible`: their span and sums)."""
        if not self._ov_text:
            return
        if visible is None:
            text = self._ov_text
        else:
            (a, b), (count, columns, lo, hi, total), stand_in = visible
            span = b - a
            decimals = 0 if span >= 60 else 1 if span >= 1 else 3
            hours = self.long_spec.source.total * self.long_spec.source.hop_seconds >= 3600
            text = (f"visible {format_clock(a, decimals, hours)}–{format_clock(b, decimals, hours)}"
                    f" ({columns} columns{', overview until its tiles come' if stand_in else ''})"
                    f"{_stats_numbers(lo, hi, total / count) if count else ': no values'}  "
                    f"[{self.long_spec.ref_text}]")
        self._set_stats(text, self._ov_tip + ("" if visible is None else "\n" + self._ov_text))

    def _draw_long(self) -> None:
        """Composes the visible columns: finest tiles where cached, else the nearest overview
        column, and draws them (on the GUI thread: a copy and a colour lookup, no FFT)."""
        spec = self.long_spec
        if spec is None:
            return
        if self._ov_dirty:
            self._refresh_overview_stats()
        source = spec.source
        step, first, last = self._visible_columns()
        frames = np.arange(first, last, dtype=np.int64) * step
        if not len(frames):
            self.image.clear()
            return
        ov_index = np.clip(np.rint(frames / self.overview_step).astype(np.int64), 0,
                           self._ov.shape[1] - 1)
        image = self._ov[:, ov_index]
        stand_in = False  # overview columns stand in for finer ones not computed yet
        if step != self.overview_step:
            for index in range(first // TILE_COLUMNS, -(-last // TILE_COLUMNS)):
                tile = self.tiles.cache.get(source.key(step, index))
                if tile is None:
                    stand_in = True
                    continue
                a = index * TILE_COLUMNS
                lo, hi = max(a, first), min(a + tile.shape[1], last)
                if hi > lo:
                    image[:, lo - first:hi - first] = tile[:, lo - a:hi - a]
        hop_s = source.hop_seconds
        col_s = step * hop_s
        self._show_long_stats(self._visible_stats(image, frames * hop_s, stand_in))
        if not self.overview_complete():  # columns not computed yet show as the floor
            image[np.isnan(image)] = self._levels[0]
        self._long_frames, self._long_values, self._long_col_s = frames, image, col_s
        spec.values, spec.times = image, frames * hop_s
        if self.array_mode:
            return
        c_lo, c_hi = self._c_range
        shown = max_over_row_groups(image, self._long_rows)
        self.image.setImage(shown, levels=self._levels, autoLevels=False)
        self.image.setRect(frames[0] * hop_s - col_s / 2, c_lo, len(frames) * col_s, c_hi - c_lo)

    def _visible_stats(self, image: np.ndarray, times: np.ndarray, stand_in: bool):
        """None when the whole file is in view (the overview's stats say it), else the visible
        span and the (count, min, max, sum) of its finite values and its column count: three
        passes over the visible columns (~1 M values, ~1-2 ms)."""
        source = self.long_spec.source
        duration = source.total * source.hop_seconds
        (x0, x1), _ = self.viewbox.viewRange()
        a, b = max(0.0, x0), min(duration, x1)
        if b - a >= 0.99 * duration or not len(times):
            return None
        i, j = np.searchsorted(times, a), np.searchsorted(times, b, side="right")
        if j <= i:  # zoomed into less than one column: the nearest one
            i = int(np.clip(np.searchsorted(times, (a + b) / 2), 0, len(times) - 1))
            j = i + 1
        values = image[:, i:j]  # a view: no copy
        count, lo, hi, total = values.size, float(values.min()), float(values.max()), float(
            values.sum(dtype=np.float64))
        if not np.isfinite(total):  # columns not computed yet (NaN): count the others only
            count, lo, hi, total = _finite_sums(values)
        return (a, b), (count, j - i, lo, hi, total), stand_in

    def _long_value_at(self, x: float, y: float):
        frames, values = self._long_frames, self._long_values
        if not len(frames) or self._edges_c is None or self.array_mode:
            return None
        hop_s = self.long_spec.source.hop_seconds
        col = int(np.floor((x - frames[0] * hop_s) / self._long_col_s + 0.5))
        row = int(np.searchsorted(self._edges_c, y, side="right") - 1)
        if y == self._edges_c[-1]:
            row = values.shape[0] - 1
        if not (0 <= row < values.shape[0] and 0 <= col < values.shape[1]):
            return None
        return (row, int(frames[col]), float(values[row, col]), float(frames[col] * hop_s),
                float(self.long_spec.frequencies[row]))


def _stats_numbers(lo: float, hi: float, mean: float) -> str:
    return f": min {lo:.2f}  max {hi:.2f}  mean {mean:.2f}"


def _finite_sums(values: np.ndarray) -> tuple[int, float, float, float]:
    """(count, min, max, sum) of the finite values: a tile's share of the overview's stats."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0, 0.0, 0.0, 0.0
    return (int(finite.size), float(finite.min()), float(finite.max()),
            float(np.sum(finite, dtype=np.float64)))
