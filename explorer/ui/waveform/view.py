"""Waveform: min/max envelope at screen resolution, playhead, click to seek, drag to select.

While a long file's summaries are still being read, what is not read yet is hatched (and drawn
empty, not as silence) and a label beside the title says how much is read; `update_overview`
brings more of the same file without touching the zoom, the selection or the playhead."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.model.overview import Overview, polyline
from explorer.ui.common.time_axis import TimeAxis

CHANNEL_COLOURS = ("#4fc3f7", "#ffb74d", "#aed581", "#f06292", "#ba68c8", "#fff176")
PLAYHEAD_COLOUR = "#ff5252"
SELECTION_BRUSH = QColor(120, 170, 255, 60)
UNREAD_BRUSH = QBrush(QColor(150, 150, 150, 70), Qt.BrushStyle.BDiagPattern)
UNREAD_EDGE = "#9a9a9a"
#: a long file's samples are read for the read-out only this close (samples per pixel), where
#: the waveform reads them to draw anyway; farther out it reads out the pixel's min and max
RAW_READOUT_SPAN = 64
READOUT_BLOCK = 4096  # frames read at once for the read-out (moves nearby reuse them)


class TimeViewBox(pg.ViewBox):
    """A ViewBox on a time axis: wheel zooms time, click seeks, drag selects, Shift/middle pans."""

    sigClicked = Signal(float)  # seconds
    sigDragSelect = Signal(float, float, bool)  # start, end (seconds), finished
    sigContextMenu = Signal(object)  # QPointF: where (screen) the right button was clicked
    #: Ctrl+drag when `box_drag` is on (the spectrogram's time-frequency box): start and current
    #: points in view coordinates, finished
    sigBoxDrag = Signal(object, object, bool)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)
        self.box_drag = False  # Ctrl+drag draws a box (sigBoxDrag) instead of selecting time

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.sigClicked.emit(float(self.mapSceneToView(ev.scenePos()).x()))
        elif ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.sigContextMenu.emit(ev.screenPos())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(ev.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ev.button() == Qt.MouseButton.LeftButton and ctrl and not shift and self.box_drag:
            # the time-frequency box (ui/analysis/box.py): measured, or labelled with L
            ev.accept()
            self.sigBoxDrag.emit(self.mapSceneToView(ev.buttonDownScenePos()),
                                 self.mapSceneToView(ev.scenePos()), ev.isFinish())
            return
        if ev.button() == Qt.MouseButton.LeftButton and not shift:
            ev.accept()
            a = float(self.mapSceneToView(ev.buttonDownScenePos()).x())
            b = float(self.mapSceneToView(ev.scenePos()).x())
            self.sigDragSelect.emit(a, b, ev.isFinish())
            return
        if ev.button() == Qt.MouseButton.LeftButton and shift:
            # pan like a middle drag
            ev.accept()
            if ev.isStart():
                return
            delta = self.mapSceneToView(ev.lastScenePos()).x() - self.mapSceneToView(
                ev.scenePos()).x()
            self.translateBy(x=delta)
            return
        super().mouseDragEvent(ev, axis)


def style_plot(plot: pg.PlotItem) -> None:
    """Our colours and grid. Axes are cached as pixmaps: replaying their tick labels (a
    QPicture of text) was ~80% of every repaint, e.g. at each playhead step or arriving tile;
    pyqtgraph calls update() when an axis changes, which renews the cache."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen("#c8c8c8"))
        axis.setPen(pg.mkPen("#666"))
    for name in ("left", "bottom", "top", "right"):
        plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.showGrid(x=True, y=True, alpha=0.15)


def selection_text(selection: tuple[float, float] | None, sample_rate: int) -> str:
    """Start, end and length of a selection in seconds and in samples (as Audacity shows)."""
    if selection is None:
        return ""
    a, b = selection
    first, last = int(round(a * sample_rate)), int(round(b * sample_rate))
    return (f"selection {a:.3f} – {b:.3f} s, length {b - a:.3f} s   "
            f"[samples {first} – {last}, {last - first}]")


