"""The live picture: a circular RGB32 image coloured column by column, drawn in two pieces."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QTransform

from explorer.model.colormaps import lookup_table


def _lut32(name: str) -> np.ndarray:
    """The colour map as 0xFFRRGGBB words (QImage.Format_RGB32)."""
    rgb = lookup_table(name).astype(np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


class ScrollingImage(pg.GraphicsObject):
    """A circular rows x columns RGB32 image drawn oldest-first in two pieces (no copy)."""

    def __init__(self) -> None:
        super().__init__()
        self.pixels = np.zeros((1, 1), dtype=np.uint32)
        self.qimage = QImage()
        self.write_index = 0
        self.paints = 0
        self.last_paint = 0.0
        self.on_paint = None

    def set_buffer(self, pixels: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.pixels = pixels
        rows, cols = pixels.shape
        self.qimage = QImage(pixels, cols, rows, cols * 4, QImage.Format.Format_RGB32)
        self.update()

    def set_geometry(self, seconds_per_column: float, c_lo: float, c_hi: float) -> None:
        """Local (column, row) -> view (seconds relative to now, frequency coordinate)."""
        rows, cols = self.pixels.shape
        self.setTransform(QTransform(seconds_per_column, 0, 0, -(c_hi - c_lo) / rows,
                                     -cols * seconds_per_column, c_hi))

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt naming)
        rows, cols = self.pixels.shape
        return QRectF(0, 0, cols, rows)

    def paint(self, painter: QPainter, *_args) -> None:
        rows, cols = self.pixels.shape
        w = self.write_index
        old = cols - w
        if old > 0:
            painter.drawImage(QRectF(0, 0, old, rows), self.qimage, QRectF(w, 0, old, rows))
        if w > 0:
            painter.drawImage(QRectF(old, 0, w, rows), self.qimage, QRectF(0, 0, w, rows))
        self.paints += 1
        self.last_paint = time.monotonic()
        if self.on_paint is not None:
            self.on_paint(self.last_paint)
