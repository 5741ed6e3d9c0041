"""What the tones are made with: a preset (the notebook's experiments), how they are combined
(mixed or in sequence) and the sample rate; the panel holds the values, these widgets show them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox

from explorer.model.tones import DEFAULT_SAMPLE_RATE
from explorer.ui.common.flow_layout import flow_row, group
from explorer.ui.tones.describe import MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, PRESETS


class ToneSettings(QObject):
    """The preset line (`preset_row`, a layout) and the combine and sample rate row (`row`)."""

    #: A preset was picked by name (the combo box goes back to its prompt).
    presetChosen = Signal(str)
    #: 'mix' or 'sequence' was picked.
    combineChosen = Signal(str)
    #: A sample rate (Hz) was entered.
    sampleRateChosen = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preset_row = QHBoxLayout()
        self.preset_row.addWidget(QLabel("Preset:"))
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Notebook experiments…")
        self.preset_combo.addItems(list(PRESETS))
        self.preset_combo.setToolTip("The notebook's experiments: each tone 1 s, 0.1, 16 kHz")
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(12)
        self.preset_combo.activated.connect(self._on_preset_activated)
        self.preset_row.addWidget(self.preset_combo, 1)

        self.combine_combo = QComboBox()
        self.combine_combo.addItem("Mix (sum)", "mix")
        self.combine_combo.addItem("In sequence", "sequence")
        self.combine_combo.setToolTip("How the tones are combined: all at once (added "
                                      "together) or one after another")
        self.combine_combo.setItemData(0, "All tones at once, added together",
                                       Qt.ItemDataRole.ToolTipRole)
        self.combine_combo.setItemData(1, "One tone after another, top to bottom",
                                       Qt.ItemDataRole.ToolTipRole)
        self.combine_combo.currentIndexChanged.connect(
            lambda _index: self.combineChosen.emit(self.combine_combo.currentData()))
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(MIN_SAMPLE_RATE, MAX_SAMPLE_RATE)
        self.rate_spin.setSingleStep(1000)
        self.rate_spin.setSuffix(" Hz")
        self.rate_spin.setKeyboardTracking(False)
        self.rate_spin.setValue(DEFAULT_SAMPLE_RATE)
        self.rate_spin.setToolTip("The rate the tones are sampled at (made)")
        self.rate_spin.valueChanged.connect(self.sampleRateChosen)
        self.row = flow_row(self.combine_combo, group(QLabel("Sample rate:"), self.rate_spin),
                            spacing=12)

    def show(self, combine: str, sample_rate: int) -> None:
        """Show the panel's values without saying they were chosen."""
        self.combine_combo.blockSignals(True)
        self.combine_combo.setCurrentIndex(self.combine_combo.findData(combine))
        self.combine_combo.blockSignals(False)
        self.rate_spin.blockSignals(True)
        self.rate_spin.setValue(sample_rate)
        self.rate_spin.blockSignals(False)

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self.presetChosen.emit(self.preset_combo.itemText(index))
            self.preset_combo.setCurrentIndex(0)
