"""The live view: a spectrogram that scrolls with what plays or what an input device hears.

A QTimer at display rate drains the source (`explorer.audio.live.LiveInput`), computes the new
columns in one step (`explorer.model.live.LiveSpectrogram`) and colours only those columns into a
preallocated circular 32-bit image (display rows, not FFT bins: at most the widget's height). The
image is drawn in two pieces (oldest part, newest part) straight from that buffer, so nothing is
re-coloured, rolled or copied per frame.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.audio.live import PLAYBACK, LiveInput, SourceSpec, list_sources
from explorer.audio.ringbuffer import RingBuffer
from explorer.model import AudioClip, SpectrogramParams, from_array
from explorer.model.colormaps import COLORMAPS, DEFAULT_COLORMAP, lookup_table
from explorer.model.live import LiveSpectrogram
from explorer.ui.spectrogram.axes import AXIS_MODES, FrequencyAxis, axis_coordinates
from explorer.ui.spectrogram.colour_bar import ColourBar
from explorer.ui.waveform.view import style_plot

N_FFTS = (256, 512, 1024, 2048, 4096, 8192)
FRAME_MS = 16  # display timer (about 60 Hz)
SPECTRUM_EVERY = 2  # frames between spectrum curve updates (~30 Hz; the curve costs CPU)
STATUS_EVERY = 8  # frames between read-out / status label updates (~7 Hz)
MAX_ROWS = 1024
#: At or below this level (dBFS) the input reads as silent: no level, no peak frequency.
SILENT_DBFS = -120.0
MIN_ROWS = 32


def _lut32(name: str) -> np.ndarray:
    """The colour map as 0xFFRRGGBB words (QImage.Format_RGB32)."""
    rgb = lookup_table(name).astype(np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


class ScrollingImage(pg.GraphicsObject):
    """A circular rows x columns RGB32 image drawn oldest-first in two pieces (no copy)."""

    def __init__(self) -> None:
        super().__init__()
        self.pixels = np.zeros((1, 1), dtype=np.uint32)
        self.qimage = QImage()
        self.write_index = 0
        self.paints = 0
        self.last_paint = 0.0
        self.on_paint = None

    def set_buffer(self, pixels: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.pixels = pixels
        rows, cols = pixels.shape
        self.qimage = QImage(pixels, cols, rows, cols * 4, QImage.Format.Format_RGB32)
        self.update()

    def set_geometry(self, seconds_per_column: float, c_lo: float, c_hi: float) -> None:
        """Local (column, row) -> view (seconds relative to now, frequency coordinate)."""
        rows, cols = self.pixels.shape
        self.setTransform(QTransform(seconds_per_column, 0, 0, -(c_hi - c_lo) / rows,
                                     -cols * seconds_per_column, c_hi))

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt naming)
        rows, cols = self.pixels.shape
        return QRectF(0, 0, cols, rows)

    def paint(self, painter: QPainter, *_args) -> None:
        rows, cols = self.pixels.shape
        w = self.write_index
        old = cols - w
        if old > 0:
            painter.drawImage(QRectF(0, 0, old, rows), self.qimage, QRectF(w, 0, old, rows))
        if w > 0:
            painter.drawImage(QRectF(old, 0, w, rows), self.qimage, QRectF(0, 0, w, rows))
        self.paints += 1
        self.last_paint = time.monotonic()
        if self.on_paint is not None:
            self.on_paint(self.last_paint)


def _db1(value: float) -> str:
    """A level to 0.1 dB in 6 columns; full scale a hair below 0 reads "0.0", not "-0.0"."""
    return f"{round(value, 1) + 0.0:6.1f}"


class LevelMeter(QWidget):
    """Peak (line) and RMS (bar) in dBFS, vertical."""

    FLOOR = -90.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peak = self.rms = self.FLOOR
        self.setFixedWidth(22)
        self.setToolTip("Level: bar = RMS, line = peak (dBFS)")

    def set_levels(self, peak: float, rms: float) -> None:
        peak, rms = max(peak, self.FLOOR), max(rms, self.FLOOR)
        if (peak, rms) != (self.peak, self.rms):
            self.peak, self.rms = peak, rms
            self.update()

    def _y(self, db: float) -> float:
        h = self.height()
        return h * (min(db, 0.0) / self.FLOOR)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(0, 0, w, h, QColor("#1e1e1e"))
        y = self._y(self.rms)
        colour = "#e05050" if self.peak >= -0.5 else "#d0b030" if self.rms > -12 else "#40b060"
        p.fillRect(QRectF(3, y, w - 6, h - y), QColor(colour))
        yp = self._y(self.peak)
        p.fillRect(QRectF(1, yp - 1, w - 2, 2), QColor("#f0f0f0"))
        p.end()


class LiveView(QWidget):
    """The live spectrogram, spectrum, level meter, freeze and record; see the module docstring."""

    openInExplorer = Signal(object)  # AudioClip: the recorded last N seconds

    def __init__(self, player=None, parent: QWidget | None = None, *,
                 live_input: LiveInput | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.input = live_input or LiveInput(player)
        self.params = SpectrogramParams(n_fft=2048, hop_length=512, center=False)
        self.seconds = 10.0
        self.colormap = DEFAULT_COLORMAP
        self.axis_mode = "Hz"
        self.levels = (-100.0, 0.0)
        self.frozen = False
        self.live: LiveSpectrogram | None = None
        self.history: RingBuffer | None = None
        self.rate = 0
        self.generation = -1
        self.last_recording: AudioClip | None = None
        self.frames = 0  # display ticks that produced new columns
        self.latencies: deque[float] = deque(maxlen=20000)  # callback -> painted, seconds
        self._pending_stamp: float | None = None
        self._rows = 0
        self._starts: np.ndarray | None = None
        self._layout_key: tuple | None = None
        self._lut = _lut32(self.colormap)
        self._tick_count = 0
        self._last_xruns = -1
        self._running = False
        self._build()
        self.refresh_sources()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)

    # ----- construction -----
    def _build(self) -> None:
        self.source_combo = QComboBox()
        self.source_combo.setToolTip("Playback: what the player sends to the sound card; "
                                     "or an input device (microphone, line in, monitor)")
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setMinimumContentsLength(18)
        self.refresh_button = QToolButton()
        self.refresh_button.setText("↻")
        self.refresh_button.setToolTip("List the input devices again")
        self.freeze_button = QPushButton("Freeze")
        self.freeze_button.setCheckable(True)
        self.freeze_button.setToolTip("Stop scrolling (the input keeps running); again to resume")
        self.record_button = QPushButton("Record")
        self.record_button.setToolTip("Open the last N seconds in the main views")
        self.save_button = QPushButton("Save WAV…")
        self.save_button.setToolTip("Save the last N seconds (or the last recording) as WAV")
        self.seconds_spin = QDoubleSpinBox()
        self.seconds_spin.setRange(1, 60)
        self.seconds_spin.setDecimals(0)
        self.seconds_spin.setSuffix(" s")
        self.seconds_spin.setValue(self.seconds)
        self.seconds_spin.setToolTip("Seconds shown and recorded")
        self.xrun_label = QLabel("")
        self.xrun_label.setToolTip("Input overflows + player underflows + ring-buffer overruns")
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("color: #bbbbbb;")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 0)
        top.addWidget(QLabel("<b>Live</b>"))
        top.addWidget(self.source_combo, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.freeze_button)
        top.addWidget(self.seconds_spin)
        top.addWidget(self.record_button)
        top.addWidget(self.save_button)
        top.addWidget(self.xrun_label)

        self.kind_combo = QComboBox()
        self.kind_combo.addItem("STFT", "stft")
        self.kind_combo.addItem("Mel", "mel")
        self.n_fft_combo = QComboBox()
        for n in N_FFTS:
            self.n_fft_combo.addItem(str(n), n)
        self.n_fft_combo.setCurrentIndex(N_FFTS.index(self.params.n_fft))
        self.hop_combo = QComboBox()
        for n in (64, 128, 256, 512, 1024, 2048):
            self.hop_combo.addItem(str(n), n)
        self.hop_combo.setCurrentIndex(self.hop_combo.findData(self.params.hop_length))
        self.axis_combo = QComboBox()
        self.axis_combo.addItems(AXIS_MODES)
        self.min_spin = QDoubleSpinBox()
        self.max_spin = QDoubleSpinBox()
        for spin, value in ((self.min_spin, self.levels[0]), (self.max_spin, self.levels[1])):
            spin.setRange(-200, 50)
            spin.setDecimals(0)
            spin.setSuffix(" dB")
            spin.setSingleStep(5)
            spin.setValue(value)
        self.min_spin.setToolTip("Colour scale bottom (dBFS)")
        self.max_spin.setToolTip("Colour scale top (dBFS)")
        self.colormap_combo = QComboBox()
        self.colormap_combo.addItems(COLORMAPS)
        self.spectrum_check = QCheckBox("Spectrum")
        self.spectrum_check.setChecked(True)
        controls = QHBoxLayout()
        controls.setContentsMargins(6, 0, 6, 0)
        for label, widget in (("Kind", self.kind_combo), ("n_fft", self.n_fft_combo),
                              ("Hop", self.hop_combo), ("Axis", self.axis_combo),
                              ("Min", self.min_spin), ("Max", self.max_spin),
                              ("Colours", self.colormap_combo)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.spectrum_check)
        controls.addStretch(1)

        self.freq_axis = FrequencyAxis()
        self.freq_axis.setWidth(62)
        self.freq_axis.enableAutoSIPrefix(False)
        self.plot_widget = pg.PlotWidget(background="#1e1e1e", axisItems={"left": self.freq_axis})
        self.plot_widget.setAcceptDrops(False)
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot)
        # No grid: a grid belongs to the axes, which would then repaint (slowly) every frame.
        self.plot.showGrid(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setContentsMargins(0, 8, 0, 0)
        self.plot.setLabel("bottom", "time (s, 0 = now)")
        self.plot.setLabel("left", "frequency (Hz)")
        self.viewbox = self.plot.getViewBox()
        self.viewbox.disableAutoRange()
        self.image = ScrollingImage()
        self.image.on_paint = self._painted
        self.plot.addItem(self.image)
        self.message = pg.TextItem("", color="#dddddd", anchor=(0.5, 0.5))
        self.message.setZValue(20)
        self.plot.addItem(self.message, ignoreBounds=True)

        self.spectrum_widget = pg.PlotWidget(background="#1e1e1e")
        self.spectrum_widget.setAcceptDrops(False)
        self.spectrum_plot = self.spectrum_widget.getPlotItem()
        style_plot(self.spectrum_plot)
        self.spectrum_plot.showGrid(x=False, y=False)
        self.spectrum_plot.hideButtons()
        self.spectrum_plot.setMenuEnabled(False)
        self.spectrum_plot.setMouseEnabled(False, False)
        self.spectrum_plot.hideAxis("left")
        self.spectrum_plot.setContentsMargins(0, 8, 0, 0)
        self.spectrum_plot.setLabel("bottom", "dBFS")
        self.spectrum_plot.setYLink(self.plot)
        self.spectrum_plot.getViewBox().disableAutoRange()
        self.spectrum_curve = self.spectrum_plot.plot(pen=pg.mkPen("#7fc8ff", width=1))
        self.peak_marker = pg.ScatterPlotItem(size=7, brush=pg.mkBrush("#ffcc44"), pen=None)
        self.spectrum_plot.addItem(self.peak_marker)
        self.spectrum_widget.setFixedWidth(170)

        self.meter = LevelMeter()
        self.colour_bar = ColourBar()

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.plot_widget, 1)
        body.addWidget(self.spectrum_widget)
        body.addWidget(self.meter)
        body.addWidget(self.colour_bar)

        self.peak_label = QLabel(" ")
        self.peak_label.setStyleSheet("font-family: monospace;")
        self.level_label = QLabel(" ")
        self.level_label.setStyleSheet("font-family: monospace;")
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 2)
        bottom.addWidget(self.peak_label)
        bottom.addSpacing(16)
        bottom.addWidget(self.level_label)
        bottom.addSpacing(16)
        bottom.addWidget(self.status_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.source_combo.activated.connect(self._source_chosen)
        self.refresh_button.clicked.connect(self.refresh_sources)
        self.freeze_button.toggled.connect(self.set_frozen)
        self.record_button.clicked.connect(self.record)
        self.save_button.clicked.connect(self._save_clicked)
        self.seconds_spin.editingFinished.connect(lambda: self.set_seconds(self.seconds_spin.value()))
        for combo in (self.kind_combo, self.n_fft_combo, self.hop_combo):
            combo.currentIndexChanged.connect(self._params_edited)
        self.axis_combo.currentTextChanged.connect(self.set_axis_mode)
        self.colormap_combo.currentTextChanged.connect(self.set_colormap)
        self.min_spin.valueChanged.connect(self._levels_edited)
        self.max_spin.valueChanged.connect(self._levels_edited)
        self.spectrum_check.toggled.connect(self.spectrum_widget.setVisible)
        self.colour_bar.set_lut(lookup_table(self.colormap))
        self.colour_bar.set_range(*self.levels, "dB")

    # ----- sources -----
    def refresh_sources(self) -> None:
        current = self.source_combo.currentData()
        self.source_combo.clear()
        for spec in list_sources(playback=self.player is not None):
            self.source_combo.addItem(spec.label, spec)
        if current is not None:
            index = self.source_combo.findText(current.label)
            if index >= 0:
                self.source_combo.setCurrentIndex(index)

    def sources(self) -> list[SourceSpec]:
        return [self.source_combo.itemData(i) for i in range(self.source_combo.count())]

    def _source_chosen(self, index: int) -> None:
        self.select_source(self.source_combo.itemData(index))

    def select_source(self, spec: SourceSpec | str | None) -> None:
        """Switch the input (a SourceSpec, a label substring, "Playback" or None); non-blocking."""
        if isinstance(spec, str):
            match = [s for s in self.sources() if spec.lower() in s.label.lower()]
            if not match and spec.lower() == "playback":
                match = [PLAYBACK]
            if not match:
                self._show_message(f"no source {spec!r}")
                return
            spec = match[0]
        if spec is not None:
            index = self.source_combo.findText(spec.label)
            if index < 0:
                self.source_combo.addItem(spec.label, spec)
                index = self.source_combo.count() - 1
            self.source_combo.setCurrentIndex(index)
        self.input.select(spec)
        self._last_xruns = -1
        if spec is not None:
            self.start()

    @property
    def source(self) -> SourceSpec | None:
        return self.input.spec

    def start(self) -> None:
        """Run the display timer (and open the chosen source if none is open)."""
        if self.input.spec is None:
            if not self.source_combo.count():
                from explorer.audio import audio_status

                self._show_message(f"no live source: {audio_status()[1]}")
                return
            self.input.select(self.source_combo.currentData())
        self._running = True
        self._timer.start()

    def stop(self) -> None:
        """Close the source and stop the timer (the view keeps its picture)."""
        self._running = False
        self._timer.stop()
        self.input.stop()
        self._update_status(force=True)

    def shutdown(self) -> None:
        self._timer.stop()
        self.input.close()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._running:
            self.start()
        self._layout_rows()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self._running and not self.isVisible():
            self.stop()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._layout_rows()

    # ----- settings -----
    def _params_edited(self, *_args) -> None:
        n_fft = self.n_fft_combo.currentData()
        hop = min(self.hop_combo.currentData(), n_fft)  # no gaps between frames
        self.set_params(self.params.with_(kind=self.kind_combo.currentData(), n_fft=n_fft,
                                          hop_length=hop))

    def set_params(self, params: SpectrogramParams) -> None:
        """New analysis parameters; the past seconds are recomputed from the kept samples."""
        self.params = params.with_(center=False)
        for combo, value in ((self.kind_combo, params.kind), (self.n_fft_combo, params.n_fft),
                             (self.hop_combo, params.hop_length)):
            index = combo.findData(value)
            if index < 0:
                combo.addItem(str(value), value)
                index = combo.count() - 1
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        if self.rate:
            self._rebuild(self.rate, keep=True)

    def set_seconds(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.seconds_spin.setValue(self.seconds)
        if self.rate:
            self._rebuild(self.rate, keep=True)

    def set_axis_mode(self, mode: str) -> None:
        if mode not in AXIS_MODES:
            raise ValueError(mode)
        self.axis_mode = mode
        if self.axis_combo.currentText() != mode:
            self.axis_combo.setCurrentText(mode)
        self._layout_rows(force=True)

    def set_colormap(self, name: str) -> None:
        self._lut = _lut32(name)
        self.colormap = name
        if self.colormap_combo.currentText() != name:
            self.colormap_combo.setCurrentText(name)
        self.colour_bar.set_lut(lookup_table(name))
        self._recolour()

    def _levels_edited(self) -> None:
        self.set_levels(self.min_spin.value(), self.max_spin.value())

    def set_levels(self, vmin: float, vmax: float) -> None:
        if vmax <= vmin:
            return
        self.levels = (float(vmin), float(vmax))
        for spin, v in ((self.min_spin, vmin), (self.max_spin, vmax)):
            if spin.value() != v:
                spin.blockSignals(True)
                spin.setValue(v)
                spin.blockSignals(False)
        self.colour_bar.set_range(vmin, vmax, "dB")
        self.spectrum_plot.setXRange(vmin, vmax, padding=0.02)
        self._recolour()

    def set_frozen(self, frozen: bool) -> None:
        """Frozen: the picture and the kept samples stay as they are (the input is drained)."""
        self.frozen = bool(frozen)
        if self.freeze_button.isChecked() != self.frozen:
            self.freeze_button.setChecked(self.frozen)
        self.freeze_button.setText("Resume" if self.frozen else "Freeze")
        self._update_status(force=True)

    # ----- recording -----
    def recorded_samples(self) -> np.ndarray:
        if self.history is None:
            return np.zeros(0, np.float32)
        return self.history.latest(self.history.capacity)

    def record_clip(self) -> AudioClip | None:
        """The last N seconds as a clip (None before anything arrived)."""
        samples = self.recorded_samples()
        if not samples.size or not self.rate:
            return None
        label = self.source.label if self.source is not None else "live"
        name = f"Live {label} {time.strftime('%H-%M-%S')}"
        return from_array(samples, self.rate, name=name)

    def record(self) -> AudioClip | None:
        """Take the last N seconds and emit openInExplorer with them."""
        clip = self.record_clip()
        if clip is None:
            self._show_message("nothing recorded yet")
            return None
        self.last_recording = clip
        self.openInExplorer.emit(clip)
        return clip

    def save_wav(self, path: str | Path, clip: AudioClip | None = None) -> Path:
        """Write a clip (default: the last recording, else the last N seconds) as float WAV,
        atomically (WriteError says why it failed)."""
        from explorer.model import atomic

        clip = clip or self.last_recording or self.record_clip()
        if clip is None:
            raise ValueError("nothing recorded yet")
        return atomic.write_sound(Path(path), clip.samples, clip.sample_rate, subtype="FLOAT",
                                  format="WAV")

    def _save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save live recording", "live.wav",
                                              "WAV files (*.wav)")
        if not path:
            return
        try:
            self.save_wav(path)
        except (OSError, ValueError, RuntimeError) as exc:  # WriteError: path and cause in words
            message = str(exc) if isinstance(exc, OSError) else f"cannot save: {exc}"
            self.status_label.setText(message)
            QMessageBox.warning(self, "Save live recording", message)
        else:
            self.status_label.setText(f"saved {path}")

    # ----- the display loop -----
    def tick(self) -> None:
        """One display frame: drain the source, add columns, colour them, draw."""
        self._tick_count += 1
        try:
            chunk = self.input.read()
        except Exception as exc:  # never let the timer die
            self._show_message(f"live input error: {exc}")
            chunk = None
        if chunk is not None and not self.frozen:
            if chunk.generation != self.generation or chunk.rate != self.rate:
                self.generation = chunk.generation
                self._rebuild(chunk.rate, keep=chunk.rate == self.rate)
            if chunk.samples.size:
                self._push(chunk)
        if self._tick_count % STATUS_EVERY == 0 or self.input.state != "running":
            self._update_status()

    def _push(self, chunk) -> None:
        live = self.live
        self.history.write(chunk.samples)
        new = live.push(chunk.samples)
        if new:
            self._colour_new(new)
            self.frames += 1
            if chunk.end_frame is not None:
                stamp = self.input.time_of(chunk.end_frame - live.samples_after_last_column - 1)
                if stamp is not None:
                    self._pending_stamp = stamp
            if self.frames % SPECTRUM_EVERY == 0 and self.spectrum_widget.isVisible():
                self._draw_spectrum()
        self.meter.set_levels(live.peak_dbfs, live.rms_dbfs)

    def _painted(self, when: float) -> None:
        stamp, self._pending_stamp = self._pending_stamp, None
        if stamp is not None:
            self.latencies.append(when - stamp)

    def _rebuild(self, rate: int, keep: bool) -> None:
        """New rate, parameters or length: fresh storage; the kept samples are re-analysed."""
        old = self.recorded_samples() if keep and rate == self.rate else np.zeros(0, np.float32)
        self.rate = int(rate)
        self.live = LiveSpectrogram(self.rate, self.params, self.seconds)
        self.history = RingBuffer(max(1, int(round(self.seconds * self.rate))))
        if old.size:
            old = old[-self.history.capacity:]
            self.history.write(old)
            self.live.push(old)
        self._layout_rows(force=True)

    def _layout_rows(self, force: bool = False) -> None:
        """Display rows for the widget's height and axis; re-colours everything."""
        live = self.live
        if live is None:
            return
        height = int(self.viewbox.height() * self.devicePixelRatioF()) or 256
        rows_wanted = max(MIN_ROWS, min(height, MAX_ROWS))
        f = np.asarray(live.frequencies, dtype=np.float64)
        mids = (f[:-1] + f[1:]) / 2 if len(f) > 1 else f
        lo = max(0.0, f[0] - (mids[0] - f[0])) if len(f) > 1 else max(f[0] - 1, 0)
        hi = f[-1] + (f[-1] - mids[-1]) if len(f) > 1 else f[0] + 1
        edges_hz = np.concatenate([[lo], mids, [hi]])
        if self.axis_mode == "log":
            floor = min(max(edges_hz[1] if len(edges_hz) > 2 else edges_hz[0], 16.0), hi / 2)
            edges_hz = np.maximum(edges_hz, floor)
        edges = self._coord(edges_hz)
        c_lo, c_hi = float(edges[0]), float(edges[-1])
        widths = np.diff(edges)
        bins = len(f)
        even = np.allclose(widths, widths.mean(), rtol=1e-3) and widths.min() > 0
        rows = bins if even and bins <= rows_wanted else rows_wanted
        key = (rows, self.axis_mode, id(live))
        if not force and key == self._layout_key:
            return
        self._layout_key = key
        lower = c_lo + np.arange(rows) * (c_hi - c_lo) / rows  # each display row's lower edge
        starts = np.clip(np.searchsorted(edges, lower, side="right") - 1, 0, bins - 1)
        self._starts = starts.astype(np.intp)
        self._rows = rows
        self._row_coords = c_lo + (np.arange(rows) + 0.5) * (c_hi - c_lo) / rows
        self._c_range = (c_lo, c_hi)
        self.image.set_buffer(np.zeros((rows, live.columns), dtype=np.uint32))
        self.image.set_geometry(live.hop / live.sample_rate, c_lo, c_hi)
        self.freq_axis.mode = self.axis_mode
        self.plot.setLabel("left", {"Hz": "frequency (Hz)", "mel": "frequency (Hz, mel scale)",
                                    "log": "frequency (Hz, log scale)"}[self.axis_mode])
        self.viewbox.setRange(xRange=(-live.seconds, 0), yRange=(c_lo, c_hi), padding=0)
        self.spectrum_plot.setXRange(*self.levels, padding=0.02)
        self.freq_axis.picture = None
        self.freq_axis.update()
        self._recolour()
        if live.total_columns:  # the curve and its peak marker in the new coordinates
            self._draw_spectrum()
            self._update_status(force=True)

    def _coord(self, hz: np.ndarray) -> np.ndarray:
        return axis_coordinates(hz, self.axis_mode)

    def _colourise(self, db: np.ndarray) -> np.ndarray:
        """bins x n dB -> rows x n RGB32, top row = highest frequency."""
        rows = np.maximum.reduceat(db, self._starts, axis=0)[::-1]
        vmin, vmax = self.levels
        scaled = (rows - vmin) * (255.0 / (vmax - vmin))
        np.clip(scaled, 0, 255, out=scaled)
        return self._lut[scaled.astype(np.uint8)]

    def _recolour(self) -> None:
        live = self.live
        if live is None or self._starts is None:
            return
        self.image.pixels[:] = self._colourise(live.image)
        self.image.write_index = live.write_index
        self.image.update()

    def _colour_new(self, new: int) -> None:
        live = self.live
        cols = live.columns
        if new >= cols:
            self._recolour()
            return
        end = live.write_index
        start = end - new
        pixels = self.image.pixels
        if start >= 0:
            pixels[:, start:end] = self._colourise(live.image[:, start:end])
        else:
            pixels[:, start % cols:] = self._colourise(live.image[:, start % cols:])
            if end:
                pixels[:, :end] = self._colourise(live.image[:, :end])
        self.image.write_index = end
        self.image.update()

    def _draw_spectrum(self) -> None:
        live = self.live
        # one point per display row (the strongest bin in it), as the image shows it
        values = np.maximum.reduceat(live.spectrum, self._starts)
        self.spectrum_curve.setData(np.maximum(values, self.levels[0] - 20), self._row_coords)

    def _update_status(self, force: bool = False) -> None:
        live, inp = self.live, self.input
        silent = False
        if live is not None and live.total_columns:
            hz, db = live.peak()
            silent = live.peak_dbfs <= SILENT_DBFS
            if silent or db <= SILENT_DBFS:  # no "-200.0 dBFS", no "peak 0 Hz" of nothing
                self.peak_label.setText("peak        —           ")
                self.peak_marker.setData([], [])
            else:
                self.peak_label.setText(f"peak {hz:7.0f} Hz {_db1(db)} dBFS")
                if self.spectrum_widget.isVisible():
                    self.peak_marker.setData([db], [float(self._coord(np.array([hz]))[0])])
            self.level_label.setText(
                "level: silent" if silent else
                f"level peak {_db1(live.peak_dbfs)}  RMS {_db1(live.rms_dbfs)} dBFS")
        xruns = inp.xruns
        if xruns != self._last_xruns or force:
            self._last_xruns = xruns
            colour = "#e05050" if xruns else "#40b060"
            self.xrun_label.setText(f"<span style='color:{colour}'>● {xruns} xruns</span>")
            self.xrun_label.setToolTip(
                f"input overflows {inp.input_overflows}, player underflows {inp.underflows}, "
                f"ring overruns {inp.overruns}")
        state = inp.state
        if state == "failed":
            text = inp.message
            if self._timer.isActive():
                self._timer.stop()  # a stopped view; choosing a source again restarts it
                self._running = False
            self._show_message(text)
        elif state == "opening":
            text = inp.message
        elif state == "stopped":
            text = "stopped"
        else:
            text = inp.message + ("  (frozen)" if self.frozen else "")
            shown = f"silent: no sound above {SILENT_DBFS:.0f} dBFS" if silent else ""
            if self.message.toPlainText() != shown:
                self._show_message(shown)
        if self.status_label.text() != text:
            self.status_label.setText(text)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        self.message.setPos((x0 + x1) / 2, (y0 + y1) / 2)
