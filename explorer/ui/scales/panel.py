"""Scales panel: Hz <-> mel (HTK and Slaney side by side) and a two-way decibel calculator.

All numbers come from `explorer.model.scales` (equal to librosa); the widget only converts text.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.model import scales
from explorer.ui.common.compact_plot import CompactPlot
from explorer.ui.common.flow_layout import flow_row, group

PLOT_MAX_HZ = 16000.0
#: Slaney mels are drawn scaled so that 1000 Hz sits at 1000 like HTK; the right axis reads them.
SLANEY_PLOT_SCALE = 1000.0 / float(scales.hz_to_mel(1000.0, htk=False))

# The application is dark (explorer.ui.shell.app: Fusion, dark palette, plots on #1e1e1e).
PLOT_BACKGROUND = "#1e1e1e"
AXIS_TEXT = "#c8c8c8"
AXIS_LINE = "#666666"
HTK_COLOR = "#4fa3ff"
SLANEY_COLOR = "#ffa040"
TABLE_COLOR = "#6fd36f"

_NOTE_STYLE = "color: #9a9a9a;"
_ERROR_STYLE = "color: #ff6e6e;"


def format_number(value: float, digits: int = 6) -> str:
    """Plain decimal text with up to `digits` significant digits ('316.228', '0.001', '2840.04')."""
    if not math.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else "nan")
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        exponent = int(text.split("e")[1])
        if -7 < exponent < 12:
            decimals = max(digits - 1 - exponent, 0)
            text = f"{value:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
    return text


def _parse(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


class ScalesPanel(QWidget):
    """Hz <-> mel and ratios <-> dB, with the notebook's table and examples."""

    #: The Hz typed in the converter changed (for anyone who wants to follow it).
    frequencyChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScalesPanel")
        self._amp_ratio = 1.0
        self._amp_db = 0.0
        self._power_ratio = 1.0
        self._power_db = 0.0
        self._build()
        self.set_hz(1000.0)
        self.set_mel(1000.0, htk=True)
        self.set_power_db(0.0)
        self.set_amplitude_db(0.0)

    # ---------------------------------------------------------------- construction
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        # Hz <-> mel converter: label/field pairs in wrapping rows (one column in a narrow dock,
        # side by side in a wide one)
        mel_box = QGroupBox("Hz ↔ mel")
        mel_layout = QVBoxLayout(mel_box)
        mel_layout.setSpacing(4)
        self.hz_spin = QDoubleSpinBox()
        self.hz_spin.setRange(0.0, 96000.0)  # Nyquist of the fastest sample rate
        self.hz_spin.setDecimals(1)
        self.hz_spin.setSingleStep(100.0)
        self.hz_spin.setSuffix(" Hz")
        self.hz_spin.valueChanged.connect(self._on_hz_changed)
        self.htk_out = self._output()
        self.slaney_out = self._output()
        mel_layout.addWidget(flow_row(group(QLabel("Hz:"), self.hz_spin),
                                      group(QLabel("HTK mel:"), self.htk_out,
                                            QLabel("Slaney:"), self.slaney_out),
                                      spacing=12))

        self.mel_spin = QDoubleSpinBox()
        self.mel_spin.setRange(0.0, 5000.0)
        self.mel_spin.setDecimals(2)
        self.mel_spin.setSingleStep(10.0)
        self.mel_spin.setSuffix(" mel")
        self.mel_spin.valueChanged.connect(self._on_mel_changed)
        self.mel_scale_combo = QComboBox()
        self.mel_scale_combo.addItem("HTK", True)
        self.mel_scale_combo.addItem("Slaney", False)
        self.mel_scale_combo.setToolTip("Which mel scale the typed mels are on")
        self.mel_scale_combo.currentIndexChanged.connect(self._on_mel_changed)
        self.mel_hz_out = self._output("00000.00 Hz")
        mel_layout.addWidget(flow_row(group(QLabel("Mel:"), self.mel_spin, self.mel_scale_combo),
                                      group(QLabel("="), self.mel_hz_out), spacing=12))

        mel_box.setToolTip("The ear hears equal steps of mel as equal steps of pitch")
        note = QLabel("HTK: 2595·log10(1 + f/700), 1000 Hz ≈ 1000 mel. Slaney (librosa's "
                      "default): f / 66.7 below 1 kHz, logarithmic above; 1000 Hz = 15 mel.")
        note.setWordWrap(True)
        note.setStyleSheet(_NOTE_STYLE)
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        mel_layout.addWidget(note)
        layout.addWidget(mel_box)

        # the curves
        self.plot = CompactPlot()
        self.plot.setBackground(PLOT_BACKGROUND)
        self.plot.setMinimumHeight(180)
        item = self.plot.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", "frequency", units="Hz")
        item.setLabel("left", "HTK mel, table")
        item.showAxis("right")
        right = item.getAxis("right")
        right.setScale(1.0 / SLANEY_PLOT_SCALE)
        right.setLabel("Slaney mel")
        right.setTextPen(SLANEY_COLOR)
        right.setPen(SLANEY_COLOR)
        right.setGrid(False)  # one grid (the left axis'), not two
        for name in ("bottom", "left", "right"):
            item.getAxis(name).setSIPrefixEnableRanges(())  # never "(x0.001)"
        for name in ("left", "bottom"):
            item.getAxis(name).setTextPen(pg.mkPen(AXIS_TEXT))
            item.getAxis(name).setPen(pg.mkPen(AXIS_LINE))
        legend = item.addLegend(offset=(-10, -10))  # bottom right: the curves are high there
        legend.setBrush(pg.mkBrush(30, 30, 30, 220))
        legend.setLabelTextColor(AXIS_TEXT)
        hz = np.linspace(0.0, PLOT_MAX_HZ, 801)
        self.htk_curve = item.plot(hz, scales.hz_to_mel(hz, htk=True),
                                   pen=pg.mkPen(HTK_COLOR, width=2), name="HTK")
        self.slaney_curve = item.plot(
            hz, scales.hz_to_mel(hz, htk=False) * SLANEY_PLOT_SCALE,
            pen=pg.mkPen(SLANEY_COLOR, width=2), name="Slaney (right axis)")
        table = np.array(scales.PERCEPTUAL_TABLE, dtype=np.float64)
        self.table_points = item.plot(table[:, 0], table[:, 1], pen=None, symbol="o",
                                      symbolSize=7, symbolBrush=TABLE_COLOR, symbolPen=PLOT_BACKGROUND,
                                      name="perceptual table (Hz, mel)")
        self.hz_marker = pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen("#8a8a8a", width=1,
                                                                     style=Qt.PenStyle.DashLine))
        item.addItem(self.hz_marker, ignoreBounds=True)
        self.marker_points = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#ffffff"))
        item.addItem(self.marker_points)
        item.setXRange(0, PLOT_MAX_HZ, padding=0.02)
        item.setYRange(0, float(scales.hz_to_mel(PLOT_MAX_HZ, htk=True)), padding=0.05)

        # decibels: each ratio under its name, so that the pair fits a narrow dock
        db_box = QGroupBox("Decibels")
        db = QGridLayout(db_box)
        db.setVerticalSpacing(4)
        self.amp_ratio_edit = self._input("amplitude (pressure, voltage, sample value) ratio")
        self.amp_db_edit = self._input("decibels: 20·log10 of the amplitude ratio")
        self.power_ratio_edit = self._input("power or energy ratio")
        self.power_db_edit = self._input("decibels: 10·log10 of the power ratio")
        pairs = (("Amplitude ratio  (dB = 20·log10)", self.amp_ratio_edit, self.amp_db_edit),
                 ("Power / energy ratio  (dB = 10·log10)", self.power_ratio_edit,
                  self.power_db_edit))
        for i, (name, ratio_edit, db_edit) in enumerate(pairs):
            title = QLabel(name)
            title.setWordWrap(True)
            title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            db.addWidget(title, 2 * i, 0, 1, 4)
            db.addWidget(ratio_edit, 2 * i + 1, 0)
            db.addWidget(QLabel("⇄"), 2 * i + 1, 1, Qt.AlignmentFlag.AlignCenter)
            db.addWidget(db_edit, 2 * i + 1, 2)
            db.addWidget(QLabel("dB"), 2 * i + 1, 3)

        self.amp_ratio_edit.textEdited.connect(self._on_amp_ratio_edited)
        self.amp_db_edit.textEdited.connect(self._on_amp_db_edited)
        self.power_ratio_edit.textEdited.connect(self._on_power_ratio_edited)
        self.power_db_edit.textEdited.connect(self._on_power_db_edited)

        self.example_buttons: list[QPushButton] = []
        for i, (db_value, ratio) in enumerate(scales.DB_EXAMPLES):
            b = QPushButton(f"+{db_value:g} dB = {ratio:g}×")
            b.setToolTip(f"+{db_value:g} dB is {ratio:g}x the energy: show it as a power and "
                         "as an amplitude ratio")
            b.clicked.connect(lambda _checked=False, i=i: self.apply_db_example(i))
            self.example_buttons.append(b)
        db.addWidget(flow_row(QLabel("Energy:"), *self.example_buttons, spacing=6), 4, 0, 1, 4)

        self.db_message = QLabel()
        self.db_message.setWordWrap(True)
        self.db_message.setStyleSheet(_NOTE_STYLE)
        self.db_message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        db.addWidget(self.db_message, 5, 0, 1, 4)
        db.setColumnStretch(0, 1)
        db.setColumnStretch(2, 1)
        layout.addWidget(db_box)
        # the curves last: they take whatever height is left
        layout.addWidget(self.plot, 1)

    def _output(self, sample: str = "00000.00") -> QLineEdit:
        """A read-only result as wide as `sample` (the widest value it shows in practice)."""
        edit = QLineEdit()
        edit.setReadOnly(True)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(sample) + 12)
        edit.setMaximumWidth(edit.minimumWidth())
        return edit

    def _input(self, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setToolTip(tip)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        validator = QDoubleValidator(edit)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        edit.setValidator(validator)
        edit.setMinimumWidth(60)
        return edit

    # ---------------------------------------------------------------- Hz <-> mel
    def hz(self) -> float:
        return float(self.hz_spin.value())

    def set_hz(self, hz: float) -> None:
        self.hz_spin.setValue(float(hz))
        self._on_hz_changed(self.hz_spin.value())

    def htk_mel(self) -> float:
        """The typed Hz on the HTK mel scale (librosa.hz_to_mel(f, htk=True))."""
        return float(scales.hz_to_mel(self.hz(), htk=True))

    def slaney_mel(self) -> float:
        """The typed Hz on Slaney's mel scale (librosa.hz_to_mel(f), the default)."""
        return float(scales.hz_to_mel(self.hz(), htk=False))

    def _on_hz_changed(self, value: float) -> None:
        htk, slaney = self.htk_mel(), self.slaney_mel()
        self.htk_out.setText(format_number(htk))
        self.slaney_out.setText(format_number(slaney))
        self.hz_marker.setValue(float(value))
        self.marker_points.setData(
            [value, value], [htk, slaney * SLANEY_PLOT_SCALE],
            brush=[pg.mkBrush(HTK_COLOR), pg.mkBrush(SLANEY_COLOR)])
        self.frequencyChanged.emit(float(value))

    def mel(self) -> float:
        return float(self.mel_spin.value())

    def mel_is_htk(self) -> bool:
        return bool(self.mel_scale_combo.currentData())

    def set_mel(self, mels: float, htk: bool | None = None) -> None:
        if htk is not None:
            self.mel_scale_combo.setCurrentIndex(0 if htk else 1)
        self.mel_spin.setValue(float(mels))
        self._on_mel_changed()

    def mel_hz(self) -> float:
        """The typed mels in Hz, on the chosen scale (librosa.mel_to_hz)."""
        return float(scales.mel_to_hz(self.mel(), htk=self.mel_is_htk()))

    def _on_mel_changed(self, *_args) -> None:
        self.mel_hz_out.setText(f"{format_number(self.mel_hz())} Hz")

    # ---------------------------------------------------------------- decibels
    def amplitude_ratio(self) -> float:
        return self._amp_ratio

    def amplitude_db(self) -> float:
        return self._amp_db

    def power_ratio(self) -> float:
        return self._power_ratio

    def power_db(self) -> float:
        return self._power_db

    def set_amplitude_ratio(self, ratio: float) -> None:
        self.amp_ratio_edit.setText(format_number(ratio))
        self._on_amp_ratio_edited(self.amp_ratio_edit.text(), exact=ratio)

    def set_amplitude_db(self, db: float) -> None:
        self.amp_db_edit.setText(format_number(db))
        self._on_amp_db_edited(self.amp_db_edit.text(), exact=db)

    def set_power_ratio(self, ratio: float) -> None:
        self.power_ratio_edit.setText(format_number(ratio))
        self._on_power_ratio_edited(self.power_ratio_edit.text(), exact=ratio)

    def set_power_db(self, db: float) -> None:
        self.power_db_edit.setText(format_number(db))
        self._on_power_db_edited(self.power_db_edit.text(), exact=db)

    def apply_db_example(self, index: int) -> None:
        """Show one of the notebook's examples: +N dB as a power ratio and an amplitude ratio."""
        db_value, ratio = scales.DB_EXAMPLES[index]
        self.set_power_db(db_value)
        self.set_amplitude_db(db_value)
        self._message(f"+{db_value:g} dB is {format_number(self._power_ratio)}× the energy "
                      f"(the notebook: {ratio:g}×) but only "
                      f"{format_number(self._amp_ratio, 4)}× the amplitude.")

    def db_message_text(self) -> str:
        return self.db_message.text()

    def _message(self, text: str, error: bool = False) -> None:
        self.db_message.setStyleSheet(_ERROR_STYLE if error else _NOTE_STYLE)
        self.db_message.setText(text)

    def _ratio_in(self, text: str, exact: float | None) -> float | None:
        value = exact if exact is not None else _parse(text)
        if value is None:
            self._message("Type a number.", error=True)
            return None
        if value <= 0:
            self._message("A ratio must be above 0 (0 is -infinity dB).", error=True)
            return None
        return float(value)

    def _db_in(self, text: str, exact: float | None) -> float | None:
        value = exact if exact is not None else _parse(text)
        if value is None:
            self._message("Type a number.", error=True)
        return value

    def _on_amp_ratio_edited(self, text: str, exact: float | None = None) -> None:
        ratio = self._ratio_in(text, exact)
        if ratio is None:
            return
        self._amp_ratio = ratio
        self._amp_db = float(scales.amplitude_ratio_to_db(ratio))
        self.amp_db_edit.setText(format_number(self._amp_db))
        self._explain()

    def _on_amp_db_edited(self, text: str, exact: float | None = None) -> None:
        db = self._db_in(text, exact)
        if db is None:
            return
        self._amp_db = float(db)
        self._amp_ratio = float(scales.db_to_amplitude_ratio(db))
        self.amp_ratio_edit.setText(format_number(self._amp_ratio))
        self._explain()

    def _on_power_ratio_edited(self, text: str, exact: float | None = None) -> None:
        ratio = self._ratio_in(text, exact)
        if ratio is None:
            return
        self._power_ratio = ratio
        self._power_db = float(scales.power_ratio_to_db(ratio))
        self.power_db_edit.setText(format_number(self._power_db))
        self._explain()

    def _on_power_db_edited(self, text: str, exact: float | None = None) -> None:
        db = self._db_in(text, exact)
        if db is None:
            return
        self._power_db = float(db)
        self._power_ratio = float(scales.db_to_power_ratio(db))
        self.power_ratio_edit.setText(format_number(self._power_ratio))
        self._explain()

    def _explain(self) -> None:
        self._message("Energy goes with amplitude squared: +6 dB ≈ 2× amplitude, "
                      "+3 dB ≈ 2× power.")
