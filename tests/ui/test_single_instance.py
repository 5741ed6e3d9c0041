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