class WaveformView(QWidget):
    """The waveform of the current clip with channel and amplitude/magnitude choices."""

    seekRequested = Signal(float)  # seconds
    selectionChanged = Signal(object)  # (t0, t1) | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overview: Overview | None = None
        self.in_memory = True
        self._readout_blocks: dict = {}  # channel -> (first frame, samples) for the read-out
        self.sample_rate = 1
        self.duration = 0.0
        self.magnitude = False
        self.channel_mode: str | int = "mono"  # "mono", "all" or a channel index

        self.title = QLabel("<b>Waveform</b>")
        # how much of a long file is read; its text never resizes the window's layout
        self.progress_label = QLabel()
        self.progress_label.setStyleSheet("color: #9a9a9a;")
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.channel_box = QComboBox()
        self.channel_box.setToolTip("Which signal to draw")
        self.mode_box = QComboBox()
        self.mode_box.addItems(["Amplitude", "Magnitude |x|"])
        self.mode_box.setToolTip("Signed amplitude, or its absolute value")
        # the hint gives way to the reading progress: the two never share (and cut) the line
        self.hint = hint = QLabel("wheel: zoom · drag: select · click: seek · shift-drag: pan")
        hint.setToolTip("Right-click a plot for zoom, play and export; Help > Keyboard shortcuts")
        hint.setStyleSheet("color: #8a8a8a;")
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 0)
        top.addWidget(self.title)
        top.addSpacing(8)
        top.addWidget(self.progress_label, 1)
        top.addWidget(hint)
        top.addSpacing(8)
        top.addWidget(self.channel_box)
        top.addWidget(self.mode_box)

        self.viewbox = TimeViewBox()
        self.time_axis = TimeAxis()
        self.plot_widget = pg.PlotWidget(viewBox=self.viewbox, background="#1e1e1e",
                                         axisItems={"bottom": self.time_axis})
        self.plot_widget.setAcceptDrops(False)
        self.plot_widget.viewport().setAcceptDrops(False)
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot)
        self.plot.setLabel("bottom", "time")
        self.plot.setLabel("left", "amplitude")
        self.plot.getAxis("left").setWidth(62)
        self.plot.setContentsMargins(0, 8, 0, 0)
        self.plot.setYRange(-1, 1, padding=0.02)
        self.plot.hideButtons()

        self.curves: list[pg.PlotDataItem] = []
        self.region = pg.LinearRegionItem(brush=SELECTION_BRUSH, movable=True)
        self.region.setZValue(5)
        self.region.hide()
        self.plot.addItem(self.region, ignoreBounds=True)
        self.playhead = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(PLAYHEAD_COLOUR, width=1.5))
        self.playhead.setZValue(10)
        self.plot.addItem(self.playhead, ignoreBounds=True)
        # the part of a long file not read yet (clicks and drags go through to the view box)
        self.unread = pg.LinearRegionItem(brush=UNREAD_BRUSH, movable=False,
                                          pen=pg.mkPen(UNREAD_EDGE, width=1,
                                                       style=Qt.PenStyle.DashLine))
        self.unread.setZValue(2)
        self.unread.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        for line in self.unread.lines:
            line.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.unread.hide()
        self.plot.addItem(self.unread, ignoreBounds=True)

        # what is under the mouse, below the plot (as the spectrogram's read-out)
        self.cursor_label = QLabel(" ")
        self.cursor_label.setStyleSheet("font-family: monospace;")
        self.cursor_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.plot_widget, 1)
        # as wide as the spectrogram's colour bar, so both time axes line up
        self.right_spacer = QWidget()
        self.right_spacer.setFixedWidth(86)
        self.right_spacer.setStyleSheet("background: #1e1e1e;")
        body.addWidget(self.right_spacer)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 2)
        bottom.addWidget(self.cursor_label, 1)
        layout.addLayout(bottom)

        self._redraw_timer = QTimer(self, singleShot=True, interval=0)
        self._redraw_timer.timeout.connect(self.redraw)
        self.viewbox.sigXRangeChanged.connect(lambda *_: self._redraw_timer.start())
        self.viewbox.sigResized.connect(lambda *_: self._redraw_timer.start())
        self.viewbox.sigClicked.connect(self._clicked)
        self.viewbox.sigDragSelect.connect(self._drag_select)
        self.region.sigRegionChangeFinished.connect(self._region_edited)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.channel_box.currentIndexChanged.connect(self._channel_changed)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self._set_channels(1)

    # ---- data -------------------------------------------------------------------------------
    def set_overview(self, overview: Overview | None, sample_rate: int,
                     in_memory: bool = True) -> None:
        """`in_memory`: the samples are an array (not a long file read on demand)."""
        self.overview = overview
        self.in_memory = in_memory
        self._readout_blocks: dict = {}
        self.sample_rate = max(1, int(sample_rate))
        self.duration = overview.frames / self.sample_rate if overview else 0.0
        self._set_channels(overview.channels if overview else 1)
        self.region.hide()
        self.cursor_label.setText(" ")
        self.playhead.setValue(0)
        if overview is not None and overview.frames:
            dur = self.duration
            self.viewbox.setLimits(xMin=-0.02 * dur, xMax=dur * 1.02,
                                   minXRange=min(8 / self.sample_rate, dur))
            self.viewbox.setXRange(0, dur, padding=0)
        self._show_progress()
        self.redraw()

    def update_overview(self, overview: Overview) -> None:
        """More (or all) of the shown file's summaries: redrawn soon, the view left as it is."""
        current = self.overview
        if current is None or (overview.frames, overview.channels) != (current.frames,
                                                                       current.channels):
            return  # not the file shown (set_overview starts a file)
        self.overview = overview
        self._show_progress()
        self._redraw_timer.start()

    def _show_progress(self) -> None:
        """Hatches what is not summarised yet and says how much is."""
        overview = self.overview
        if overview is None or overview.complete or not overview.frames:
            self.unread.hide()
            self.progress_label.clear()
            self.hint.show()
            return
        self.hint.hide()
        self.unread.setRegion((overview.frames_done / self.sample_rate, self.duration))
        self.unread.show()
        self.progress_label.setText(f"{overview.fraction:.0%} summarised (hatched: not read yet)")

    def clear(self) -> None:
        self.set_overview(None, 1)

    def _set_channels(self, channels: int) -> None:
        previous = self.channel_mode
        self.channel_box.blockSignals(True)
        self.channel_box.clear()
        self.channel_box.addItem("Mono mix", "mono")
        if channels > 1:
            self.channel_box.addItem("All channels", "all")
            for i in range(channels):
                self.channel_box.addItem(f"Channel {i + 1}", i)
        index = self.channel_box.findData(previous)
        self.channel_box.setCurrentIndex(max(0, index))
        self.channel_mode = self.channel_box.currentData()
        self.channel_box.setEnabled(channels > 1)
        self.channel_box.blockSignals(False)

    def _channel_changed(self) -> None:
        self.channel_mode = self.channel_box.currentData()
        self.redraw()

    def _mode_changed(self, index: int) -> None:
        self.magnitude = index == 1
        self.plot.setLabel("left", "|amplitude|" if self.magnitude else "amplitude")
        self.plot.setYRange(0 if self.magnitude else -1, 1, padding=0.02)
        self.redraw()

    def set_magnitude(self, on: bool) -> None:
        self.mode_box.setCurrentIndex(1 if on else 0)

    def _channels_to_draw(self) -> list[int | None]:
        if self.overview is None:
            return []
        if self.channel_mode == "all":
            return list(range(self.overview.channels))
        if self.channel_mode == "mono" or self.channel_mode is None:
            return [None]
        return [int(self.channel_mode)]

    def redraw(self) -> None:
        channels = self._channels_to_draw()
        while len(self.curves) < len(channels):
            curve = pg.PlotDataItem(antialias=False)
            curve.setZValue(1)
            self.plot.addItem(curve)
            self.curves.append(curve)
        for curve in self.curves[len(channels):]:
            curve.setData([], [])
        if not channels:
            return
        (x0, x1), _ = self.viewbox.viewRange()
        width = max(100, int(self.viewbox.width()))
        start = int(np.floor(x0 * self.sample_rate)) - 1
        stop = int(np.ceil(x1 * self.sample_rate)) + 2
        for i, channel in enumerate(channels):
            env = self.overview.envelope(start, stop, width, channel)
            x, y = polyline(env, self.magnitude)
            raw = env.is_raw
            colour = CHANNEL_COLOURS[(i if channel is not None else 0) % len(CHANNEL_COLOURS)]
            curve = self.curves[i]
            pen = pg.mkPen(colour, width=1)
            if raw:
                show_points = len(x) and len(x) < width / 6
                curve.setData(x / self.sample_rate, y, pen=pen, connect="all",
                              symbol="o" if show_points else None, symbolSize=5,
                              symbolBrush=colour, symbolPen=None)
            else:
                curve.setData(x / self.sample_rate, y, pen=pen, connect="all", symbol=None)

    # ---- playhead, seek, selection -----------------------------------------------------------
    def set_playhead(self, seconds: float) -> None:
        self.playhead.setValue(seconds)

    def _clicked(self, seconds: float) -> None:
        if self.overview is None:
            return
        seconds = min(max(0.0, seconds), self.duration)
        self.playhead.setValue(seconds)
        self.seekRequested.emit(seconds)

    def _drag_select(self, a: float, b: float, finished: bool) -> None:
        if self.overview is None:
            return
        a, b = sorted((min(max(0.0, a), self.duration), min(max(0.0, b), self.duration)))
        self.region.setRegion((a, b))
        self.region.show()
        if finished:
            self.selectionChanged.emit((a, b) if b > a else None)

    def _region_edited(self) -> None:
        if self.region.isVisible():
            a, b = self.region.getRegion()
            self.selectionChanged.emit((float(a), float(b)) if b > a else None)

    def set_selection(self, selection) -> None:
        if selection is None:
            self.region.hide()
        else:
            self.region.blockSignals(True)
            self.region.setRegion(selection)
            self.region.blockSignals(False)
            self.region.show()

    # ---- read-out -----------------------------------------------------------------------------
    def value_at(self, seconds: float, pixels: float = 1.0):
        """(time, sample index, {name: value}, (low, high) | None) under a time, or None.

        The value is the sample's own; when a screen pixel spans more samples (`pixels` wide in
        seconds) the drawn column's min and max are given too, as that is what is seen."""
        overview = self.overview
        if overview is None or not overview.frames:
            return None
        index = int(round(seconds * self.sample_rate))
        if not 0 <= index < overview.frames or index >= overview.frames_done:
            return None
        channels = self._channels_to_draw()
        names = {None: "mono" if overview.channels > 1 else "value"}
        values = {}
        span = int(pixels * self.sample_rate)
        if self.in_memory or span <= RAW_READOUT_SPAN:
            for channel in channels:
                name = names.get(channel, f"ch{(channel or 0) + 1}")
                values[name] = self._sample(index, channel)
        column = None
        if span > 1 and len(channels) == 1:
            env = overview.envelope(index - span // 2, index + span - span // 2, 1, channels[0])
            if len(env.low):
                column = (float(np.min(env.low)), float(np.max(env.high)))
        return index / self.sample_rate, index, values, column

    def _sample(self, index: int, channel: int | None) -> float:
        first, block = self._readout_blocks.get(channel, (-1, None))
        if block is None or not first <= index < first + len(block):
            first = index - index % READOUT_BLOCK
            block = self.overview.samples(first, first + READOUT_BLOCK, channel)
            self._readout_blocks[channel] = (first, block)
        return float(block[index - first])

    def _mouse_moved(self, pos) -> None:
        if self.overview is None or not self.plot.sceneBoundingRect().contains(pos):
            return
        point = self.viewbox.mapSceneToView(pos)
        (x0, x1), _ = self.viewbox.viewRange()
        hit = self.value_at(point.x(), (x1 - x0) / max(1.0, self.viewbox.width()))
        if hit is None:
            self.cursor_label.setText(" ")
            return
        t, index, values, column = hit
        text = f"t = {t:.4f} s   sample {index}   " + "  ".join(
            f"{name} {value:+.4f}" for name, value in values.items())
        if column is not None:
            text += f"   (pixel: {column[0]:+.4f} … {column[1]:+.4f})"
        self.cursor_label.setText(text)
