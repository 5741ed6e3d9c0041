"""The tone panel's plots: the first samples as points over the continuous wave they were taken
from, and the whole result as an envelope, with the clipping level marked when it is exceeded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
)

from explorer.model.overview import Overview, polyline
from explorer.model.tones import ToneSpec, render
from explorer.ui.common.compact_plot import CompactPlot
from explorer.ui.common.flow_layout import flow_row, group
from explorer.ui.tones.describe import CHIRPS, NOISES, NORMALISE_PEAK

#: The continuous wave behind the sample points is drawn at this many times the sample rate.
CONTINUOUS_OVERSAMPLE = 16
MAX_CONTINUOUS_POINTS = 200_000
#: Longest waveform drawn point for point; longer results are drawn as min/max per block.
MAX_PLOT_POINTS = 4000

# The application is dark (explorer.ui.shell.app: Fusion, dark palette, plots on #1e1e1e).
PLOT_BACKGROUND = "#1e1e1e"
AXIS_TEXT = "#c8c8c8"
AXIS_LINE = "#666666"
SAMPLES_COLOUR = "#4fa3ff"
CONTINUOUS_COLOUR = "#8a8a8a"
WAVE_COLOUR = "#9ec5ff"
CLIP_COLOUR = "#ff5252"
_WARN_STYLE = (
    "QLabel { background: #4a3b12; color: #ffdf9a; border: 1px solid #8a6d1f;"
    " border-radius: 3px; padding: 4px; }"
)


def minmax_envelope(samples: np.ndarray, sample_rate: int,
                    max_points: int = MAX_PLOT_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(times, values) to draw; long signals become min then max of each block (no peaks lost)."""
    overview = Overview.from_array(samples, sample_rate)
    x, y = polyline(overview.envelope(0, len(samples), max(1, max_points // 4)))  # 4 a column
    return x / sample_rate, y.astype(np.float64)


def continuous_wave(specs: Sequence[ToneSpec], sample_rate: int, combine: str,
                    n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(sample index, value) of the wave behind the first `n` samples, drawn between them.

    The same tones rendered at `CONTINUOUS_OVERSAMPLE` times the sample rate, so the sample
    points lie on it; None for noise and chirps (no single continuous shape) or when too long.
    """
    k = CONTINUOUS_OVERSAMPLE
    if (n <= 0 or n * k > MAX_CONTINUOUS_POINTS
            or not specs or any(s.wave in NOISES + CHIRPS for s in specs)):
        return None
    sr = sample_rate
    parts, remaining = [], n
    for spec in specs:
        take = min(int(spec.duration * sr), remaining if combine == "sequence" else n)
        # exactly take*k fine samples (the half step guards against rounding down)
        parts.append(replace(spec, duration=(take + 0.5 / k) / sr))
        if combine == "sequence":
            remaining -= take
            if remaining <= 0:
                break
    fine = render(parts, sr * k, combine)[: (n - 1) * k + 1]
    return np.arange(len(fine)) / k, fine


class TonePreview(QObject):
    """The two plots, what they show (`options`: the first N samples, the continuous wave) and
    the warnings (`warning_frame`).

    The panel places `options`, `warning_frame`, `samples_plot` and `wave_plot` in its own
    column and calls `draw` and `show_warnings` after each change.
    """

    #: The number of samples shown or the continuous wave's checkbox changed.
    optionsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.first_n_spin = QSpinBox()
        self.first_n_spin.setRange(2, 100000)
        self.first_n_spin.setValue(64)
        self.first_n_spin.setKeyboardTracking(False)
        self.first_n_spin.setToolTip("64 samples are 2 cycles of 500 Hz at 16 kHz")
        self.first_n_spin.valueChanged.connect(lambda _v: self.optionsChanged.emit())
        self.continuous_check = QCheckBox("continuous wave")
        self.continuous_check.setChecked(True)
        self.continuous_check.setToolTip(
            "Draw the wave the samples were taken from (periodic waves only): above Nyquist "
            "the points trace a slower wave, the alias you hear")
        self.continuous_check.toggled.connect(lambda _on: self.optionsChanged.emit())
        self.options = flow_row(group(QLabel("First"), self.first_n_spin, QLabel("samples")),
                                self.continuous_check, spacing=12)

        # what the listener will not expect (aliasing, clipping), with the cure for clipping
        self.warning_frame = QFrame()
        warn_layout = QHBoxLayout(self.warning_frame)
        warn_layout.setContentsMargins(0, 0, 0, 0)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(_WARN_STYLE)
        self.warning_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                         QSizePolicy.Policy.Preferred)
        warn_layout.addWidget(self.warning_label, 1)
        self.normalise_button = QPushButton("Normalise")
        self.normalise_button.setToolTip(
            f"Scale every tone's amplitude so that the peak is {NORMALISE_PEAK}")
        warn_layout.addWidget(self.normalise_button, 0, Qt.AlignmentFlag.AlignTop)

        self.samples_plot = CompactPlot()
        self.samples_plot.setBackground(PLOT_BACKGROUND)
        self.samples_plot.showGrid(x=True, y=True, alpha=0.15)
        self.samples_plot.setLabel("bottom", "sample n")
        self.samples_plot.setLabel("left", "value")
        self.samples_plot.setMinimumHeight(120)
        self.continuous_curve = self.samples_plot.plot(pen=pg.mkPen(CONTINUOUS_COLOUR, width=1))
        self.samples_curve = self.samples_plot.plot(
            pen=pg.mkPen(SAMPLES_COLOUR, width=1.5), symbol="o", symbolSize=5,
            symbolBrush=SAMPLES_COLOUR, symbolPen=None)
        self.clip_lines: list[pg.InfiniteLine] = []

        self.wave_plot = CompactPlot()
        self.wave_plot.setBackground(PLOT_BACKGROUND)
        self.wave_plot.showGrid(x=True, y=True, alpha=0.15)
        self.wave_plot.setLabel("bottom", "time", units="s")
        self.wave_plot.setLabel("left", "value")
        self.wave_plot.setMinimumHeight(100)
        self.wave_curve = self.wave_plot.plot(pen=pg.mkPen(WAVE_COLOUR, width=1))
        self.first_n_region = pg.LinearRegionItem(movable=False,
                                                  brush=pg.mkBrush(79, 163, 255, 60),
                                                  pen=pg.mkPen(None))
        self.wave_plot.addItem(self.first_n_region)
        for plot in (self.samples_plot, self.wave_plot):
            plot.getAxis("left").setSIPrefixEnableRanges(())  # never "(x0.001)"
            for name in ("left", "bottom"):
                plot.getAxis(name).setTextPen(pg.mkPen(AXIS_TEXT))
                plot.getAxis(name).setPen(pg.mkPen(AXIS_LINE))
            for level in (-1.0, 1.0):
                pen = pg.mkPen(CLIP_COLOUR, style=Qt.PenStyle.DashLine)
                line = pg.InfiniteLine(level, angle=0, pen=pen)
                line.setVisible(False)
                plot.addItem(line, ignoreBounds=True)
                self.clip_lines.append(line)

    def show_warnings(self, warnings: list[str], clipping: bool) -> None:
        """The warnings shown (none: the frame hidden); Normalise offered when it clips."""
        self.warning_label.setText("\n".join(warnings))
        self.warning_frame.setVisible(bool(warnings))
        self.normalise_button.setVisible(clipping)

    def first_n(self, length: int) -> int:
        """How many of `length` samples the upper plot shows."""
        return min(self.first_n_spin.value(), length)

    def draw(self, y: np.ndarray, sample_rate: int, n: int,
             continuous: tuple[np.ndarray, np.ndarray] | None, peak: float) -> None:
        """Show the first `n` samples (over `continuous` if given) and the whole result."""
        sr = sample_rate
        self.samples_curve.setData(np.arange(n), y[:n])
        if continuous is None:
            self.continuous_curve.setData([], [])
        else:
            self.continuous_curve.setData(*continuous)
        self.samples_plot.setTitle(f"First {n} samples at {sr} Hz "
                                   f"({1000 * n / sr:.3g} ms)", size="9pt")
        t, v = minmax_envelope(y, sr)
        self.wave_curve.setData(t, v)
        self.first_n_region.setRegion((0, n / sr))
        self.wave_plot.setTitle(f"Result: {len(y) / sr:.3g} s, {len(y)} samples, "
                                f"peak {peak:.3g}", size="9pt")
        self.samples_plot.enableAutoRange()
        self.wave_plot.enableAutoRange()
        for line in self.clip_lines:
            line.setVisible(peak > 1.0)
