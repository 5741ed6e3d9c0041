"""The map's scatter: 100,000 points stay smooth (one ScatterPlotItem, pxMode, no per-point
hover items: the point under the mouse is found with a KD-tree); Ctrl/Shift+drag draws a lasso."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

#: Point size (pixels) and how near (pixels) the mouse must be to a point to hover or click it.
POINT_SIZE = 7
PICK_PIXELS = 8


def inside_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which points lie inside the polygon (even-odd rule, one vectorised pass per edge)."""
    x, y = points[:, 0], points[:, 1]
    inside = np.zeros(len(points), bool)
    if len(polygon) < 3:
        return inside
    px, py = polygon[:, 0], polygon[:, 1]
    qx, qy = np.roll(px, 1), np.roll(py, 1)
    for x1, y1, x2, y2 in zip(px, py, qx, qy, strict=True):
        if y1 == y2:
            continue
        crosses = (y1 > y) != (y2 > y)
        at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < at)
    return inside


class LassoViewBox(pg.ViewBox):
    """A ViewBox whose Ctrl+ or Shift+ left drag draws a freehand polygon (`lassoFinished` with
    its (n, 2) view coordinates); other drags pan and zoom as usual."""

    lassoFinished = Signal(object)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lasso: list[QPointF] = []
        self._path_item = QGraphicsPathItem()
        pen = QPen(Qt.GlobalColor.yellow)
        pen.setCosmetic(True)
        pen.setWidth(2)
        self._path_item.setPen(pen)
        self._path_item.setZValue(1e6)
        self._path_item.hide()
        self.addItem(self._path_item, ignoreBounds=True)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (Qt's name)
        mods = ev.modifiers()
        lasso = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        if ev.button() != Qt.MouseButton.LeftButton or not (lasso or self._lasso):
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        if ev.isStart():
            self._lasso = [self.mapSceneToView(ev.buttonDownScenePos())]
        self._lasso.append(self.mapSceneToView(ev.scenePos()))
        path = QPainterPath(self._lasso[0])
        for p in self._lasso[1:]:
            path.lineTo(p)
        path.closeSubpath()
        self._path_item.setPath(path)
        self._path_item.show()
        if ev.isFinish():
            polygon = np.array([[p.x(), p.y()] for p in self._lasso])
            self._lasso = []
            self._path_item.hide()
            self.lassoFinished.emit(polygon)


class MapPlot(pg.PlotWidget):
    """The scatter of the map: `set_points` once per projection, `set_brushes` per colouring;
    `pointHovered(index)` (-1: none), `pointClicked(index)`, `lassoSelected(indices)`."""

    pointHovered = Signal(int)
    pointClicked = Signal(int)
    lassoSelected = Signal(object)  # np.ndarray of indices

    def __init__(self, parent=None) -> None:
        self.box = LassoViewBox()
        super().__init__(parent, viewBox=self.box)
        self.setBackground("#1e1e1e")
        self.box.setAspectLocked(True)  # distances on screen are distances on the map
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.scatter = pg.ScatterPlotItem(size=POINT_SIZE, pen=None, pxMode=True, useCache=True,
                                          hoverable=False)
        self.addItem(self.scatter)
        self.marks = pg.ScatterPlotItem(size=POINT_SIZE + 8, pen=pg.mkPen("#ffffff", width=2),
                                        brush=None, pxMode=True)  # the current clip, neighbours
        self.addItem(self.marks)
        self.points = np.zeros((0, 2), np.float32)
        self._tree = None
        self.hovered = -1
        self.paints = 0  # for the frame-rate bench
        self.scene().sigMouseMoved.connect(self._moved)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.box.lassoFinished.connect(self._lasso)

    def paintEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        self.paints += 1
        super().paintEvent(ev)

    def set_points(self, points: np.ndarray, brushes=None) -> None:
        from scipy.spatial import cKDTree

        self.points = np.asarray(points, np.float32)
        self._tree = cKDTree(self.points) if len(self.points) else None
        self.scatter.setData(pos=self.points, brush=brushes if brushes is not None else "#7fb0ff")
        self.marks.setData([])
        self.hovered = -1
        self.box.autoRange(padding=0.05)

    def set_brushes(self, brushes) -> None:
        if len(self.points):
            self.scatter.setBrush(brushes)

    def mark(self, indices: list[int]) -> None:
        """Rings around these points (the current clip first, then its neighbours)."""
        if not indices:
            self.marks.setData([])
            return
        pens = [pg.mkPen("#ffffff", width=2)] + [pg.mkPen("#ffcc00", width=1)] * (len(indices) - 1)
        self.marks.setData(pos=self.points[indices], pen=pens)

    def point_at(self, scene_pos) -> int:
        """The point within PICK_PIXELS of a scene position, -1 if none."""
        if self._tree is None:
            return -1
        view = self.box.mapSceneToView(scene_pos)
        pixel = self.box.viewPixelSize()
        radius = PICK_PIXELS * max(pixel[0], pixel[1])
        distance, index = self._tree.query([view.x(), view.y()], k=1, distance_upper_bound=radius)
        return int(index) if np.isfinite(distance) else -1

    def _moved(self, scene_pos) -> None:
        index = self.point_at(scene_pos)
        if index != self.hovered:
            self.hovered = index
            self.pointHovered.emit(index)

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        index = self.point_at(ev.scenePos())
        if index >= 0:
            self.pointClicked.emit(index)

    def _lasso(self, polygon: np.ndarray) -> None:
        self.lassoSelected.emit(np.flatnonzero(inside_polygon(self.points, polygon)))
