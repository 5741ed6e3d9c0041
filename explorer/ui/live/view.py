"""The live view: a spectrogram that scrolls with what plays or what an input device hears.

A QTimer at display rate drains the source (`explorer.audio.live.LiveInput`), computes the new
columns in one step (`explorer.model.live.LiveSpectrogram`) and colours only those columns into a
preallocated circular 32-bit image (display rows, not FFT bins: at most the widget's height). The
image is drawn in two pieces (oldest part, newest part) straight from that buffer, so nothing is
re-coloured, rolled or copied per frame.

The view's parts live beside it: controls.py (widgets, sources, settings), readout.py (spectrum,
peak, level, status), recording.py (Record, Save WAV), scrolling_image.py, level_meter.py.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from explorer.audio.live import LiveInput
from explorer.audio.ringbuffer import RingBuffer
from explorer.model import AudioClip, SpectrogramParams
from explorer.model.colormaps import DEFAULT_COLORMAP
from explorer.model.live import LiveSpectrogram
from explorer.ui.live.controls import LiveControls
from explorer.ui.live.readout import LiveReadout
from explorer.ui.live.recording import LiveRecording
from explorer.ui.live.scrolling_image import _lut32
from explorer.ui.spectrogram.axes import axis_coordinates

FRAME_MS = 16  # display timer (about 60 Hz)
SPECTRUM_EVERY = 2  # frames between spectrum curve updates (~30 Hz; the curve costs CPU)
STATUS_EVERY = 8  # frames between read-out / status label updates (~7 Hz)
MAX_ROWS = 1024
MIN_ROWS = 32


class LiveView(LiveControls, LiveReadout, LiveRecording, QWidget):
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

    # ----- running -----
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
