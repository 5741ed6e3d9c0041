"""The window's menu bar: File (open, recent folders, export, quit), View (the docks), Help
(about); the Play menu and the keys are WindowKeys'. Built once by the main window."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox

from explorer import __version__
from explorer.ui.export.menu import ExportMenu
from explorer.ui.shell.keys import WindowKeys

MAX_RECENT = 8


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


class RecentFolders:
    """The last folders opened (newest first, at most `MAX_RECENT`), kept in the settings and
    listed in a menu; choosing one opens it again."""

    def __init__(self, settings: QSettings, menu: QMenu,
                 open_folder: Callable[[str], object]) -> None:
        self.settings = settings
        self.menu = menu
        self._open = open_folder

    def folders(self) -> list[str]:
        value = self.settings.value("recentFolders", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add(self, folder: str) -> None:
        """`folder` becomes the newest (listed once) and the menu shows it."""
        recent = [folder] + [f for f in self.folders() if f != folder]
        self.settings.setValue("recentFolders", recent[:MAX_RECENT])
        self.rebuild()

    def rebuild(self) -> None:
        self.menu.clear()
        recent = self.folders()
        for folder in recent:
            action = self.menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self._open(f))
        self.menu.setEnabled(bool(recent))


class WindowMenus(QObject):
    """The menus and their actions; `window` is the MainWindow (its docks already built)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        menu = bar.addMenu("&File")
        self.open_file_action = QAction("Open &File…", window, shortcut=QKeySequence("Ctrl+O"))
        self.open_file_action.triggered.connect(window.open_file_dialog)
        self.open_folder_action = QAction("Open F&older…", window,
                                          shortcut=QKeySequence("Ctrl+Shift+O"))
        self.open_folder_action.triggered.connect(window.open_folder_dialog)
        menu.addAction(self.open_file_action)
        menu.addAction(self.open_folder_action)
        self.recent_menu = menu.addMenu("&Recent folders")
        self.recent = RecentFolders(window.settings, self.recent_menu,
                                    lambda folder: window.open_paths([folder]))
        menu.addSeparator()
        self.export_menu = ExportMenu(window)
        menu.addMenu(self.export_menu.menu)
        menu.addSeparator()
        self.quit_action = QAction("&Quit", window, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(window.quit)
        menu.addAction(self.quit_action)

        view = self.view_menu = bar.addMenu("&View")
        first = (window.files_dock, window.info_dock, window.controls_dock)
        for dock in first:
            view.addAction(dock.toggleViewAction())
        for dock in window.findChildren(QDockWidget):
            if dock not in first:
                view.addAction(dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        about = QAction("&About Audio Explorer", window)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.keys = WindowKeys(window, view, help_menu)

    def show_about(self) -> None:
        try:
            from explorer.audio.devices import portaudio_version

            portaudio = portaudio_version() or "not available"
        except Exception:
            portaudio = "not available"
        QMessageBox.about(self.window, "About Audio Explorer", (
            f"<h3>Audio Explorer {__version__}</h3>"
            "<p>Browse, listen to and look at audio datasets: waveforms and spectrograms, "
            "as in the notebook walkthrough.</p>"
            f"<table><tr><td>Qt</td><td>{qVersion()}</td></tr>"
            f"<tr><td>PySide6</td><td>{_version('PySide6-Essentials')}</td></tr>"
            f"<tr><td>pyqtgraph</td><td>{_version('pyqtgraph')}</td></tr>"
            f"<tr><td>librosa</td><td>{_version('librosa')}</td></tr>"
            f"<tr><td>numpy</td><td>{_version('numpy')}</td></tr>"
            f"<tr><td>PortAudio</td><td>{portaudio}</td></tr></table>"))

    def about_text(self) -> str:
        return f"Qt {qVersion()}, librosa {_version('librosa')}"
