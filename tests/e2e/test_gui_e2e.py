"""The installed `audio-explorer` command in a real X window (Xvfb): starts, draws, quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from explorer.model.colormaps import lookup_table

pytestmark = pytest.mark.e2e

TOOLS = ("Xvfb", "xdotool", "import", "convert")
WIDTH, HEIGHT = 1280, 800


def _missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@pytest.fixture
def xserver():
    missing = _missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
         "-nolisten", "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    assert number, "Xvfb did not report a display"
    yield f":{number}"
    proc.terminate()
    proc.wait(10)


def _x(display: str, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, DISPLAY=display)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, check=check)


def _screenshot(display: str, path: Path) -> np.ndarray:
    _x(display, "import", "-window", "root", str(path), check=True)
    raw = subprocess.run(["convert", str(path), "-depth", "8", "rgb:-"], capture_output=True,
                         check=True, timeout=30).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3)


def _magma_colours(pixels: np.ndarray) -> tuple[int, float]:
    """(distinct magma entries matched, fraction of pixels that are magma colours)."""
    lut = lookup_table("magma").astype(np.int32)
    flat = pixels.reshape(-1, 3).astype(np.int32)[::7]
    dist = ((flat[:, None, :] - lut[None, :, :]) ** 2).sum(axis=2)
    nearest = dist.argmin(axis=1)
    close = dist[np.arange(len(flat)), nearest] <= 3 * 4**2
    return len(np.unique(nearest[close])), float(close.mean())


def test_installed_command_shows_spectrogram_and_quits(xserver, tmp_path, samples_dir):
    command = Path(sys.executable).parent / "audio-explorer"
    assert command.exists(), f"{command} is not installed"
    env = dict(os.environ, DISPLAY=xserver, AUDIO_EXPLORER_SETTINGS_DIR=str(tmp_path / "cfg"))
    env.pop("QT_QPA_PLATFORM", None)  # a real window, not offscreen
    log = open(tmp_path / "app.log", "w")  # noqa: SIM115
    app = subprocess.Popen([str(command), str(samples_dir)], env=env, stdout=log,
                           stderr=subprocess.STDOUT)
    try:
        window = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not window:
            window = _x(xserver, "xdotool", "search", "--name", "Audio Explorer").stdout.split()
            window = window[0] if window else ""
            time.sleep(0.3)
        assert window, "no window named 'Audio Explorer' appeared"
        title = _x(xserver, "xdotool", "getwindowname", window).stdout.strip()
        assert title.startswith("Audio Explorer")

        # the spectrogram's plot area (between the docks, below the waveform) fills with magma
        shot = tmp_path / "shot.png"
        found, fraction = 0, 0.0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pixels = _screenshot(xserver, shot)
            region = pixels[int(HEIGHT * 0.5):int(HEIGHT * 0.85),
                            int(WIDTH * 0.33):int(WIDTH * 0.64)]
            found, fraction = _magma_colours(region)
            if found >= 40 and fraction > 0.6:
                break
            time.sleep(1)
        assert found >= 40 and fraction > 0.6, (
            f"spectrogram not drawn: {found} magma colours, {fraction:.0%} of pixels ({shot})")
        title = _x(xserver, "xdotool", "getwindowname", window).stdout.strip()
        assert title == "Audio Explorer — robin_44k_stereo.wav"

        _x(xserver, "xdotool", "windowfocus", "--sync", window)
        _x(xserver, "xdotool", "key", "ctrl+q")
        assert app.wait(30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        log.close()
