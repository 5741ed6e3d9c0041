"""One window per display: a launch on another X display opens its own window there (it does not
hand its file to a window on the first display and exit silently); a launch on the same display
still hands off, and says so."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import app_env, quit_with_ctrl_q, stop, wait_for_window, window_name, x

pytestmark = pytest.mark.e2e


def wait_for_title(display: str, window: str, title: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while window_name(display, window) != title:
        assert time.monotonic() < deadline, window_name(display, window)
        time.sleep(0.2)


def test_a_launch_on_another_display_opens_its_own_window(
        xserver, second_xserver, tmp_path, speech_path, robin_path, trumpet_path):
    command = str(Path(sys.executable).parent / "audio-explorer")
    settings = tmp_path / "cfg"  # the same user and settings on both displays
    logs = [(tmp_path / f"app{i}.log").open("w") for i in (1, 2)]
    first = subprocess.Popen([command, str(speech_path)], env=app_env(xserver, settings),
                             stdout=logs[0], stderr=subprocess.STDOUT)
    second = None
    try:
        window = wait_for_window(xserver, "^Audio Explorer", proc=first)
        assert window, (tmp_path / "app1.log").read_text()
        wait_for_title(xserver, window, f"Audio Explorer — {speech_path.name}")

        # another display: a window of its own there, the first window keeps its file
        second = subprocess.Popen([command, str(robin_path)], env=app_env(second_xserver, settings),
                                  stdout=logs[1], stderr=subprocess.STDOUT)
        other = wait_for_window(second_xserver, "^Audio Explorer", proc=second)
        assert other, f"no window on {second_xserver}: {(tmp_path / 'app2.log').read_text()}"
        wait_for_title(second_xserver, other, f"Audio Explorer — {robin_path.name}")
        assert second.poll() is None
        assert window_name(xserver, window) == f"Audio Explorer — {speech_path.name}"

        # the same display as the first: handed to its window, and the launch says where it went
        third = subprocess.run([command, str(trumpet_path)], env=app_env(xserver, settings),
                               capture_output=True, text=True, timeout=60)
        assert third.returncode == 0 and "already runs on this display" in third.stderr, third
        assert xserver in third.stderr
        wait_for_title(xserver, window, f"Audio Explorer — {trumpet_path.name}")
        assert window_name(second_xserver, other) == f"Audio Explorer — {robin_path.name}"
        windows = x(xserver, "xdotool", "search", "--onlyvisible", "--name", "^Audio Explorer")
        assert len(windows.stdout.split()) == 1

        assert quit_with_ctrl_q(second_xserver, other, second) == 0
        assert quit_with_ctrl_q(xserver, window, first) == 0
    finally:
        stop(first)
        if second is not None:
            stop(second)
        for log in logs:
            log.close()
