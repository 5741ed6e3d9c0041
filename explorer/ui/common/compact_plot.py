"""A plot widget that asks only for its minimum height, so a panel's other rows come first.

pyqtgraph's PlotWidget prefers 640x480; in a docked panel that preference decides how tall the
panel wants to be (and so whether its dock scrolls). This one prefers its minimum and still
stretches to fill whatever height is left.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize


class CompactPlot(pg.PlotWidget):
    """pg.PlotWidget whose preferred size is its minimum size (it grows with its stretch)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(max(self.minimumWidth(), 160), max(self.minimumHeight(), 80))
