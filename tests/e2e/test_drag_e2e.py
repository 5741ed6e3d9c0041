"""A real drag from another process (XDND under Xvfb): the window takes dropped audio files and
folders as a copy, so the file manager never deletes them, and ignores what it cannot open."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import app_env, quit_with_ctrl_q, stop, wait_for_window, window_name, x

pytestmark = pytest.mark.e2e

SOURCE = Path(__file__).with_name("drag_source.py")
TARGET = (700, 420)  # the waveform, in the middle of the maximised-size window


def wait_title(display: str, window: str, title: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    name = window_name(display, window)
    while name != title and time.monotonic() < deadline:
        time.sleep(0.2)
        name = window_name(display, window)
    return name


def drag(display: str, paths: list[Path], env: dict, log: Path) -> str:
    """Starts the drag source on `paths`, drags from it onto the app as a user does; its result."""
    source = subprocess.Popen([sys.executable, str(SOURCE), *map(str, paths)], env=env,
                              stdout=subprocess.PIPE, stderr=log.open("a"), text=True)
    try:
        window = wait_for_window(display, "^Drag source$", proc=source)
        assert window, f"the drag source did not show a window: {log.read_text()}"
        x(display, "xdotool", "windowmove", "--sync", window, "40", "560", check=True)
        x(display, "xdotool", "windowraise", window)
        time.sleep(0.3)
        x(display, "xdotool", "mousemove", "--sync", "100", "600", check=True)
        x(display, "xdotool", "mousedown", "1", check=True)
        steps = 25  # XDND follows motion events: move in small steps, as a hand does
        for i in range(1, steps + 1):
            px = 100 + (TARGET[0] - 100) * i // steps
            py = 600 + (TARGET[1] - 600) * i // steps
            x(display, "xdotool", "mousemove", str(px), str(py))
            time.sleep(0.04)
        time.sleep(0.3)
        x(display, "xdotool", "mouseup", "1", check=True)
        out, _ = source.communicate(timeout=30)
        return out.split()[-1] if out.split() else ""
    finally:
        stop(source)


def test_real_drops_are_copies_and_refused_ones_are_ignored(xserver, tmp_path, samples_dir,
                                                            speech_path, trumpet_path):
    data = tmp_path / "data"
    data.mkdir()
    wav = data / "dropped_speech.wav"
    shutil.copy(speech_path, wav)
    folder = data / "a_folder"
    folder.mkdir()
    shutil.copy(trumpet_path, folder / "in_folder.wav")
    notes = data / "notes.txt"
    notes.write_text("not audio")
    env = app_env(xserver, tmp_path / "cfg")
    log = tmp_path / "app.log"
    app = subprocess.Popen([sys.executable, "-m", "explorer", str(samples_dir)], env=env,
                           stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        window = wait_for_window(xserver, "^Audio Explorer", proc=app)
        assert window, log.read_text()
        assert wait_title(xserver, window, "Audio Explorer — robin_44k_stereo.wav").endswith(
            "robin_44k_stereo.wav")
        x(xserver, "xdotool", "windowmove", "--sync", window, "0", "0")
        source_log = tmp_path / "source.log"

        assert drag(xserver, [wav], env, source_log) == "CopyAction", source_log.read_text()
        assert wait_title(xserver, window, "Audio Explorer — dropped_speech.wav") == (
            "Audio Explorer — dropped_speech.wav")

        assert drag(xserver, [folder], env, source_log) == "CopyAction", source_log.read_text()
        assert wait_title(xserver, window, "Audio Explorer — in_folder.wav") == (
            "Audio Explorer — in_folder.wav")

        assert drag(xserver, [notes], env, source_log) == "IgnoreAction", source_log.read_text()
        time.sleep(0.5)
        assert window_name(xserver, window) == "Audio Explorer — in_folder.wav"

        # what was dropped is still where it was
        assert wav.is_file() and (folder / "in_folder.wav").is_file() and notes.is_file()
        assert wav.stat().st_size == speech_path.stat().st_size
        assert quit_with_ctrl_q(xserver, window, app) == 0
    finally:
        stop(app)
