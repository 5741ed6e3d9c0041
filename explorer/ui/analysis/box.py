"""The time-frequency box: Ctrl+drag on the spectrogram draws it (a plain drag still selects
time, Shift+drag still pans). Its times become the session's selection; its low and high
frequencies are kept in Hz, so it stays in place when the axis turns mel or log."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.ui.spectrogram.axes import axis_coordinates

BOX_PEN = "#ffeb3b"


class TimeFrequencyBox(QObject):
    """Owned by the analysis link; `box` is (t0, t1, low_hz, high_hz) or None."""

    boxChanged = Signal(object)

    def __init__(self, view, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view  # the SpectrogramView
        self.session = session
        self.box: tuple[float, float, float, float] | None = None
        self.item = QGraphicsRectItem()
        pen = pg.mkPen(BOX_PEN, width=1.5)
        pen.setCosmetic(True)
        self.item.setPen(pen)
        self.item.setBrush(pg.mkBrush(255, 235, 59, 30))
        self.item.setZValue(9)
        self.item.hide()
        view.plot.addItem(self.item, ignoreBounds=True)
        view.viewbox.box_drag = True
        view.viewbox.sigBoxDrag.connect(self._dragged)
        session.selectionChanged.connect(self._selection_changed)

    def _dragged(self, a, b, finished: bool) -> None:
        view = self.view
        if view.spec is None or view.array_mode:
            return
        t0, t1 = sorted((max(0.0, a.x()), max(0.0, b.x())))
        (_, _), (y_lo, y_hi) = view.viewbox.viewRange()
        c0, c1 = sorted((min(max(a.y(), y_lo), y_hi), min(max(b.y(), y_lo), y_hi)))
        f0, f1 = (float(v) for v in view.freq_axis.to_hz([c0, c1]))
        self.box = (t0, t1, max(0.0, f0), f1)
        self.redraw()
        if finished:
            if t1 <= t0 or f1 <= f0:
                self.clear()
                return
            self.session.set_selection((t0, t1))
            self.boxChanged.emit(self.box)

    def set_box(self, t0: float, t1: float, low_hz: float, high_hz: float) -> None:
        """As if drawn (tests, and a box given in numbers)."""
        self.box = (t0, t1, low_hz, high_hz)
        self.redraw()
        self.session.set_selection((t0, t1))
        self.boxChanged.emit(self.box)

    def clear(self) -> None:
        self.box = None
        self.item.hide()
        self.boxChanged.emit(None)

    def redraw(self) -> None:
        """The box in the current axis' coordinates (after an axis change too)."""
        if self.box is None or self.view.array_mode:
            self.item.hide()
            return
        t0, t1, f0, f1 = self.box
        c0, c1 = axis_coordinates([max(f0, 1e-3), f1], self.view.axis_mode)
        self.item.setRect(QRectF(t0, float(c0), t1 - t0, float(c1 - c0)))
        self.item.show()

    def _selection_changed(self, selection) -> None:
        """Another selection (a plain drag, Escape, a new clip) leaves the box behind."""
        if self.box is None:
            return
        if selection is None or abs(selection[0] - self.box[0]) > 1e-9 or abs(
                selection[1] - self.box[1]) > 1e-9:
            self.clear()

    def selection(self):
        """What Measure measures: the box, else the time selection (all frequencies)."""
        sel = self.session.selection
        if sel is None:
            return None
        if self.box is not None:
            return (self.box[0], self.box[1], self.box[2], self.box[3])
        return (sel[0], sel[1], None, None)
