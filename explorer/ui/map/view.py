"""The map view: the scatter, its controls (projection, colour by, near-duplicate distance), the
hovered clip's name and transcript, and the current clip's nearest neighbours. The projection
runs in a background job; nothing here waits for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from explorer.model.measure import ALL_FLAGS
from explorer.model.projection import METHOD_NAMES, ProjectionParams, available_methods, layout
from explorer.model.similarity import NEAR_DUPLICATE_DISTANCE, nearest
from explorer.ui.common.jobs import Jobs
from explorer.ui.map import colours
from explorer.ui.map.plot import MapPlot
from explorer.ui.map.worker import ChildWorker

#: Neighbours listed for the current clip.
NEIGHBOURS = 8


def _work(worker: ChildWorker, vectors: np.ndarray, params: ProjectionParams):
    """The job (a pool thread): the layout, made in the child process."""
    return worker.run(layout, vectors, params)


class MapView(QWidget):
    """`fileActivated(path)` on a click, `playRequested(path)` for a neighbour,
    `selectionChanged(set[str] | None)` from the lasso (None: all), `thresholdChanged(float)`."""

    fileActivated = Signal(object)
    playRequested = Signal(object)
    selectionChanged = Signal(object)
    thresholdChanged = Signal(float)
    projected = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = Jobs(self, max_threads=1)
        self.worker = ChildWorker()  # layouts and re-flagging run in a child process
        self.paths: list[str] = []
        self.rows: dict[str, Any] = {}
        self.transcripts: dict[str, str] = {}
        self.root: str | None = None
        self.vectors = np.zeros((0, 0), np.float32)
        self.z = np.zeros((0, 0))
        self.current: str | None = None
        self.neighbours: list[str] = []
        self.hover_text = ""
        self.selection: set[str] | None = None
        self.labels: dict[str, str] = {}

        self.method_box = QComboBox()
        for method in available_methods():
            self.method_box.addItem(METHOD_NAMES[method], method)
        self.method_box.setToolTip("How the clips' feature vectors are laid out in 2-D")
        self.colour_box = QComboBox()
        self.colour_box.addItem("one colour", "")
        for name in colours.CATEGORIES[:2]:
            self.colour_box.addItem(name, name)
        for name in colours.NUMERIC:
            self.colour_box.addItem(name, name)
        self.colour_box.addItem("label", "label")  # the file's label values (annotations)
        self.colour_box.addItem("flags", "flags")
        for flag in ALL_FLAGS:
            self.colour_box.addItem(f"flag: {flag}", f"flag:{flag}")
        self.colour_box.setToolTip("Colour the points by a column of the dataset table")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 2.0)
        self.threshold.setSingleStep(0.01)
        self.threshold.setDecimals(2)
        self.threshold.setValue(NEAR_DUPLICATE_DISTANCE)
        self.threshold.setToolTip("Clips closer than this (RMS of standardised feature differences) "
                                  "are flagged near_duplicate")
        self.status = QLabel("No dataset scanned yet.")
        self.status.setStyleSheet("color: #9a9a9a;")
        self.clear_button = QPushButton("Show all")
        self.clear_button.setToolTip("Forget the lasso: the table shows every file again")
        self.clear_button.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Layout:"))
        top.addWidget(self.method_box)
        top.addWidget(QLabel("Colour:"))
        top.addWidget(self.colour_box)
        top.addWidget(QLabel("Near-duplicate below:"))
        top.addWidget(self.threshold)
        top.addWidget(self.clear_button)
        top.addWidget(self.status, 1)

        self.plot = MapPlot()
        self.plot.setToolTip("")
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.hover_label = QLabel("Hover a point: its name and transcript. Click: open it. "
                                  "Ctrl/Shift+drag: lasso files for the table.")
        self.hover_label.setWordWrap(True)
        self.hover_label.setStyleSheet("color: #c8c8c8;")
        self.neighbour_list = QListWidget()
        self.neighbour_list.setToolTip("The current clip's nearest neighbours: double-click to play")
        self.play_button = QPushButton("Play neighbours in turn")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.neighbour_title = QLabel("Nearest neighbours")
        side_layout.addWidget(self.neighbour_title)
        side_layout.addWidget(self.neighbour_list, 1)
        side_layout.addWidget(self.play_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.hover_label)

        self.method_box.currentIndexChanged.connect(lambda _i: self.reproject())
        self.colour_box.currentIndexChanged.connect(lambda _i: self.recolour())
        self.threshold.valueChanged.connect(self.thresholdChanged.emit)
        self.plot.pointHovered.connect(self._hovered)
        self.plot.pointClicked.connect(self._clicked)
        self.plot.lassoSelected.connect(self._lassoed)
        self.clear_button.clicked.connect(self.clear_selection)
        self.neighbour_list.itemActivated.connect(
            lambda item: self.playRequested.emit(Path(item.data(Qt.ItemDataRole.UserRole))))

    # ---- data -------------------------------------------------------------------------------
    def set_dataset(self, vectors: dict[str, np.ndarray], rows: dict[str, Any],
                    transcripts: dict[str, str] | None = None, root: str | Path | None = None,
                    labels: dict[str, str] | None = None) -> None:
        """The clips with a vector, in a stable order; projected in the background. `labels`:
        each file's label values as one text (colour by label)."""
        self.paths = sorted(p for p, v in vectors.items() if v is not None)
        self.rows = dict(rows)
        self.transcripts = dict(transcripts or {})
        self.labels = dict(labels or {})
        self.root = str(root) if root is not None else None
        self.vectors = np.stack([vectors[p] for p in self.paths]) if self.paths else np.zeros((0, 0))
        self.selection = None
        self.clear_button.hide()
        self.reproject()

    def update_rows(self, rows: dict[str, Any]) -> None:
        """New flags (the near-duplicate distance changed): the colours follow."""
        self.rows.update(rows)
        self.recolour()

    def reproject(self) -> None:
        if len(self.paths) == 0:
            self.plot.set_points(np.zeros((0, 2), np.float32))
            self.status.setText("No clip has a feature vector yet (the scan gives them).")
            return
        method = self.method_box.currentData() or "pca"
        self.status.setText(f"laying out {len(self.paths)} clips ({METHOD_NAMES[method]})…")
        self.jobs.submit("map", _work, self.worker, self.vectors, ProjectionParams(method=method),
                         on_done=self._projected, on_error=self._failed)

    def _projected(self, result, seconds: float) -> None:
        self.z, points, tree = result
        brushes, legend = self._brushes()
        self.plot.set_points(points, brushes, tree)
        self.legend.setText(legend)
        method = METHOD_NAMES[self.method_box.currentData() or "pca"]
        self.status.setText(f"{len(self.paths)} clips, {method} in {seconds:.2f} s")
        self.show_current(self.current)
        self.projected.emit()

    def _failed(self, exc, _seconds: float) -> None:
        self.status.setText(f"Layout failed: {exc}")

    def busy(self) -> bool:
        return self.jobs.active() > 0

    def shutdown(self) -> None:
        """Forget running layouts and end the child process."""
        self.jobs.cancel("map")
        self.jobs.cancel("reflag")
        self.worker.shutdown()
        self.jobs.wait(3000)

    # ---- colours ----------------------------------------------------------------------------
    def _column(self, name: str) -> list[Any]:
        rows = [self.rows.get(p) for p in self.paths]
        if name == "sub-folder":
            return [colours.sub_folder(p, self.root) for p in self.paths]
        if name == "label":
            return [self.labels.get(p, "") for p in self.paths]
        if name == "flags":
            return [(r.flag_list[0] if r is not None and r.flag_list else "") for r in rows]
        if name.startswith("flag:"):
            flag = name[5:]
            return [flag if r is not None and r.has_flag(flag) else "" for r in rows]
        return [getattr(r, name, None) for r in rows]

    def _brushes(self):
        name = self.colour_box.currentData() or ""
        if not name or not self.paths:
            return [colours.plain()] * len(self.paths), ""
        values = self._column(name)
        if name in colours.NUMERIC and name != "sample_rate":
            numbers = np.array([np.nan if v is None else float(v) for v in values])
            return colours.numeric_colours(numbers)
        return colours.category_colours(values)

    def recolour(self) -> None:
        if len(self.plot.points) != len(self.paths):
            return
        brushes, legend = self._brushes()
        self.plot.set_brushes(brushes)
        self.legend.setText(legend)

    # ---- hover, click, lasso ----------------------------------------------------------------
    def describe(self, index: int) -> str:
        path = self.paths[index]
        text = self.transcripts.get(path) or getattr(self.rows.get(path), "transcript", "") or ""
        name = Path(path).name
        return f"{name}\n{text}" if text else name

    def _hovered(self, index: int) -> None:
        if index < 0:
            self.hover_text = ""
            QToolTip.hideText()
            return
        self.hover_text = self.describe(index)
        self.hover_label.setText(self.hover_text.replace("\n", " — "))
        from PySide6.QtGui import QCursor

        QToolTip.showText(QCursor.pos(), self.hover_text, self.plot)

    def _clicked(self, index: int) -> None:
        self.fileActivated.emit(Path(self.paths[index]))

    def _lassoed(self, indices: np.ndarray) -> None:
        self.selection = {self.paths[i] for i in indices}
        self.clear_button.setVisible(True)
        self.clear_button.setText(f"Show all ({len(self.selection)} lassoed)")
        self.selectionChanged.emit(set(self.selection))

    def clear_selection(self) -> None:
        self.selection = None
        self.clear_button.hide()
        self.selectionChanged.emit(None)

    # ---- the current clip and its neighbours ------------------------------------------------
    def show_current(self, path: str | Path | None) -> None:
        self.current = str(path) if path is not None else None
        self.neighbour_list.clear()
        self.neighbours = []
        index = self.paths.index(self.current) if self.current in self.paths else -1
        if index < 0 or len(self.z) != len(self.paths):
            self.plot.mark([])
            self.neighbour_title.setText("Nearest neighbours (open a clip of the map)")
            return
        self.neighbour_title.setText(f"Nearest to {Path(self.current).name}")
        found = nearest(self.z, index, NEIGHBOURS)
        for i, distance in found:
            item = QListWidgetItem(f"{Path(self.paths[i]).name}   {distance:.2f}")
            item.setData(Qt.ItemDataRole.UserRole, self.paths[i])
            item.setToolTip(self.describe(i))
            self.neighbour_list.addItem(item)
            self.neighbours.append(self.paths[i])
        self.plot.mark([index] + [i for i, _d in found])
