"""The single-instance channel: a later launch's paths arrive at the running window."""

from __future__ import annotations

import os

from explorer.ui.single_instance import InstanceServer, send_to_running, server_name


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


def test_a_stale_socket_does_not_block_the_next_instance(qtbot):
    name = f"audio-explorer-stale-{os.getpid()}"
    first = InstanceServer(name)
    first.server.close()  # as after a crash, the name may linger
    second = InstanceServer(name)
    assert second.listening
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
