"""Wires the Dataset view into the main window: its dock (View > Dataset, shown when a folder
opens), rows that open files, the current file's transcript and flags, File > Export > Dataset
table."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer.model.reports import write_report
from explorer.ui.dataset.view import DatasetView

#: File dialog filters of the table export, and the ending each one writes.
EXPORT_FILTERS = {"CSV table (*.csv)": ".csv", "Parquet table (*.parquet)": ".parquet"}


def write_table(rows: list, path: str | Path) -> Path:
    """The rows as CSV or Parquet (by the ending) through the model's atomic report writers."""
    return write_report(Path(path), rows)


class DatasetLink(QObject):
    """Made by the main window before its menus (so View lists the dock)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.view = DatasetView()
        self.dock = window._dock("Dataset", "dataset", self.view,
                                 Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock.hide()
        self.export_action: QAction | None = None
        #: A folder opened in the running window shows the dock; the one the window starts on,
        #: and the folder of a file opened alone, do not (see `quietly`), though they are
        #: scanned all the same.
        self.show_on_open = True
        self._quiet: set[Path] = set()  # folders asked for quietly, whose listing may end later
        self.view.fileActivated.connect(self._activated)
        self.view.measured.connect(self._measured)
        window.browser.folderRequested.connect(self._folder_requested)
        window.browser.folderChanged.connect(self._folder_changed)
        window.session.loadStarted.connect(self._current_changed)

    @contextmanager
    def quietly(self):
        """Folders listed inside are scanned without showing the dock."""
        before, self.show_on_open = self.show_on_open, False
        try:
            yield
        finally:
            self.show_on_open = before

    # ---- window events ----------------------------------------------------------------------
    def _folder_requested(self, folder: Path) -> None:
        if not self.show_on_open:
            self._quiet.add(folder)

    def _folder_changed(self, folder: Path) -> None:
        """In an event of its own, after the file list's: the two tables' set-up of a 10,000-file
        folder in one event stopped the GUI thread ~80 ms."""
        show = self.show_on_open and folder not in self._quiet  # as asked, not as it is later
        self._quiet.discard(folder)
        paths = self.window.browser.model.paths
        QTimer.singleShot(0, self, lambda: self._show_folder(folder, paths, show))

    def _show_folder(self, folder: Path, paths: list[Path], show: bool) -> None:
        if self.window.browser.model.paths is not paths:
            return  # another folder since
        if self.view.model.root == folder and self.view.model.paths == paths:
            return  # the same folder again (a file of it opened): keep its measurements
        self.view.set_folder(paths, folder)
        if show and not self.dock.isVisible():
            self.dock.show()
            window = self.window
            window.resizeDocks([self.dock], [max(260, window.height() * 3 // 8)],
                               Qt.Orientation.Vertical)

    def _activated(self, path: Path) -> None:
        if self.window.browser.current_path() != path:
            self.window.browser.select(path)

    def _current_changed(self, path: Path | None) -> None:
        self.view.show_current(path)
        self._show_facts(path)

    def _measured(self, paths: list[Path]) -> None:
        current = self.window.session.path
        if current is not None and current in set(paths):
            self._show_facts(current)

    def _show_facts(self, path: Path | None) -> None:
        """The transcript under the waveform and the flags in the info panel, for `path`."""
        window = self.window
        model = self.view.model
        i = model.row_of(path) if path is not None else -1
        if i < 0:
            window.transcript.set_transcript("")
            window.info.clear_dataset_facts()
            return
        window.transcript.set_transcript(model.transcript(i))
        row = model.rows[i]
        if row is None:
            window.info.set_dataset_facts(
                [], status="measuring…" if self.view.scanning() else "not measured")
        else:
            window.info.set_dataset_facts(list(row.flag_list), row.error or "")

    # ---- export -----------------------------------------------------------------------------
    def add_export(self, export_menu) -> None:
        action = QAction("Dataset &table (CSV or Parquet)…", self.window)
        action.triggered.connect(self.ask_export)
        export_menu.menu.addSeparator()
        export_menu.menu.addAction(action)
        export_menu.actions["dataset"] = action
        export_menu.menu.aboutToShow.connect(self.update_enabled)
        self.export_action = action
        self.update_enabled()

    def update_enabled(self) -> None:
        if self.export_action is not None:
            self.export_action.setEnabled(any(r is not None for r in self.view.model.rows))

    def export(self, path: str | Path) -> Path:
        """The shown rows (filtered, sorted) that are measured, to `path`."""
        return write_table(self.view.model.shown_measured(), path)

    def ask_export(self) -> None:
        root = self.view.model.root
        start = str((root or Path.home()) / f"{root.name if root else 'dataset'}-dataset.csv")
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export the dataset table", start,
                                                   ";;".join(EXPORT_FILTERS))
        if not path:
            return
        if Path(path).suffix.lower() not in EXPORT_FILTERS.values():
            path += EXPORT_FILTERS.get(chosen, ".csv")
        try:
            out = self.export(path)
        except OSError as exc:  # the writer says why in words
            QMessageBox.warning(self.window, "Export the dataset table", str(exc))
            return
        shown = len(self.view.model.shown_measured())
        self.window.statusBar().showMessage(f"Exported {shown} rows to {out}", 10000)

    def shutdown(self) -> None:
        self.view.shutdown()
