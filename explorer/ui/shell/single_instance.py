"""One window per user and display: a second launch hands its paths to the running app and exits.

A file manager starts a new process for every double-clicked WAV; the first process listens on a
QLocalServer, later ones connect, send their (absolute) paths as one JSON line, and quit. The key
holds the display: a launch on another X display or Wayland session opens its own window there
rather than sending its files to a window the user cannot see.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from explorer.ui.shell.settings import ENV

TIMEOUT_MS = 1000


def display_name() -> str:
    """Where this process's window shows: the Qt platform and its display (":1", "wayland-0")."""
    app = QGuiApplication.instance()
    platform = app.platformName() if app is not None else os.environ.get("QT_QPA_PLATFORM", "")
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY", ""), os.environ.get("DISPLAY", "")
    if platform.startswith("wayland"):
        display = wayland or "wayland-0"
    elif platform == "xcb":
        display = x11
    else:
        display = wayland or x11
    if display.endswith(".0"):  # ":0.0" is ":0" (screen 0 of it)
        display = display[:-2]
    return f"{platform.split(':')[0]} {display}".strip()


def server_name() -> str:
    """Per user and display, and per settings folder so that test runs never reach a user's
    window."""
    key = f"{getpass.getuser()}|{os.environ.get(ENV, '')}|{display_name()}"
    return "audio-explorer-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def send_to_running(paths: Sequence[str], name: str | None = None) -> bool:
    """True when a running instance took the paths (this process should then exit)."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    message = json.dumps([str(Path(p).resolve()) for p in paths]).encode() + b"\n"
    socket.write(message)
    ok = socket.waitForBytesWritten(TIMEOUT_MS)
    socket.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    """Listens for later launches; emits the paths each one sends (empty: just raise the window)."""

    pathsReceived = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a stale socket left by a crashed instance
            self.server.listen(self.name)
        self.server.newConnection.connect(self._accept)
        self._sockets: list[QLocalSocket] = []  # held here until read, then closed and dropped

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            self._sockets.append(self.server.nextPendingConnection())
        for socket in list(self._sockets):  # one readyRead handler for all: no per-socket closures
            socket.readyRead.connect(self._read_ready, Qt.ConnectionType.UniqueConnection)
        self._read_ready()

    def _read_ready(self) -> None:
        for socket in list(self._sockets):
            if not socket.canReadLine():
                if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                    self._drop(socket)
                continue
            line = bytes(socket.readLine()).decode(errors="replace")
            self._drop(socket)
            try:
                paths = json.loads(line)
            except ValueError:
                continue
            if isinstance(paths, list):
                self.pathsReceived.emit([str(p) for p in paths])

    def _drop(self, socket: QLocalSocket) -> None:
        self._sockets.remove(socket)
        socket.readyRead.disconnect(self._read_ready)
        socket.abort()
        socket.deleteLater()

    def close(self) -> None:
        for socket in list(self._sockets):
            self._drop(socket)
        self.server.close()
