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
#: Above this many points the map is drawn as an image of the visible points at screen
#: resolution (numpy, a few ms) instead of one symbol per point (~90 ms at 20,000 points):
#: pans and zooms then stay above 30 frames/s.
RASTER_ABOVE = 5000
#: Dot size (pixels) of the raster.
RASTER_DOT = 2


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
        self.raster = pg.ImageItem(axisOrder="row-major")
        self.raster.hide()
        self.addItem(self.raster, ignoreBounds=True)
        self._rgba = np.zeros((0, 4), np.uint8)
        self.box.sigRangeChanged.connect(lambda *_a: self._draw_raster())
        self.marks = pg.ScatterPlotItem(size=POINT_SIZE + 8, pen=pg.mkPen("#ffffff", width=2),
                                        brush=None, pxMode=True)  # the current clip, neighbours
        self.addItem(self.marks, ignoreBounds=True)
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

    def set_points(self, points: np.ndarray, brushes=None, tree=None) -> None:
        """New points (and their KD-tree when made off the GUI thread: ~30 ms at 100,000)."""
        from scipy.spatial import cKDTree

        self.points = np.asarray(points, np.float32)
        if tree is None and len(self.points):
            tree = cKDTree(self.points)
        self._tree = tree if len(self.points) else None
        self.marks.setData([])
        self.hovered = -1
        if self.rastered:
            self.scatter.clear()
            self.scatter.hide()
            self.raster.show()
            self._set_rgba(brushes)
            if len(self.points):
                lo, hi = self.points.min(axis=0), self.points.max(axis=0)
                self.box.setRange(xRange=(float(lo[0]), float(hi[0])),
                                  yRange=(float(lo[1]), float(hi[1])), padding=0.05)
        else:
            self.raster.hide()
            self.scatter.show()
            self.scatter.setData(pos=self.points, brush=brushes if brushes is not None else "#7fb0ff")
            self.box.autoRange(padding=0.05)
        self.box.disableAutoRange()  # the view stays where the user puts it (marks, colours)

    @property
    def rastered(self) -> bool:
        return len(self.points) > RASTER_ABOVE

    def set_brushes(self, brushes) -> None:
        if not len(self.points):
            return
        if self.rastered:
            self._set_rgba(brushes)
        else:
            self.scatter.setBrush(brushes)

    def _set_rgba(self, brushes) -> None:
        n = len(self.points)
        if brushes is None:
            rgba = np.tile(np.array([127, 176, 255, 255], np.uint8), (n, 1))
        else:
            # the brushes are a few shared objects: one colour lookup each, one list pass
            ids = [id(b) for b in brushes]
            first = {}
            for b in brushes:
                if id(b) not in first:
                    first[id(b)] = b
                    if len(first) > 64:
                        break
            colour = {k: b.color().getRgb() for k, b in first.items()}
            if len(first) > 64:  # not shared: each its own
                rgba = np.array([b.color().getRgb() for b in brushes], np.uint8)
            else:
                keys = list(colour)
                lookup = {k: i for i, k in enumerate(keys)}
                table = np.array([colour[k] for k in keys], np.uint8)
                rgba = table[np.fromiter((lookup[k] for k in ids), np.int64, count=n)]
        self._rgba = np.ascontiguousarray(rgba).view(np.uint32).reshape(-1)  # one word a point
        self._draw_raster()

    def _draw_raster(self) -> None:
        """The visible points as an image of the view's pixels (the last point drawn wins):
        one 32-bit word per pixel, written by flat index (~5 ms for 100,000 points)."""
        if not self.rastered or not len(self.points):
            return
        (x0, x1), (y0, y1) = self.box.viewRange()
        w, h = max(1, int(self.box.width())), max(1, int(self.box.height()))
        px = ((self.points[:, 0] - np.float32(x0)) * np.float32(w / (x1 - x0))).astype(np.int32)
        py = ((self.points[:, 1] - np.float32(y0)) * np.float32(h / (y1 - y0))).astype(np.int32)
        keep = (px >= 0) & (px < w) & (py >= 0) & (py < h)
        stride = w + RASTER_DOT
        flat = np.zeros((h + RASTER_DOT) * stride, np.uint32)
        at = py[keep] * stride + px[keep]
        words = self._rgba[keep]
        for dy in range(RASTER_DOT):
            for dx in range(RASTER_DOT):
                flat[at + (dy * stride + dx)] = words
        image = flat.view(np.uint8).reshape(h + RASTER_DOT, stride, 4)[:h, :w]
        self.raster.setImage(image, autoLevels=False, levels=None)
        self.raster.setRect(x0, y0, x1 - x0, y1 - y0)

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
