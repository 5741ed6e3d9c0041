"""Shared pieces of the end-to-end tests: a private Xvfb display, xdotool, screenshots."""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from tests import needs

TOOLS = ("Xvfb", "xdotool", "xdpyinfo", "import", "convert")
WIDTH, HEIGHT = 1280, 800


@contextmanager
def xvfb_display(width: int = WIDTH, height: int = HEIGHT):
    """A private Xvfb (the display number it picks itself) of that size, stopped after use."""
    needs.tools(*TOOLS)
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as f:
            number = f.readline().strip()
        assert number, "Xvfb did not report a display"
        assert wait_for_display(f":{number}"), f"Xvfb :{number} does not accept connections"
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def xserver():
    with xvfb_display() as display:
        yield display


@pytest.fixture
def second_xserver():
    """Another display, as a second seat or an ssh -X session of the same user."""
    with xvfb_display() as display:
        yield display


def wait_for_display(display: str, timeout: float = 10.0) -> bool:
    """True once the X server answers (it has been seen to refuse clients just after starting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["xdpyinfo", "-display", display], capture_output=True).returncode == 0:
            return True
        time.sleep(0.1)
    return False


def x(display: str, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, DISPLAY=display)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, check=check)


def screenshot(display: str, path: Path) -> np.ndarray:
    x(display, "import", "-window", "root", str(path), check=True)
    raw = subprocess.run(["convert", str(path), "-depth", "8", "rgb:-"], capture_output=True,
                         check=True, timeout=30).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3)




def wait_for_window(display: str, name: str, timeout: float = 60.0,
                    proc: subprocess.Popen | None = None) -> str:
    """The id of the first visible window whose name matches, or "" after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = x(display, "xdotool", "search", "--onlyvisible", "--name", name).stdout.split()
        if found:
            return found[0]
        if proc is not None and proc.poll() is not None:
            return ""
        time.sleep(0.2)
    return ""


def window_name(display: str, window: str) -> str:
    return x(display, "xdotool", "getwindowname", window).stdout.strip()


def app_env(display: str, settings: Path) -> dict:
    """A real window on `display`, with settings (and the single-instance key) of its own."""
    env = dict(os.environ, DISPLAY=display, AUDIO_EXPLORER_SETTINGS_DIR=str(settings))
    env.pop("QT_QPA_PLATFORM", None)
    return env


def quit_with_ctrl_q(display: str, window: str, app: subprocess.Popen) -> int:
    """Focus the window, press Ctrl+Q as a user does, and return the app's exit code."""
    x(display, "xdotool", "windowfocus", "--sync", window)
    x(display, "xdotool", "key", "ctrl+q")
    return app.wait(30)


def stop(app: subprocess.Popen) -> None:
    """After a failed test: make sure the app does not outlive it."""
    if app.poll() is None:
        app.kill()
        app.wait(10)
