"""Files and folders dropped on the window are opened; what cannot be opened is refused while it
is dragged, in words on the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from explorer.model.clip import AUDIO_EXTENSIONS
from explorer.model.dataset import is_audio_path


def openable(path: str | Path) -> bool:
    path = Path(path)
    return path.is_dir() or (path.is_file() and is_audio_path(path))


def refusal(paths) -> str:
    """Why nothing of `paths` can be opened, in words for the status bar."""
    if not paths:
        return "Only local files and folders can be opened; nothing changed"
    items = [Path(p) for p in paths]
    names = ", ".join(p.name or str(p) for p in items[:3])
    missing = [p for p in items if not p.exists()]
    why = "does not exist" if len(missing) == len(items) else "is not an audio file"
    return (f"Not opened: {names} {why} (audio files end in {', '.join(AUDIO_EXTENSIONS)}); "
            "nothing changed")


class DropTarget:
    """What the window's drag and drop handlers do: open what is dropped, refuse the rest.

    A drop only reads the files: it is always a copy, never a move (a file manager that
    honours "move" deletes what was dropped). What cannot be opened is refused while it is
    dragged, so the source sees IgnoreAction (and the status bar says why).
    """

    def __init__(self, window: QMainWindow, open_paths: Callable[[list[str]], object]) -> None:
        self._window = window
        self._open_paths = open_paths
        self._drag_ok = False

    def drag_enter(self, event) -> None:
        self._drag_ok = self._judge_drag(event)
        self._answer(event, self._drag_ok)

    def drag_move(self, event) -> None:
        self._answer(event, self._drag_ok)

    def drag_leave(self) -> None:
        self._drag_ok = False

    def drop(self, event) -> None:
        self._drag_ok = False
        if self._answer(event, self._judge_drag(event)):
            self._open_paths([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])

    def _judge_drag(self, event) -> bool:
        """Whether anything dragged can be opened (said once per drag: moves reuse it)."""
        mime = event.mimeData()
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        ok = bool(paths) and any(openable(p) for p in paths)
        if mime.hasUrls() and not ok:
            self._window.statusBar().showMessage(refusal(paths), 10000)
        return ok

    @staticmethod
    def _answer(event, ok: bool) -> bool:
        if ok and event.possibleActions() & Qt.DropAction.CopyAction:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return True
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.ignore()
        return False
