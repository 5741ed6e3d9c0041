"""Play at a rate: x0.5 / x1 / x2 buttons that play at once, and a typed rate in Hz (Enter
plays), showing the panel's chosen rate (the notebook's `Audio(y, rate=sr*2)`)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QSpinBox, QToolButton, QWidget

from explorer.ui.common.flow_layout import flow_row, group
from explorer.ui.tones.describe import MAX_PLAYBACK_FACTOR, MAX_SAMPLE_RATE

#: The chosen playback rate stands out (the dark Fusion default barely shades a checked button).
_RATE_STYLE = (
    "QToolButton { padding: 2px 6px; border: 1px solid #5a5a5a; border-radius: 3px;"
    " background: #353535; color: #dcdcdc; }"
    " QToolButton:hover { border-color: #8a8a8a; }"
    " QToolButton:checked { background: #3f78c0; border-color: #9ec5ff; color: #ffffff; }"
)
#: The speed factors offered as buttons, with their labels.
SPEEDS = ((0.5, "x0.5"), (1.0, "x1"), (2.0, "x2"))


class RateControls(QObject):
    """The rate buttons and the typed rate in one wrapping row (`row`, placed by the panel)."""

    #: A rate button was clicked: play now at this speed factor.
    factorClicked = Signal(float)
    #: A rate was typed (Hz), not yet played.
    rateTyped = Signal(int)
    #: Enter in the typed rate (Hz): play at it.
    rateEntered = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speed_group = QButtonGroup(self)
        self.speed_group.setExclusive(True)
        self.speed_buttons: dict[float, QToolButton] = {}
        speed_widgets: list[QWidget] = [QLabel("Play at:")]
        for factor, text in SPEEDS:
            b = QToolButton()
            b.setText(text)
            b.setCheckable(True)
            b.setStyleSheet(_RATE_STYLE)
            b.setToolTip(f"Play now at {factor:g} x the sample rate")
            b.clicked.connect(lambda _checked=False, f=factor: self.factorClicked.emit(f))
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
        self.play_rate_spin.valueChanged.connect(self.rateTyped)
        # the rate as the spin box has read the typed text
        self.play_rate_spin.lineEdit().returnPressed.connect(
            lambda: self.rateEntered.emit(self.play_rate_spin.value()))
        self.row = flow_row(group(*speed_widgets, spacing=3), self.play_rate_spin, spacing=10)

    def show_rate(self, factor: float, sample_rate: int) -> None:
        """Check the button of `factor` (none if it has no button) and show the rate in Hz."""
        self.speed_group.setExclusive(False)
        for f, button in self.speed_buttons.items():
            button.setChecked(abs(f - factor) < 1e-9)
        self.speed_group.setExclusive(True)
        self.play_rate_spin.blockSignals(True)
        self.play_rate_spin.setMaximum(MAX_PLAYBACK_FACTOR * sample_rate)
        self.play_rate_spin.setValue(int(round(sample_rate * factor)))
        self.play_rate_spin.blockSignals(False)
