"""The single-instance channel: a later launch's paths arrive at the running window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtNetwork import QLocalServer

from explorer.ui.shell.single_instance import InstanceServer, send_to_running, server_name


def test_paths_reach_the_running_instance(qtbot, tmp_path):
    name = f"audio-explorer-test-{os.getpid()}"
    server = InstanceServer(name)
    assert server.listening
    received = []
    server.pathsReceived.connect(received.append)
    (tmp_path / "a.wav").write_bytes(b"")
    assert send_to_running([str(tmp_path / "a.wav"), "relative.wav"], name)
    qtbot.waitUntil(lambda: bool(received), timeout=3000)
    assert received[0] == [str((tmp_path / "a.wav").resolve()), os.path.abspath("relative.wav")]
    server.close()


def test_no_running_instance_means_start_one(qtbot):
    assert not send_to_running(["x.wav"], f"audio-explorer-nobody-{os.getpid()}")


LISTEN_AND_WAIT = """
import sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtNetwork import QLocalServer
app = QCoreApplication([])
server = QLocalServer()
assert server.listen(sys.argv[1]), server.errorString()
print(server.fullServerName(), flush=True)
app.exec()
"""


def test_a_stale_socket_does_not_block_the_next_instance(qtbot, tmp_path):
    """A crashed instance leaves its socket file behind: the next launch must take the name over."""
    name = f"audio-explorer-stale-{os.getpid()}"
    crashed = subprocess.Popen([sys.executable, "-c", LISTEN_AND_WAIT, name], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    socket_file = Path(crashed.stdout.readline().strip())
    crashed.kill()  # SIGKILL: no clean-up runs, the socket file stays
    crashed.wait(10)
    assert socket_file.is_socket()  # really stale: a file with nobody listening
    assert not send_to_running(["x.wav"], name)
    probe = QLocalServer()
    assert not probe.listen(name)  # a plain listen fails on the leftover; the fallback is needed
    second = InstanceServer(name)
    try:
        assert second.listening
        assert send_to_running([str(tmp_path / "x.wav")], name) is True
    finally:
        second.close()


def test_the_name_depends_on_the_settings_folder(monkeypatch):
    monkeypatch.setenv("AUDIO_EXPLORER_SETTINGS_DIR", "/tmp/a")
    a = server_name()
    monkeypatch.setenv("AUDIO_EXPLORER_SETTINGS_DIR", "/tmp/b")
    assert server_name() != a


def test_a_launch_on_another_display_opens_its_own_window(qtbot, monkeypatch, tmp_path):
    """The same display hands off; another X display (or Wayland session) does not."""
    monkeypatch.setenv("DISPLAY", ":91")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    first = InstanceServer()  # the window on :91
    assert first.listening
    try:
        on_91 = server_name()
        monkeypatch.setenv("DISPLAY", ":91.0")  # the same display, screen 0
        assert server_name() == on_91
        assert send_to_running([str(tmp_path / "a.wav")])
        monkeypatch.setenv("DISPLAY", ":92")
        assert server_name() != on_91
        assert not send_to_running([str(tmp_path / "b.wav")])  # starts its own window
        monkeypatch.setenv("DISPLAY", ":91")
        monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
        assert server_name() != on_91
    finally:
        first.close()
