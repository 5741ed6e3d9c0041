"""The live view's controls: its widgets and layout, the source list, the analysis and colour
settings (a mixin of LiveView, whose state they set)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
)

from explorer.audio.live import PLAYBACK, SourceSpec, list_sources
from explorer.model import SpectrogramParams
from explorer.model.colormaps import COLORMAPS, lookup_table
from explorer.ui.live.level_meter import LevelMeter
from explorer.ui.live.scrolling_image import ScrollingImage, _lut32
from explorer.ui.spectrogram.axes import AXIS_MODES, FrequencyAxis
from explorer.ui.spectrogram.colour_bar import ColourBar
from explorer.ui.waveform.view import style_plot

N_FFTS = (256, 512, 1024, 2048, 4096, 8192)


class LiveControls:
    """Builds the live view's widgets and answers its controls; see explorer.ui.live.view."""

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
