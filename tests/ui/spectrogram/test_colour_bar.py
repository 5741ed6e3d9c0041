"""Our colour bar shows what pyqtgraph's ColorBarItem would: the same colour at the same level.

Why ours and not ColorBarItem (see ColourBar's docstring): ColorBarItem is a PlotItem for the
image's own GraphicsLayout whose drag handles set the image's levels; ours is a widget of its own
beside the static and the live view (their min/max boxes set the levels), with the dB axis that
names the unit and shows an array of one value as "constant" rather than a ladder of equal labels.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QImage

from explorer.model.colormaps import COLORMAPS, lookup_table
from explorer.ui.spectrogram import ColourBar

LEVELS = (-80.0, -10.0)


def _library_colour(lut: np.ndarray, value: float) -> np.ndarray:
    """The colour pyqtgraph's ColorBarItem paints at `value`, from the bar pixmap it builds."""
    item = pg.ColorBarItem(values=LEVELS, colorMap=pg.ColorMap(np.linspace(0, 1, len(lut)), lut),
                           interactive=False)
    bar = item.bar.pixmap().toImage()  # one column, 256 rows from the low level up
    assert (bar.width(), bar.height()) == (1, 256)
    lo, hi = LEVELS
    row = min(int((value - lo) / (hi - lo) * bar.height()), bar.height() - 1)
    return np.array(QColor(bar.pixel(0, row)).getRgb()[:3])


@pytest.mark.parametrize("name", COLORMAPS)
def test_same_colours_as_pyqtgraph_colour_bar(qtbot, name):
    lut = lookup_table(name)
    ours = ColourBar()
    qtbot.addWidget(ours)
    ours.resize(86, 420)
    ours.show()
    ours.set_lut(lut)
    ours.set_range(*LEVELS, "dB")
    image = ours.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)  # lays the plot out
    box = ours.mapFromScene(ours.image.sceneBoundingRect()).boundingRect()
    assert box.height() > 300
    lo, hi = LEVELS
    for value in np.linspace(lo + 0.5, hi - 0.5, 15):
        y = box.bottom() - (value - lo) / (hi - lo) * box.height()
        drawn = np.array(QColor(image.pixel(box.center().x(), round(y))).getRgb()[:3])
        # a pixel of the screen spans ~0.2 dB: neighbouring table entries at most
        assert np.abs(drawn - _library_colour(lut, value)).max() <= 12, (name, value)
    assert ours.axis.limits == LEVELS  # and the scale beside it runs over the same levels
