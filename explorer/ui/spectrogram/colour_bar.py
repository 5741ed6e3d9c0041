"""The colour bar beside a spectrogram: the colour table as a ramp, its scale in dB or units."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from explorer.ui.spectrogram.axes import DbAxis

pg.setConfigOptions(imageAxisOrder="row-major")  # the ramp is a column: rows run up the bar


class ColourBar(pg.PlotWidget):
    """The lookup table as a vertical ramp with its levels on a dB (or unit) axis.

    Not pyqtgraph's ColorBarItem: that is a PlotItem for the image's own GraphicsLayout whose drag
    handles set the image's levels; ours is a widget beside both the static and the live view
    (their min/max boxes set the levels), with DbAxis naming the unit and showing an array of one
    value as "constant" rather than a ladder of equal labels. Same colours at the same levels as
    ColorBarItem: tests/ui/spectrogram/test_colour_bar.py."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = DbAxis("right")
        super().__init__(parent, background="#1e1e1e", axisItems={"right": self.axis})
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        plot = self.getPlotItem()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.showAxis("right")
        self.axis.setTextPen(pg.mkPen("#c8c8c8"))
        self.axis.setPen(pg.mkPen("#666"))
        self.axis.setWidth(58)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setContentsMargins(0, 8, 0, 8)  # the end labels stand half above and below the bar
        self.ramp = np.linspace(0, 1, 256, dtype=np.float32)[:, None]
        self.image = pg.ImageItem(self.ramp)
        plot.addItem(self.image)
        self.setFixedWidth(86)
        self.constant = False
        self.set_range(-80, 0, "dB")

    def set_lut(self, lut: np.ndarray) -> None:
        self.image.setLookupTable(lut)
        self.image.setLevels((0, 1))

    def set_range(self, vmin: float, vmax: float, unit: str) -> None:
        """The scale from vmin to vmax; an array of one value (silence, one sample) shows that
        value once, in the one colour it is drawn with, not a ladder of identical labels."""
        self.axis.unit = unit
        self.constant = not (np.isfinite(vmin) and np.isfinite(vmax) and vmax > vmin)
        if self.constant:
            value = float(vmin) if np.isfinite(vmin) else 0.0
            vmin, vmax = value - 1, value + 1
            self.image.setImage(np.zeros((1, 1), np.float32), levels=(0, 1))
            self.axis.setTicks([[(value, f"{self.axis.format(value)}\nconstant")], []])
            self.setToolTip(f"Every value is {self.axis.format(value)}: the array is constant")
        else:
            self.image.setImage(self.ramp, levels=(0, 1))
            self.axis.setTicks(None)
            self.setToolTip("")
        self.axis.limits = (vmin, vmax)
        self.image.setRect(0, vmin, 1, vmax - vmin)
        plot = self.getPlotItem()
        plot.setXRange(0, 1, padding=0)
        plot.setYRange(vmin, vmax, padding=0)  # the plot's margins hold the end labels
        self.axis.picture = None
        self.axis.update()
