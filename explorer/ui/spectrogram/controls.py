"""The spectrogram's parameters and display choices, as a compact form."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.model import SpectrogramParams
from explorer.model.colormaps import COLORMAPS
from explorer.model.spectrogram import WINDOWS
from explorer.ui.spectrogram.axes import AXIS_MODES

N_FFTS = (256, 512, 1024, 2048, 4096, 8192)


class SpectrogramControls(QWidget):
    paramsEdited = Signal(object)  # SpectrogramParams
    colormapChanged = Signal(str)
    axisModeChanged = Signal(str)
    arrayModeChanged = Signal(bool)
    channelChanged = Signal(object)  # None (mono mix) or channel index

    def __init__(self, params: SpectrogramParams | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self.kind = QComboBox()
        self.kind.addItem("STFT", "stft")
        self.kind.addItem("Mel", "mel")
        self.n_fft = QComboBox()
        self.n_fft.setEditable(True)
        for n in N_FFTS:
            self.n_fft.addItem(str(n), n)
        self.hop = QSpinBox()
        self.hop.setRange(1, 65536)
        self.hop.setSingleStep(64)
        self.window = QComboBox()
        self.window.addItems(WINDOWS)
        self.power = QComboBox()
        self.power.addItem("2 (power)", 2.0)
        self.power.addItem("1 (magnitude)", 1.0)
        self.n_mels = QSpinBox()
        self.n_mels.setRange(1, 512)
        self.fmin = QDoubleSpinBox()
        self.fmin.setRange(0, 96000)
        self.fmin.setDecimals(0)
        self.fmin.setSuffix(" Hz")
        self.fmax = QDoubleSpinBox()
        self.fmax.setRange(0, 96000)
        self.fmax.setDecimals(0)
        self.fmax.setSuffix(" Hz")
        self.fmax.setSpecialValueText("Nyquist")
        self.db_ref = QComboBox()
        self.db_ref.addItem("max", "max")
        self.db_ref.addItem("min", "min")
        self.db_ref.addItem("1.0", 1.0)
        self.top_db = QDoubleSpinBox()
        self.top_db.setRange(0, 200)
        self.top_db.setDecimals(0)
        self.top_db.setSuffix(" dB")
        self.top_db.setSpecialValueText("none")
        self.channel = QComboBox()
        self.colormap = QComboBox()
        self.colormap.addItems(COLORMAPS)
        self.axis_mode = QComboBox()
        self.axis_mode.addItems(AXIS_MODES)
        self.display = QComboBox()
        self.display.addItems(["Image (time × frequency)", "Array (row × column)"])
        self.error = QLabel("")
        self.error.setStyleSheet("color: #ff6e6e;")
        self.error.setWordWrap(True)

        self.kind.setToolTip("STFT magnitude/power, or mel filter bank of it")
        self.n_fft.setToolTip("FFT size (samples)")
        self.hop.setToolTip("hop_length: samples between frames")
        self.db_ref.setToolTip("dB reference: the array's max, its min, or 1.0")
        self.top_db.setToolTip("Clip everything more than top_db below the peak")
        self.display.setToolTip("Array: the raw 2-D array with row and column indices, rows upward")

        form = QFormLayout()
        form.setContentsMargins(6, 6, 6, 6)
        form.setVerticalSpacing(4)
        form.addRow("Kind", self.kind)
        form.addRow("n_fft", self.n_fft)
        form.addRow("Hop", self.hop)
        form.addRow("Window", self.window)
        form.addRow("Power", self.power)
        form.addRow("n_mels", self.n_mels)
        form.addRow("fmin", self.fmin)
        form.addRow("fmax", self.fmax)
        form.addRow("dB ref", self.db_ref)
        form.addRow("top_db", self.top_db)
        form.addRow("Channel", self.channel)
        form.addRow("Colours", self.colormap)
        form.addRow("Axis", self.axis_mode)
        form.addRow("Show", self.display)
        presets = QHBoxLayout()
        self.defaults_button = QPushButton("librosa defaults")
        self.defaults_button.setToolTip("STFT power, n_fft 2048, hop 512, ref max, top_db 80")
        self.notebook_button = QPushButton("Notebook")
        self.notebook_button.setToolTip(
            "The notebook's pipeline: magnitude STFT → mel → amplitude_to_db(ref=np.min)")
        presets.addWidget(self.defaults_button)
        presets.addWidget(self.notebook_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(presets)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.apply)
        for combo in (self.kind, self.n_fft, self.window, self.power, self.db_ref):
            combo.currentIndexChanged.connect(self._edited)
        self.n_fft.lineEdit().editingFinished.connect(self._edited)
        for spin in (self.hop, self.n_mels, self.fmin, self.fmax, self.top_db):
            spin.valueChanged.connect(self._edited)
        self.colormap.currentTextChanged.connect(self.colormapChanged)
        self.axis_mode.currentTextChanged.connect(self.axisModeChanged)
        self.display.currentIndexChanged.connect(lambda i: self.arrayModeChanged.emit(i == 1))
        self.channel.currentIndexChanged.connect(
            lambda _i: None if self._updating else self.channelChanged.emit(
                self.channel.currentData()))
        self.defaults_button.clicked.connect(lambda: self._preset(SpectrogramParams()))
        self.notebook_button.clicked.connect(lambda: self._preset(SpectrogramParams.notebook()))
        self.set_channels(1)
        self.set_params(params or SpectrogramParams())

    def set_channels(self, channels: int) -> None:
        self._updating = True
        current = self.channel.currentData()
        self.channel.clear()
        self.channel.addItem("Mono mix", None)
        for i in range(channels if channels > 1 else 0):
            self.channel.addItem(f"Channel {i + 1}", i)
        index = self.channel.findData(current)
        self.channel.setCurrentIndex(max(0, index))
        self.channel.setEnabled(channels > 1)
        self._updating = False

    def set_params(self, p: SpectrogramParams) -> None:
        self._updating = True
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        index = self.n_fft.findData(p.n_fft)
        if index < 0:
            self.n_fft.addItem(str(p.n_fft), p.n_fft)
            index = self.n_fft.count() - 1
        self.n_fft.setCurrentIndex(index)
        self.hop.setValue(p.hop_length)
        self.window.setCurrentText(p.window if isinstance(p.window, str) else "hann")
        self.power.setCurrentIndex(self.power.findData(float(p.power)))
        self.n_mels.setValue(p.n_mels)
        self.fmin.setValue(p.fmin)
        self.fmax.setValue(p.fmax or 0)
        if isinstance(p.db_ref, str):
            self.db_ref.setCurrentIndex(self.db_ref.findData(p.db_ref))
        else:
            text = f"{float(p.db_ref):g}"
            if self.db_ref.findText(text) < 0:
                self.db_ref.addItem(text, float(p.db_ref))
            self.db_ref.setCurrentIndex(self.db_ref.findText(text))
        self.top_db.setValue(p.top_db or 0)
        self._updating = False
        self._enable()

    def _enable(self) -> None:
        mel = self.kind.currentData() == "mel"
        for w in (self.n_mels, self.fmin, self.fmax):
            w.setEnabled(mel)

    def _edited(self, *_args) -> None:
        self._enable()
        if not self._updating:
            self._debounce.start()

    def _preset(self, params: SpectrogramParams) -> None:
        self.set_params(params)
        self.apply()

    def params(self) -> SpectrogramParams:
        text = self.n_fft.currentText().strip()
        n_fft = int(text)
        return SpectrogramParams(
            kind=self.kind.currentData(), n_fft=n_fft, hop_length=self.hop.value(),
            window=self.window.currentText(), power=self.power.currentData(),
            n_mels=self.n_mels.value(), fmin=self.fmin.value(),
            fmax=self.fmax.value() or None, db_ref=self.db_ref.currentData(),
            top_db=self.top_db.value() or None,
        )

    def apply(self) -> None:
        self._debounce.stop()
        try:
            params = self.params()
            if params.fmax is not None and params.fmin >= params.fmax:
                raise ValueError("fmin must be below fmax")
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.paramsEdited.emit(params)
