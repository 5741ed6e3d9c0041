"""The live level meter (peak and RMS in dBFS) and its read-out's number format."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget


def _db1(value: float) -> str:
    """A level to 0.1 dB in 6 columns; full scale a hair below 0 reads "0.0", not "-0.0"."""
    return f"{round(value, 1) + 0.0:6.1f}"


class LevelMeter(QWidget):
    """Peak (line) and RMS (bar) in dBFS, vertical."""

    FLOOR = -90.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peak = self.rms = self.FLOOR
        self.setFixedWidth(22)
        self.setToolTip("Level: bar = RMS, line = peak (dBFS)")

    def set_levels(self, peak: float, rms: float) -> None:
        peak, rms = max(peak, self.FLOOR), max(rms, self.FLOOR)
        if (peak, rms) != (self.peak, self.rms):
            self.peak, self.rms = peak, rms
            self.update()

    def _y(self, db: float) -> float:
        h = self.height()
        return h * (min(db, 0.0) / self.FLOOR)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(0, 0, w, h, QColor("#1e1e1e"))
        y = self._y(self.rms)
        colour = "#e05050" if self.peak >= -0.5 else "#d0b030" if self.rms > -12 else "#40b060"
        p.fillRect(QRectF(3, y, w - 6, h - y), QColor(colour))
        yp = self._y(self.peak)
        p.fillRect(QRectF(1, yp - 1, w - 2, 2), QColor("#f0f0f0"))
        p.end()
