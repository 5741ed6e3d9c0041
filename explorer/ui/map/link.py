"""Wires the map into the main window: its dock (View > Map, and the Dataset view's Map button),
the scan's vectors in, clicks that open clips, the lasso that filters the Dataset table, the
near-duplicate distance that re-flags the table, neighbours played in turn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QPushButton

from explorer.model.scan import apply_dataset_flags
from explorer.ui.map.view import MapView


def _reflag(worker, rows: list, vectors: dict, threshold: float) -> list:
    """The job of a new near-duplicate distance: every row's dataset flags again (in the map's
    child process: the KD-tree's scipy import would hold the window's GIL)."""
    return worker.run(apply_dataset_flags, rows, vectors, threshold)


class MapLink(QObject):
    """Made by the main window after the Dataset link, before its menus (View lists the dock)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dataset = window.dataset.view
        self.view = MapView()
        self.dock = window._dock("Map", "map", self.view, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock.hide()
        self.vectors: dict = {}
        self._stale = False
        self._tour: list[str] = []
        self._tour_playing = False
        self.button = QPushButton("Map")
        self.button.setToolTip("The dataset map: similar clips together (View > Map)")
        self.button.clicked.connect(self.show)
        if hasattr(self.dataset, "top"):
            self.dataset.top.addWidget(self.button)
        self.dataset.scanFinished.connect(self._scan_finished)
        self.dock.visibilityChanged.connect(self._visible)
        self.view.fileActivated.connect(self.open)
        self.view.playRequested.connect(self.play)
        self.view.selectionChanged.connect(self.dataset.model.set_only)
        self.view.thresholdChanged.connect(self._threshold)
        self.view.play_button.clicked.connect(self.play_in_turn)
        window.session.loadStarted.connect(self._current_changed)
        window.playback.stateChanged.connect(self._playback_state)

    def show(self) -> None:
        self.dock.show()
        self.dock.raise_()

    # ---- data in ----------------------------------------------------------------------------
    def _scan_finished(self, end) -> None:
        vectors = getattr(end, "vectors", None)
        if not vectors:
            return
        self.vectors = dict(vectors)
        self._stale = True
        if self.dock.isVisible():
            self.refresh()

    def _visible(self, visible: bool) -> None:
        if visible and self._stale:
            self.refresh()

    def refresh(self) -> None:
        """The map of the Dataset table's measured files (projected in the background)."""
        self._stale = False
        model = self.dataset.model
        rows = {str(model.paths[i]): r for i, r in enumerate(model.rows) if r is not None}
        texts = {str(p): t for p, t in model.transcripts.items()}
        vectors = {p: v for p, v in self.vectors.items() if p in rows}
        labels = {str(p): ", ".join(sorted(values))
                  for p, values in getattr(model, "label_values", {}).items() if values}
        self.view.set_dataset(vectors, rows, texts, model.root, labels)
        self.view.show_current(self.window.session.path)

    # ---- the table --------------------------------------------------------------------------
    def _threshold(self, value: float) -> None:
        model = self.dataset.model
        rows = [r for r in model.rows if r is not None]
        if not rows or not self.vectors:
            return
        self.view.jobs.submit("reflag", _reflag, self.view.worker, rows, dict(self.vectors), value,
                              on_done=self._reflagged)

    def _reflagged(self, rows: list, _seconds: float) -> None:
        self.dataset.model.add(rows)
        self.view.update_rows({r.path: r for r in rows})
        near = sum(r.has_flag("near_duplicate") for r in rows)
        self.view.status.setText(f"{near} near-duplicates at {self.view.threshold.value():.2f}")

    # ---- clips ------------------------------------------------------------------------------
    def open(self, path: Path) -> None:
        """A clicked point opens its clip (and selects it in the file list when listed)."""
        window = self.window
        if window.browser.model.row_of(path) >= 0:
            window.browser.select(path)
        if window.session.path != path:
            window.session.open_path(path)

    def play(self, path: Path) -> None:
        self.window._play_requested(Path(path))

    def play_in_turn(self) -> None:
        """Each listed neighbour plays to its end, then the next (the list stays while they do)."""
        self._tour = list(self.view.neighbours)
        self._next()

    def _next(self) -> None:
        self._tour_playing = False
        if self._tour:
            self.play(Path(self._tour.pop(0)))
        else:
            self.view.show_current(self.window.session.path)

    def _playback_state(self, state: str) -> None:
        if state == "playing":
            self._tour_playing = True
        elif state == "stopped" and self._tour_playing:
            self._next()

    def shutdown(self) -> None:
        self.view.shutdown()

    def _current_changed(self, path) -> None:
        if not self._tour:
            self.view.show_current(path)
