"""Tone generator panel: the notebook's `make_tone` experiments as a widget.

A list of tones (wave, frequency, amplitude, duration) is mixed or played in sequence at a chosen
sample rate by `explorer.model.tones.render` (the same code as `audio-explorer tone`); the panel
shows the first samples as points and the whole result, warns where aliasing or clipping would
surprise the listener, plays the result at x0.5 / x1 / x2 (a click plays) or any rate typed in Hz
(Enter plays), saves it as WAV and hands it to the explorer views as an `AudioClip`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.model import AudioClip, from_array
from explorer.model.overview import Overview, polyline
from explorer.model.tones import (
    ALL_WAVES,
    DEFAULT_AMPLITUDE,
    DEFAULT_SAMPLE_RATE,
    ToneSpec,
    alias_frequency,
    render,
)
from explorer.ui.common.compact_plot import CompactPlot
from explorer.ui.common.flow_layout import flow_row, group

MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 192000
MAX_FREQUENCY = 400000.0
MAX_DURATION = 60.0
NORMALISE_PEAK = 0.99
#: The fastest playback the player accepts (x16).
MAX_PLAYBACK_FACTOR = 16
#: The continuous wave behind the sample points is drawn at this many times the sample rate.
CONTINUOUS_OVERSAMPLE = 16
MAX_CONTINUOUS_POINTS = 200_000
#: Longest waveform drawn point for point; longer results are drawn as min/max per block.
MAX_PLOT_POINTS = 4000

WAVE_LABELS = {
    "sine": "sine",
    "square": "square",
    "sawtooth": "sawtooth",
    "triangle": "triangle",
    "chirp_linear": "linear chirp",
    "chirp_log": "log chirp",
    "white_noise": "white noise",
    "pink_noise": "pink noise",
}
CHIRPS = ("chirp_linear", "chirp_log")
NOISES = ("white_noise", "pink_noise")

#: The notebook's experiments: name -> (tones, combine). Each tone 1 s, amplitude 0.1, 16 kHz.
PRESETS: dict[str, tuple[tuple[ToneSpec, ...], str]] = {
    "500 Hz": ((ToneSpec(500),), "mix"),
    "5000 Hz": ((ToneSpec(5000),), "mix"),
    "500 + 5000 Hz mixed": ((ToneSpec(500), ToneSpec(5000)), "mix"),
    "500 then 1000 Hz": ((ToneSpec(500), ToneSpec(1000)), "sequence"),
    "5000 then 5500 Hz": ((ToneSpec(5000), ToneSpec(5500)), "sequence"),
}

COL_WAVE, COL_FREQ, COL_END, COL_AMP, COL_DUR = range(5)
#: Short headers so that the table fits a narrow dock; the tooltips say what they are.
COLUMNS = ("Wave", "Hz", "End Hz", "Amp.", "Sec.")
COLUMN_TIPS = (
    "Wave shape",
    "Frequency in Hz (a chirp's start)",
    "Frequency in Hz a chirp sweeps to (shown when a tone is a chirp)",
    "Peak amplitude (the notebook's 0.1)",
    "Duration in seconds",
)

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
_ERROR_STYLE = "QLabel { color: #ff6e6e; }"
_NOTE_STYLE = "color: #9a9a9a;"
#: The chosen playback rate stands out (the dark Fusion default barely shades a checked button).
_RATE_STYLE = (
    "QToolButton { padding: 2px 6px; border: 1px solid #5a5a5a; border-radius: 3px;"
    " background: #353535; color: #dcdcdc; }"
    " QToolButton:hover { border-color: #8a8a8a; }"
    " QToolButton:checked { background: #3f78c0; border-color: #9ec5ff; color: #ffffff; }"
)
TABLE_ROW_HEIGHT = 26
#: The table shows at least this many rows and grows with the tones up to the next number.
TABLE_MIN_ROWS = 2
TABLE_VISIBLE_ROWS = 5


def format_hz(value: float) -> str:
    """'9000' for whole numbers, '440.5' otherwise (no trailing zeros, no exponent)."""
    value = float(value)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def tone_label(spec: ToneSpec) -> str:
    """Short name of one tone: '500 Hz', 'square 500 Hz', 'log chirp 500-5000 Hz', 'pink noise'."""
    if spec.wave in NOISES:
        return WAVE_LABELS[spec.wave]
    if spec.wave in CHIRPS:
        end = spec.end_frequency if spec.end_frequency is not None else spec.frequency
        return f"{WAVE_LABELS[spec.wave]} {format_hz(spec.frequency)}-{format_hz(end)} Hz"
    prefix = "" if spec.wave == "sine" else f"{spec.wave} "
    return f"{prefix}{format_hz(spec.frequency)} Hz"


def clip_name(specs: Sequence[ToneSpec], combine: str) -> str:
    """'tone 500 Hz', 'tone 500 Hz + 5000 Hz', 'tone 500 Hz then 1000 Hz'."""
    if not specs:
        return "tone (silence)"
    joiner = " + " if combine == "mix" else " then "
    return "tone " + joiner.join(tone_label(s) for s in specs)


def alias_warnings(specs: Sequence[ToneSpec], sample_rate: int) -> list[str]:
    """What the listener will really hear for tones at or above Nyquist (and aliasing harmonics)."""
    nyquist = sample_rate / 2
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        if text not in seen:
            seen.add(text)
            out.append(text)

    for spec in specs:
        if spec.wave in NOISES:
            continue
        freqs = [spec.frequency]
        if spec.wave in CHIRPS and spec.end_frequency is not None:
            freqs.append(spec.end_frequency)
        for f in freqs:
            if f > nyquist:
                heard = alias_frequency(f, sample_rate)
                add(f"{format_hz(f)} Hz is above Nyquist ({format_hz(nyquist)} Hz) at "
                    f"{format_hz(sample_rate)} Hz: you will hear {format_hz(heard)} Hz")
            elif f == nyquist and f > 0:
                text = (f"{format_hz(f)} Hz is at Nyquist ({format_hz(nyquist)} Hz) at "
                        f"{format_hz(sample_rate)} Hz: you will hear {format_hz(f)} Hz at most")
                if spec.wave == "sine":
                    text += " (a sine there is sampled at its zero crossings: silence)"
                add(text)
        if spec.wave in ("square", "sawtooth", "triangle") and 0 < spec.frequency < nyquist:
            # square and triangle have odd harmonics only, a sawtooth every harmonic
            first = spec.frequency * (2 if spec.wave == "sawtooth" else 3)
            if first > nyquist:
                add(f"{spec.wave} {format_hz(spec.frequency)} Hz: its harmonics from "
                    f"{format_hz(first)} Hz are above Nyquist ({format_hz(nyquist)} Hz) "
                    f"and fold back as aliases")
    return out


def minmax_envelope(samples: np.ndarray, sample_rate: int,
                    max_points: int = MAX_PLOT_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(times, values) to draw; long signals become min then max of each block (no peaks lost)."""
    overview = Overview.from_array(samples, sample_rate)
    x, y = polyline(overview.envelope(0, len(samples), max(1, max_points // 4)))  # 4 a column
    return x / sample_rate, y.astype(np.float64)


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int,
              subtype: str = "PCM_16") -> Path:
    """Write mono samples as WAV (`PCM_16` clips at +-1; `FLOAT` keeps everything), atomically."""
    from explorer.model import atomic

    path = Path(path)
    if path.suffix.lower() != ".wav":
        path = path.with_suffix(path.suffix + ".wav") if path.suffix else path.with_suffix(".wav")
    data = np.asarray(samples, dtype=np.float32 if subtype == "FLOAT" else np.float64)
    return atomic.write_sound(path, data, int(sample_rate), subtype=subtype, format="WAV")


class _CompactSpin(QDoubleSpinBox):
    """A table cell number without trailing zeros ('500', '0.1', '1'): narrow columns suffice."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt name)
        # in the spin box's locale, as Qt's own text is (a decimal comma reads back)
        locale = self.locale()
        text = locale.toString(float(value), "f", self.decimals())
        text = text.replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


class _RowFocus(QObject):
    """Selects a table row when one of its cell widgets takes the focus."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FocusIn:
            row = obj.property("toneRow")
            if row is not None and row != self._table.currentRow():
                self._table.selectRow(int(row))
        return False


class ToneGeneratorPanel(QWidget):
    """Make, see, hear, save and explore test tones."""

    #: An `AudioClip` of the current result, for the explorer views.
    openInExplorer = Signal(object)
    #: The result (tones, sample rate or combine) changed.
    resultChanged = Signal()
    #: Playback started (True) or ended (False).
    playingChanged = Signal(bool)

    def __init__(self, player=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ToneGeneratorPanel")
        self._player = player
        self._specs: list[ToneSpec] = [ToneSpec(500)]
        self._combine = "mix"
        self._sample_rate = DEFAULT_SAMPLE_RATE
        self._rate_factor = 1.0
        self._result: np.ndarray | None = None
        self._was_playing = False
        self._row_focus = None

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self.refresh)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(100)
        self._poll_timer.timeout.connect(self._poll_player)

        self._build()
        self._rebuild_table()
        self._sync_rate_widgets()
        self.refresh()

    # ---------------------------------------------------------------- construction
    def _build(self) -> None:
        # One column of controls over the plots. Rows wrap (FlowLayout) so the panel fits a
        # ~300 px dock and spreads out in a wider one; everything that appears or changes length
        # (rate note, status, warnings) sits BELOW the buttons, so nothing moves under the mouse.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        # presets
        row = QHBoxLayout()
        row.addWidget(QLabel("Preset:"))
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Notebook experiments…")
        self.preset_combo.addItems(list(PRESETS))
        self.preset_combo.setToolTip("The notebook's experiments: each tone 1 s, 0.1, 16 kHz")
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(12)
        self.preset_combo.activated.connect(self._on_preset_activated)
        row.addWidget(self.preset_combo, 1)
        layout.addLayout(row)

        # tone table: one row per tone, every cell editable in place
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        # columns as wide as what they show (_fit_columns), the spare width shared out
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(16)
        self.table.viewport().installEventFilter(self)  # resized: share the spare width again
        for col, tip in enumerate(COLUMN_TIPS):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.verticalHeader().hide()  # clicking into a row selects it (_RowFocus)
        self.table.verticalHeader().setDefaultSectionSize(TABLE_ROW_HEIGHT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._row_focus = _RowFocus(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.table)

        self.add_button = self._tool_button("Add", "Add a tone (a copy of the selected one, "
                                                   "an octave up)")
        self.remove_button = self._tool_button("Remove", "Remove the selected tone")
        self.up_button = self._tool_button("Up", "Move the selected tone up (earlier)")
        self.down_button = self._tool_button("Down", "Move the selected tone down (later)")
        self.add_button.clicked.connect(lambda: self.add_tone())
        self.remove_button.clicked.connect(lambda: self.remove_tone())
        self.up_button.clicked.connect(lambda: self.move_tone(-1))
        self.down_button.clicked.connect(lambda: self.move_tone(+1))
        layout.addWidget(flow_row(self.add_button, self.remove_button, self.up_button,
                                  self.down_button, spacing=4))

        # combine and sample rate
        self.combine_combo = QComboBox()
        self.combine_combo.addItem("Mix (sum)", "mix")
        self.combine_combo.addItem("In sequence", "sequence")
        self.combine_combo.setToolTip("How the tones are combined: all at once (added "
                                      "together) or one after another")
        self.combine_combo.setItemData(0, "All tones at once, added together",
                                       Qt.ItemDataRole.ToolTipRole)
        self.combine_combo.setItemData(1, "One tone after another, top to bottom",
                                       Qt.ItemDataRole.ToolTipRole)
        self.combine_combo.currentIndexChanged.connect(self._on_combine_changed)
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(MIN_SAMPLE_RATE, MAX_SAMPLE_RATE)
        self.rate_spin.setSingleStep(1000)
        self.rate_spin.setSuffix(" Hz")
        self.rate_spin.setKeyboardTracking(False)
        self.rate_spin.setValue(self._sample_rate)
        self.rate_spin.setToolTip("The rate the tones are sampled at (made)")
        self.rate_spin.valueChanged.connect(self._on_sample_rate_changed)
        layout.addWidget(flow_row(self.combine_combo,
                                  group(QLabel("Sample rate:"), self.rate_spin), spacing=12))

        # play at a rate: each rate button plays at once; Enter in the typed rate plays too
        self.speed_group = QButtonGroup(self)
        self.speed_group.setExclusive(True)
        self.speed_buttons: dict[float, QToolButton] = {}
        speed_widgets: list[QWidget] = [QLabel("Play at:")]
        for factor, text in ((0.5, "x0.5"), (1.0, "x1"), (2.0, "x2")):
            b = QToolButton()
            b.setText(text)
            b.setCheckable(True)
            b.setStyleSheet(_RATE_STYLE)
            b.setToolTip(f"Play now at {factor:g} x the sample rate")
            b.clicked.connect(partial(self.play_at, factor))
            self.speed_group.addButton(b)
            self.speed_buttons[factor] = b
            speed_widgets.append(b)
        self.play_rate_spin = QSpinBox()
        self.play_rate_spin.setRange(1000, 4 * MAX_SAMPLE_RATE)
        self.play_rate_spin.setSingleStep(1000)
        self.play_rate_spin.setSuffix(" Hz")
        self.play_rate_spin.setKeyboardTracking(False)
        self.play_rate_spin.setToolTip(
            "Type a rate and press Enter to play at it: the samples played as if recorded at "
            "this rate (the notebook's Audio(y, rate=sr*2)); higher is faster and higher pitched")
        self.play_rate_spin.valueChanged.connect(self._on_play_rate_hz_changed)
        self.play_rate_spin.lineEdit().returnPressed.connect(self._on_play_rate_entered)
        layout.addWidget(flow_row(group(*speed_widgets, spacing=3), self.play_rate_spin,
                                  spacing=10))

        # actions
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play at the chosen rate")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.save_button = QPushButton("Save WAV…")
        self.open_button = QPushButton("Open in explorer")
        self.open_button.setToolTip("Show this result in the waveform and spectrogram views")
        self.play_button.clicked.connect(self.play)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.open_button.clicked.connect(self.open_in_explorer)
        layout.addWidget(flow_row(group(self.play_button, self.stop_button),
                                  group(self.save_button, self.open_button), spacing=12))

        # one message area with two lines reserved, under the buttons (nothing jumps): what
        # happened (playing, saved, an error) or else what the chosen rate will sound like
        self.status_label = self._message_label()
        layout.addWidget(self.status_label)
        self._status = ""
        self._status_error = False
        self._rate_note = ""

        # what the plots show
        self.first_n_spin = QSpinBox()
        self.first_n_spin.setRange(2, 100000)
        self.first_n_spin.setValue(64)
        self.first_n_spin.setKeyboardTracking(False)
        self.first_n_spin.setToolTip("64 samples are 2 cycles of 500 Hz at 16 kHz")
        self.first_n_spin.valueChanged.connect(lambda _v: self._schedule_refresh())
        self.continuous_check = QCheckBox("continuous wave")
        self.continuous_check.setChecked(True)
        self.continuous_check.setToolTip(
            "Draw the wave the samples were taken from (periodic waves only): above Nyquist "
            "the points trace a slower wave, the alias you hear")
        self.continuous_check.toggled.connect(lambda _on: self._schedule_refresh())
        layout.addWidget(flow_row(group(QLabel("First"), self.first_n_spin, QLabel("samples")),
                                  self.continuous_check, spacing=12))

        # warnings (they push the plots down, never a control)
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
        self.normalise_button.clicked.connect(lambda: self.normalise())
        warn_layout.addWidget(self.normalise_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.warning_frame)

        # plots
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
        layout.addWidget(self.samples_plot, 1)
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
        layout.addWidget(self.wave_plot, 1)

    @staticmethod
    def _tool_button(text: str, tip: str) -> QToolButton:
        """A compact text button (a push button is at least 80 px wide in Fusion)."""
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        return b

    def _message_label(self) -> QLabel:
        """A wrapped message line with two lines reserved, so a message appearing moves nothing."""
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        label.setMinimumHeight(2 * label.fontMetrics().lineSpacing() + 2)
        return label

    def _spin(self, value: float, low: float, high: float, decimals: int, step: float,
              row: int, field: str) -> QDoubleSpinBox:
        spin = _CompactSpin()
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setKeyboardTracking(False)
        spin.setFrame(False)
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        spin.setValue(value)
        spin.valueChanged.connect(partial(self._on_cell_edited, row, field))
        return spin

    def _rebuild_table(self) -> None:
        current = self.table.currentRow()
        self.table.setRowCount(len(self._specs))
        for row, spec in enumerate(self._specs):
            wave = QComboBox()
            wave.setFrame(False)
            for key in ALL_WAVES:
                wave.addItem(WAVE_LABELS[key], key)
            wave.setCurrentIndex(ALL_WAVES.index(spec.wave))
            wave.currentIndexChanged.connect(partial(self._on_wave_edited, row))
            self._put_cell(row, COL_WAVE, wave)
            for col in (COL_FREQ, COL_END):
                self._clear_cell(row, col)  # rebuilt by _update_row_cells
            self._put_cell(row, COL_AMP, self._spin(spec.amplitude, 0.0, 10.0, 4, 0.05, row,
                                                    "amplitude"))
            self._put_cell(row, COL_DUR, self._spin(spec.duration, 0.0, MAX_DURATION, 3, 0.25,
                                                    row, "duration"))
            self._update_row_cells(row)
        if self._specs:
            self.table.selectRow(min(max(current, 0), len(self._specs) - 1))
        self._fit_table()
        self._update_buttons()

    def _put_cell(self, row: int, col: int, widget: QWidget) -> None:
        self._clear_cell(row, col)
        widget.setProperty("toneRow", row)
        widget.installEventFilter(self._row_focus)
        self.table.setCellWidget(row, col, widget)

    def _clear_cell(self, row: int, col: int) -> None:
        """Remove a cell's widget; hidden at once (Qt only deletes it later, and until then it
        would still be drawn over its replacement)."""
        old = self.table.cellWidget(row, col)
        if old is not None:
            old.hide()
            self.table.removeCellWidget(row, col)

    def _update_row_cells(self, row: int) -> None:
        """A row shows only the numbers its wave uses: noise has no frequency, only a chirp an end
        frequency. The others are blank (not a greyed, stale number)."""
        spec = self._specs[row]
        end = spec.end_frequency if spec.end_frequency is not None else spec.frequency * 2
        cells = ((COL_FREQ, "frequency", spec.frequency, spec.wave not in NOISES,
                  "Noise has no frequency"),
                 (COL_END, "end_frequency", min(end, MAX_FREQUENCY), spec.wave in CHIRPS,
                  "Only chirps have an end frequency"))
        for col, field, value, used, why in cells:
            has_spin = self.table.cellWidget(row, col) is not None
            if used and not has_spin:
                self.table.takeItem(row, col)
                self._put_cell(row, col, self._spin(value, 0.0, MAX_FREQUENCY, 2, 100.0, row,
                                                    field))
            elif not used:
                self._clear_cell(row, col)
                blank = QTableWidgetItem("")
                blank.setFlags(Qt.ItemFlag.NoItemFlags)
                blank.setToolTip(why)
                self.table.setItem(row, col, blank)
        self._fit_table()

    def _fit_table(self) -> None:
        """Show the End column only when a tone is a chirp; keep the table as wide as its
        columns' contents and as tall as its rows (up to `TABLE_VISIBLE_ROWS`, then it scrolls)."""
        chirps = any(s.wave in CHIRPS for s in self._specs)
        self.table.setColumnHidden(COL_END, not chirps)
        frame = 2 * self.table.frameWidth()
        extra = frame
        if len(self._specs) > TABLE_VISIBLE_ROWS:
            extra += self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(sum(self._column_needs().values()) + extra)
        rows = min(max(len(self._specs), TABLE_MIN_ROWS), TABLE_VISIBLE_ROWS)
        height = (self.table.horizontalHeader().sizeHint().height() + rows * TABLE_ROW_HEIGHT
                  + frame)
        self.table.setFixedHeight(height)
        self._fit_columns()

    def _column_needs(self) -> dict[int, int]:
        """Width each shown column needs: its header, its widest cell (as displayed), and
        room for five digits at least."""
        fm = self.table.fontMetrics()
        bold = self.table.horizontalHeader().fontMetrics()
        needs = {}
        for col in range(len(COLUMNS)):
            if self.table.isColumnHidden(col):
                continue
            need = bold.horizontalAdvance(COLUMNS[col]) + 16
            if col != COL_WAVE:
                need = max(need, fm.horizontalAdvance("00000") + 10)
            for row in range(self.table.rowCount()):
                cell = self.table.cellWidget(row, col)
                if isinstance(cell, QComboBox):
                    need = max(need, cell.sizeHint().width() + 1)
                elif isinstance(cell, QAbstractSpinBox):
                    need = max(need, fm.horizontalAdvance(cell.text()) + 10)
            needs[col] = need
        return needs

    def _fit_columns(self) -> None:
        """Each column its need, the spare width shared by the number columns."""
        needs = self._column_needs()
        numbers = [c for c in needs if c != COL_WAVE]
        spare = max(0, self.table.viewport().width() - sum(needs.values()))
        header = self.table.horizontalHeader()
        for col in needs:
            share = 0
            if col in numbers:
                k = numbers.index(col)
                share = spare // len(numbers) + (1 if k < spare % len(numbers) else 0)
            header.resizeSection(col, needs[col] + share)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(obj, event)

    def _update_buttons(self) -> None:
        row = self.table.currentRow()
        n = len(self._specs)
        self.remove_button.setEnabled(n > 0 and row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < n - 1)

    # ---------------------------------------------------------------- tones
    def tones(self) -> list[ToneSpec]:
        """The tones, top to bottom."""
        return list(self._specs)

    def set_tones(self, specs: Sequence[ToneSpec]) -> None:
        self._specs = list(specs)
        self._rebuild_table()
        self._changed()

    def add_tone(self, spec: ToneSpec | None = None) -> None:
        """Append `spec` (default: the selected tone an octave up, or 500 Hz sine, 1 s, 0.1)."""
        if spec is None:
            row = self.table.currentRow()
            if 0 <= row < len(self._specs):
                base = self._specs[row]
                spec = replace(base, frequency=min(base.frequency * 2, MAX_FREQUENCY))
            else:
                spec = ToneSpec(500.0, 1.0, DEFAULT_AMPLITUDE)
        self._specs.append(spec)
        self._rebuild_table()
        self.table.selectRow(len(self._specs) - 1)
        self._update_buttons()
        self._changed()

    def remove_tone(self, row: int | None = None) -> None:
        row = self.table.currentRow() if row is None else row
        if not 0 <= row < len(self._specs):
            return
        del self._specs[row]
        self._rebuild_table()
        if self._specs:
            self.table.selectRow(min(row, len(self._specs) - 1))
        self._update_buttons()
        self._changed()

    def move_tone(self, delta: int, row: int | None = None) -> None:
        """Move a tone (default: the selected one) up (-1) or down (+1)."""
        row = self.table.currentRow() if row is None else row
        target = row + delta
        if not (0 <= row < len(self._specs) and 0 <= target < len(self._specs)):
            return
        self._specs[row], self._specs[target] = self._specs[target], self._specs[row]
        self._rebuild_table()
        self.table.selectRow(target)
        self._update_buttons()
        self._changed()

    def _on_cell_edited(self, row: int, field: str, value: float) -> None:
        if row >= len(self._specs):
            return
        self._specs[row] = replace(self._specs[row], **{field: float(value)})
        self._fit_table()  # a longer number may need a wider column
        self._changed()

    def _on_wave_edited(self, row: int, index: int) -> None:
        if row >= len(self._specs):
            return
        wave = ALL_WAVES[index]
        spec = replace(self._specs[row], wave=wave)
        if wave in CHIRPS and spec.end_frequency is None:  # a new chirp sweeps an octave up
            spec = replace(spec, end_frequency=min(spec.frequency * 2, MAX_FREQUENCY))
        self._specs[row] = spec
        self._update_row_cells(row)
        self._changed()

    # ---------------------------------------------------------------- presets
    def presets(self) -> list[str]:
        return list(PRESETS)

    def apply_preset(self, name: str) -> None:
        """Load one of the notebook's experiments (tones, combine and 16 kHz)."""
        specs, combine = PRESETS[name]
        self._specs = list(specs)
        self._combine = combine
        self._sample_rate = DEFAULT_SAMPLE_RATE
        self._rebuild_table()
        self._sync_settings_widgets()
        self._changed()

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self.apply_preset(self.preset_combo.itemText(index))
            self.preset_combo.setCurrentIndex(0)

    # ---------------------------------------------------------------- settings
    def combine(self) -> str:
        return self._combine

    def set_combine(self, combine: str) -> None:
        if combine not in ("mix", "sequence"):
            raise ValueError("combine must be 'mix' or 'sequence'")
        self._combine = combine
        self._sync_settings_widgets()
        self._changed()

    def sample_rate(self) -> int:
        return self._sample_rate

    def set_sample_rate(self, sample_rate: int) -> None:
        sample_rate = int(sample_rate)
        if not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
            raise ValueError(f"sample rate must be {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE} Hz")
        self._sample_rate = sample_rate
        self._sync_settings_widgets()
        self._changed()

    def _sync_settings_widgets(self) -> None:
        self.combine_combo.blockSignals(True)
        self.combine_combo.setCurrentIndex(self.combine_combo.findData(self._combine))
        self.combine_combo.blockSignals(False)
        self.rate_spin.blockSignals(True)
        self.rate_spin.setValue(self._sample_rate)
        self.rate_spin.blockSignals(False)
        self._sync_rate_widgets()

    def _on_combine_changed(self, _index: int) -> None:
        self._combine = self.combine_combo.currentData()
        self._changed()

    def _on_sample_rate_changed(self, value: int) -> None:
        self._sample_rate = int(value)
        self._sync_rate_widgets()
        self._changed()

    # ---------------------------------------------------------------- playback rate
    def playback_rate(self) -> float:
        """Speed factor: 2.0 plays twice as fast and an octave higher."""
        return self._rate_factor

    def playback_rate_hz(self) -> int:
        return int(round(self._sample_rate * self._rate_factor))

    def set_playback_rate(self, factor: float) -> None:
        if not 0 < factor <= MAX_PLAYBACK_FACTOR:
            raise ValueError(f"playback rate must be above 0 and at most {MAX_PLAYBACK_FACTOR}")
        self._rate_factor = float(factor)
        self._sync_rate_widgets()

    def set_playback_rate_hz(self, rate_hz: float) -> None:
        """Play as if recorded at `rate_hz` (the notebook's `Audio(y, rate=sr*2)`)."""
        self.set_playback_rate(float(rate_hz) / self._sample_rate)

    def play_at(self, factor: float) -> bool:
        """Choose the speed factor and play at it (what a rate button does)."""
        self.set_playback_rate(factor)
        return self.play()

    def _on_play_rate_hz_changed(self, value: int) -> None:
        self.set_playback_rate_hz(value)

    def _on_play_rate_entered(self) -> None:
        """Enter in the typed rate: take the rate (already interpreted by the spin box), play."""
        self.set_playback_rate_hz(self.play_rate_spin.value())
        self.play()

    def _sync_rate_widgets(self) -> None:
        self.speed_group.setExclusive(False)
        for factor, button in self.speed_buttons.items():
            button.setChecked(abs(factor - self._rate_factor) < 1e-9)
        self.speed_group.setExclusive(True)
        self.play_rate_spin.blockSignals(True)
        self.play_rate_spin.setMaximum(MAX_PLAYBACK_FACTOR * self._sample_rate)
        self.play_rate_spin.setValue(self.playback_rate_hz())
        self.play_rate_spin.blockSignals(False)
        f = self._rate_factor
        if abs(f - 1.0) < 1e-9:
            note = "x1: at the sample rate, as made"
        else:
            speed = "faster" if f > 1 else "slower"
            pitch = "higher" if f > 1 else "lower"
            octaves = abs(np.log2(f))
            note = (f"x{f:.3g}: {speed} and {octaves:.3g} octave{'s' if octaves != 1 else ''} "
                    f"{pitch}")
            first = self._specs[0] if self._specs else None
            if first is not None and first.wave not in NOISES:
                heard = alias_frequency(first.frequency, self._sample_rate) * f
                note += f" ({tone_label(first)} sounds at {format_hz(heard)} Hz)"
        self._rate_note = note
        self._show_message()

    # ---------------------------------------------------------------- result
    def result(self) -> np.ndarray:
        """The current result: float64 mono samples at `sample_rate()`."""
        if self._result is None:
            self._result = render(self._specs, self._sample_rate, self._combine)
        return self._result

    def continuous_wave(self, n: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(sample index, value) of the wave behind the first `n` samples, drawn between them.

        The same tones rendered at `CONTINUOUS_OVERSAMPLE` times the sample rate, so the sample
        points lie on it; None for noise and chirps (no single continuous shape to show) or when
        unchecked or too long.
        """
        k = CONTINUOUS_OVERSAMPLE
        if (not self.continuous_check.isChecked() or n <= 0 or n * k > MAX_CONTINUOUS_POINTS
                or not self._specs or any(s.wave in NOISES + CHIRPS for s in self._specs)):
            return None
        sr = self._sample_rate
        specs, remaining = [], n
        for spec in self._specs:
            take = min(int(spec.duration * sr), remaining if self._combine == "sequence" else n)
            # exactly take*k fine samples (the half step guards against rounding down)
            specs.append(replace(spec, duration=(take + 0.5 / k) / sr))
            if self._combine == "sequence":
                remaining -= take
                if remaining <= 0:
                    break
        fine = render(specs, sr * k, self._combine)[: (n - 1) * k + 1]
        return np.arange(len(fine)) / k, fine

    def peak(self) -> float:
        r = self.result()
        return float(np.max(np.abs(r))) if r.size else 0.0

    def is_clipping(self) -> bool:
        return self.peak() > 1.0

    def warnings(self) -> list[str]:
        """Aliasing and clipping warnings for the current tones (plain text)."""
        out = alias_warnings(self._specs, self._sample_rate)
        if self.is_clipping():
            out.append(f"The peak is {self.peak():.3g}, above 1.0: it will clip (distort) when "
                       f"played or saved as 16-bit. Normalise scales it to {NORMALISE_PEAK}.")
        return out

    def normalise(self, peak: float = NORMALISE_PEAK) -> float:
        """Scale every tone's amplitude so the result peaks at `peak`; returns the gain."""
        current = self.peak()
        if current <= 0:
            return 1.0
        gain = peak / current
        self._specs = [replace(s, amplitude=s.amplitude * gain) for s in self._specs]
        self._rebuild_table()
        self._changed()
        self._set_status(f"Amplitudes scaled by {gain:.3g}: the peak is now {peak:g}.")
        return gain

    def clip(self) -> AudioClip:
        """The result as an `AudioClip` named after its tones."""
        return from_array(self.result(), self._sample_rate, clip_name(self._specs, self._combine))

    def open_in_explorer(self) -> AudioClip:
        clip = self.clip()
        self.openInExplorer.emit(clip)
        return clip

    def save_wav(self, path: str | Path, subtype: str = "PCM_16") -> Path:
        """Write the result as WAV (`PCM_16` or `FLOAT`); returns the path written."""
        written = write_wav(path, self.result(), self._sample_rate, subtype)
        self._set_status(f"Saved {written.name} ({subtype}, {self._sample_rate} Hz).")
        return written

    def _on_save_clicked(self) -> None:
        pcm, flt = "WAV, 16-bit PCM (*.wav)", "WAV, 32-bit float (*.wav)"
        default = clip_name(self._specs, self._combine).replace(" ", "_") + ".wav"
        path, chosen = QFileDialog.getSaveFileName(self, "Save tone as WAV", default,
                                                   f"{pcm};;{flt}")
        if not path:
            return
        try:
            self.save_wav(path, "FLOAT" if chosen == flt else "PCM_16")
        except Exception as exc:  # a full disk or a read-only folder: say so, do not crash
            message = str(exc) if isinstance(exc, OSError) else f"Could not save {path}: {exc}"
            self._set_status(message, error=True)
            QMessageBox.warning(self, "Save WAV", message)

    # ---------------------------------------------------------------- playback
    def player(self):
        return self._player

    def play(self) -> bool:
        """Play the result at the playback rate; False (and a message) when it cannot."""
        samples = self.result()
        if samples.size == 0:
            self._set_status("Nothing to play: add a tone with a duration.", error=True)
            return False
        try:
            if self._player is None:
                from explorer.audio.player import Player

                self._player = Player()
            self._player.play(samples.astype(np.float32), self._sample_rate,
                              rate=self._rate_factor)
        except Exception as exc:  # AudioUnavailable above all: no sound device
            self._set_status(f"Cannot play: {exc}", error=True)
            self._set_playing(False)
            return False
        self._set_status(f"Playing at {self.playback_rate_hz()} Hz (x{self._rate_factor:g}).")
        self._set_playing(True)
        self._poll_timer.start()
        return True

    def stop(self) -> None:
        if self._player is not None:
            try:
                self._player.stop()
            except Exception as exc:
                self._set_status(f"Cannot stop: {exc}", error=True)
        self._poll_timer.stop()
        self._set_playing(False)

    def _poll_player(self) -> None:
        state = getattr(self._player, "state", "stopped")
        if state == "stopped":
            self._poll_timer.stop()
            self._set_playing(False)
            self._set_status("")

    def _set_playing(self, playing: bool) -> None:
        self.play_button.setEnabled(True)
        self.stop_button.setEnabled(playing)
        if playing != self._was_playing:
            self._was_playing = playing
            self.playingChanged.emit(playing)

    def _set_status(self, text: str, error: bool = False) -> None:
        self._status, self._status_error = text, error
        self._show_message()

    def _show_message(self) -> None:
        text = self._status or self._rate_note
        style = _ERROR_STYLE if self._status_error else ("" if self._status else _NOTE_STYLE)
        self.status_label.setStyleSheet(style)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    def status_text(self) -> str:
        """The last message (playing, saved, an error); '' when none."""
        return self._status

    def rate_note(self) -> str:
        """What the chosen playback rate does to the sound (shown when there is no message)."""
        return self._rate_note

    # ---------------------------------------------------------------- views
    def _changed(self) -> None:
        self._result = None
        self._update_buttons()
        self._sync_rate_widgets()
        self._schedule_refresh()
        self.resultChanged.emit()

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Redraw the plots and warnings now (normally done shortly after each change)."""
        self._refresh_timer.stop()
        y = self.result()
        sr = self._sample_rate
        n = min(self.first_n_spin.value(), len(y))
        self.samples_curve.setData(np.arange(n), y[:n])
        continuous = self.continuous_wave(n)
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
                                f"peak {self.peak():.3g}", size="9pt")
        self.samples_plot.enableAutoRange()
        self.wave_plot.enableAutoRange()

        warnings = self.warnings()
        self.warning_label.setText("\n".join(warnings))
        self.warning_frame.setVisible(bool(warnings))
        clipping = self.is_clipping()
        self.normalise_button.setVisible(clipping)
        for line in self.clip_lines:
            line.setVisible(clipping)
        self.save_button.setEnabled(len(y) > 0)
        self.open_button.setEnabled(len(y) > 0)
        self.play_button.setEnabled(True)
