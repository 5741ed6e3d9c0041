"""Launching as a file manager does: the installed .desktop Exec line with a WAV; a second launch
hands its file to the running window instead of opening another."""

from __future__ import annotations

import subprocess
import time

import pytest

from explorer import desktop
from tests.e2e.conftest import app_env, quit_with_ctrl_q, stop, wait_for_window, window_name, x

pytestmark = pytest.mark.e2e


def test_desktop_entry_opens_the_file_and_a_second_launch_reaches_the_window(
        xserver, tmp_path, monkeypatch, speech_path, robin_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    desktop.install()
    argv = desktop.launcher_command_line()
    env = app_env(xserver, tmp_path / "cfg")
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen([*argv, str(speech_path)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        window = wait_for_window(xserver, "^Audio Explorer", proc=first)
        assert window, (tmp_path / "first.log").read_text()
        deadline = time.monotonic() + 30
        while window_name(xserver, window) != f"Audio Explorer — {speech_path.name}":
            assert time.monotonic() < deadline, window_name(xserver, window)
            time.sleep(0.2)

        t0 = time.monotonic()
        second = subprocess.run([*argv, str(robin_path)], env=env, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - t0 < 15
        deadline = time.monotonic() + 30
        while window_name(xserver, window) != f"Audio Explorer — {robin_path.name}":
            assert time.monotonic() < deadline, window_name(xserver, window)
            time.sleep(0.2)
        windows = x(xserver, "xdotool", "search", "--onlyvisible", "--name", "^Audio Explorer").stdout
        assert len(windows.split()) == 1  # still one window

        assert quit_with_ctrl_q(xserver, window, first) == 0
    finally:
        stop(first)
        log.close()
