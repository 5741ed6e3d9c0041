"""The difference spectrogram of two clips (dB of A minus dB of B): the spectrogram view with a
diverging colour table and a colour bar symmetric about 0 dB, so equal cells are the neutral
middle colour and a sign reads the same in every file."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from explorer.model import Spectrogram
from explorer.model.compare import diverging_table, symmetric_limit
from explorer.ui.spectrogram.view import SpectrogramView


class DifferenceView(SpectrogramView):
    """Red: A louder there; blue: B louder; the colour bar runs from -L to +L dB."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = 0.0
        self.title.setText("<b>Difference A − B</b> <span style='color:#9a9a9a'>(dB, "
                           "red: A louder, blue: B louder)</span>")
        self.stats_label.hide()
        self.cursor_label.hide()
        self.setMinimumHeight(120)

    def set_colormap(self, name: str) -> None:
        """Always the diverging table: a sequential map would hide the sign."""
        self.colormap = "diverging"
        lut = diverging_table()
        self.image.setLookupTable(lut)
        self.colour_bar.set_lut(lut)

    def set_spectrogram(self, spec: Spectrogram) -> None:
        self.limit = symmetric_limit(spec.values)
        super().set_spectrogram(spec)

    def _render(self) -> None:
        super()._render()
        if self.spec is None or self.array_mode:
            return
        limit = self.limit
        # levels centred on 0 dB; all zero (a clip with itself): "constant 0 dB" on the bar
        self.colour_bar.set_range(-limit, limit, "dB")
        self.image.setLevels((-limit, limit) if limit > 0 else (-1.0, 1.0))
