"""The installed `audio-explorer` command in a real X window (Xvfb): starts, draws, quits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from explorer.model.colormaps import lookup_table
from tests.e2e.conftest import HEIGHT, WIDTH, quit_with_ctrl_q, screenshot, stop, wait_for_window, x

pytestmark = pytest.mark.e2e

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
        window = wait_for_window(xserver, "^Audio Explorer", proc=app)  # visible: Qt also
        assert window, "no window named 'Audio Explorer' appeared"   # names hidden helper windows
        title = x(xserver, "xdotool", "getwindowname", window).stdout.strip()
        assert title.startswith("Audio Explorer")

        # the spectrogram's plot area (between the docks, below the waveform) fills with magma
        shot = tmp_path / "shot.png"
        found, fraction = 0, 0.0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pixels = screenshot(xserver, shot)
            region = pixels[int(HEIGHT * 0.5):int(HEIGHT * 0.85),
                            int(WIDTH * 0.33):int(WIDTH * 0.64)]
            found, fraction = _magma_colours(region)
            if found >= 40 and fraction > 0.6:
                break
            time.sleep(1)
        assert found >= 40 and fraction > 0.6, (
            f"spectrogram not drawn: {found} magma colours, {fraction:.0%} of pixels ({shot})")
        title = x(xserver, "xdotool", "getwindowname", window).stdout.strip()
        assert title == "Audio Explorer — robin_44k_stereo.wav"

        assert quit_with_ctrl_q(xserver, window, app) == 0
    finally:
        stop(app)
        log.close()
