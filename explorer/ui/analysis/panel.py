"""The Layers panel: each layer shown or hidden, its librosa parameters, its state (computing,
its time, the tempo), the first-use preparation, note names on the axes, and Measure."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.analysis.compute import params_job
from explorer.ui.analysis.controller import PREPARING_TEXT, AnalysisLayers
from explorer.ui.analysis.layers import LAYERS, PLACES
from explorer.ui.analysis.params import ParamsEditor

#: The longest state shown beside a layer ("184.6 BPM · 284 ms"); longer ones (an error) are
#: cut, whole in the tooltip.
STATE_CHARS = 20


class LayersPanel(QWidget):
    noteNamesToggled = Signal(bool)
    measureRequested = Signal()

    def __init__(self, layers: AnalysisLayers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers = layers
        self.checks: dict[str, QCheckBox] = {}
        self.states: dict[str, QLabel] = {}
        self.buttons: dict[str, QToolButton] = {}
        self.editors: dict[str, ParamsEditor] = {}
        self.holders: dict[str, QWidget] = {}
        self.param_specs: dict[str, tuple] | None = None

        self.preparing = QLabel("⏳ " + PREPARING_TEXT)
        self.preparing.setStyleSheet("color: #ffd740; font-weight: bold;")
        self.preparing.setToolTip("librosa compiles its numba code the first time it runs on "
                                  "this machine; the compiled code is cached for later starts")
        self.preparing.setVisible(layers.preparing)
        self.span = QLabel("")
        self.span.setStyleSheet("color: #9a9a9a;")
        self.span.setWordWrap(True)
        self._span_text(layers.span_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.preparing)
        layout.addWidget(self.span)
        place = None
        grid: QGridLayout | None = None
        for spec in LAYERS:
            if spec.place != place:
                place = spec.place
                heading = QLabel(f"<b>{PLACES[place]}</b>")
                layout.addSpacing(4)
                layout.addWidget(heading)
                box = QWidget()
                grid = QGridLayout(box)
                grid.setContentsMargins(0, 0, 0, 0)
                grid.setVerticalSpacing(1)
                grid.setColumnStretch(1, 1)
                layout.addWidget(box)
            row = grid.rowCount()
            check = QCheckBox(spec.title)
            check.setToolTip(f"librosa: {spec.feature}")
            check.setChecked(layers.visible[spec.key])
            check.toggled.connect(lambda on, k=spec.key: layers.set_visible(k, on))
            state = QLabel()
            state.setStyleSheet("color: #9a9a9a;")
            # a long state ("waiting…", an error) never widens the panel: its tooltip has it all
            state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            state.setMinimumWidth(40)
            state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            button = QToolButton()
            button.setText("⚙")
            button.setCheckable(True)
            button.setToolTip(f"{spec.title}: librosa's parameters")
            button.toggled.connect(lambda on, k=spec.key: self.show_params(k, on))
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            holder.hide()
            grid.addWidget(check, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(button, row, 2)
            grid.addWidget(holder, row + 1, 0, 1, 3)
            self.checks[spec.key], self.states[spec.key] = check, state
            self.buttons[spec.key], self.holders[spec.key] = button, holder
            self._status(spec.key, layers.status[spec.key])

        layout.addSpacing(6)
        self.note_names = QCheckBox("Note names on the Hz / log axis (A4 = 440 Hz)")
        self.note_names.toggled.connect(self.noteNamesToggled.emit)
        layout.addWidget(self.note_names)
        layout.addSpacing(6)
        layout.addWidget(QLabel("<b>Measure</b>"))
        hint = QLabel("Drag: a time selection. Ctrl+drag on the spectrogram: a time-frequency "
                      "box. Measure adds a row to the Measurements table.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #9a9a9a;")
        layout.addWidget(hint)
        self.measure_button = QPushButton("Measure (Ctrl+Shift+M)")
        self.measure_button.clicked.connect(self.measureRequested.emit)
        layout.addWidget(self.measure_button)
        layout.addStretch(1)

        layers.layerStatus.connect(self._status)
        layers.preparingChanged.connect(self.preparing.setVisible)
        layers.spanText.connect(self._span_text)
        layers.jobs.submit("params", params_job, on_done=self._params_ready,
                           on_error=lambda exc, s: self._params_failed(exc))

    def _status(self, key: str, text: str) -> None:
        """The state beside the layer, cut to what fits a narrow dock; the tooltip has it all."""
        self.states[key].setText(text if len(text) <= STATE_CHARS else
                                 text[:STATE_CHARS - 1].rstrip() + "…")
        self.states[key].setToolTip(text)

    def _span_text(self, text: str) -> None:
        self.span.setText(text)
        self.span.setVisible(bool(text))

    # ---- parameters ---------------------------------------------------------------------------
    def _params_ready(self, specs: dict, _seconds: float) -> None:
        self.param_specs = specs
        for key, button in self.buttons.items():
            if button.isChecked():
                self.show_params(key, True)

    def _params_failed(self, exc: BaseException) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
            button.setToolTip(f"librosa's parameters could not be read: {exc}")

    def show_params(self, key: str, on: bool) -> None:
        holder = self.holders[key]
        if on and key not in self.editors:
            if self.param_specs is None:
                if holder.layout().count() == 0:
                    holder.layout().addWidget(QLabel("reading librosa's parameters…"))
                holder.show()
                return
            while holder.layout().count():
                holder.layout().takeAt(0).widget().deleteLater()
            from explorer.ui.analysis.layers import BY_KEY

            editor = ParamsEditor(self.param_specs[BY_KEY[key].feature], self.layers.params[key])
            editor.edited.connect(lambda name, value, k=key: self.layers.set_param(k, name, value))
            self.editors[key] = editor
            holder.layout().addWidget(editor)
        holder.setVisible(on)

    def editor(self, key: str) -> ParamsEditor:
        """The layer's parameter editor, opened (tests; after the parameters are read)."""
        self.buttons[key].setChecked(True)
        return self.editors[key]
