"""Entry point of the GUI: `run(paths)` creates the application and the main window."""

from __future__ import annotations

import faulthandler
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from explorer import __version__
from explorer.resources import resources_dir


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 30, 30), QColor(43, 43, 43), QColor(220, 220, 220)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(38, 38, 38))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(50, 50, 50))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(53, 53, 53))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 80, 80))
    p.setColor(QPalette.ColorRole.Highlight, QColor(64, 120, 192))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(130, 130, 130))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(110, 110, 110))
    return p


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("Audio Explorer")
    app.setOrganizationName("AudioExplorer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("audio-explorer")  # matches the .desktop entry (taskbar, Wayland)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "audio-explorer.svg")))
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    return app


def run(paths: Sequence[str] = ()) -> int:
    """Open the window on `paths` (files/folders; the bundled samples when empty); exit code.

    When the app already runs for this user, the paths go to that window and this process exits."""
    faulthandler.enable()  # a crash in Qt's C++ prints where it happened
    app = make_application()
    from explorer.ui.shell.single_instance import InstanceServer, display_name, send_to_running

    if send_to_running(paths):
        what = f"{len(paths)} path(s) sent to its window" if paths else "its window raised"
        print(f"Audio Explorer already runs on this display ({display_name()}): {what}.",
              file=sys.stderr)
        return 0
    from explorer.ui.shell.main_window import MainWindow

    window = MainWindow()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    server = InstanceServer(parent=app)
    server.pathsReceived.connect(lambda received: _bring_forward(window, received))
    window.show()
    window.open_initial(list(paths))
    code = app.exec()
    server.close()
    close_window(window)
    return int(code)


def close_window(window) -> None:
    """Stops the window's work and deletes its widgets while the application still exists: left
    to the interpreter's exit, the QApplication may be deleted first, and widgets deleted after
    it crash the process (a SIGSEGV after the last line, seen under load)."""
    import shiboken6

    window.shutdown()
    if shiboken6.isValid(window):
        shiboken6.delete(window)


def _bring_forward(window, paths: list[str]) -> None:
    """Another launch sent paths: open them here and raise the window."""
    if paths:
        window.open_paths(paths)
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
