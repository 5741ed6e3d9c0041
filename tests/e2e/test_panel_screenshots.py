"""The right-hand panels in a real maximised window (Xvfb at 1280x800 and 1600x1000): every
control in view, and a screenshot of each tab (issue 13, point 1).

With AUDIO_EXPLORER_SAVE_SCREENSHOTS=1 the screenshots are also copied to resources/screenshots
(tones-1280.png, scales-1600.png, ...)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.conftest import xvfb_display

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "resources" / "screenshots"
CHOSEN_RATE_BLUE = (0x3F, 0x78, 0xC0)  # the chosen playback rate button (_RATE_STYLE in tones/rates.py)


def _pixels(path: Path) -> np.ndarray:
    raw = subprocess.run(["convert", str(path), "-depth", "8", "rgb:-"], capture_output=True,
                         check=True, timeout=30).stdout
    size = subprocess.run(["identify", "-format", "%w %h", str(path)], capture_output=True,
                          text=True, check=True, timeout=30).stdout.split()
    width, height = int(size[0]), int(size[1])
    return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)


@pytest.mark.parametrize("width, height", [(1280, 800), (1600, 1000)])
def test_right_hand_tabs_fit_a_maximised_window(tmp_path, width, height):
    with xvfb_display(width, height) as display:
        env = dict(os.environ, DISPLAY=display,
                   AUDIO_EXPLORER_SETTINGS_DIR=str(tmp_path / "settings"))
        env.pop("QT_QPA_PLATFORM", None)  # a real window
        run = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "tests.e2e.panel_shots",
                              str(tmp_path)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    tabs = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [t["tab"] for t in tabs] == ["spectrogram-settings", "tone-generator", "scales"]
    for tab in tabs:
        assert tab["window"] == [width, height], tab
        assert tab["problems"] == [], f"{tab['tab']} at {width}x{height}: {tab['problems']}"
        x, dock_width = tab["dock"]
        assert x + dock_width == width  # the dock sits at the right edge
        # a bigger window gives the dock room too, not the centre alone
        assert dock_width >= (300 if width == 1280 else 380), tab
        pixels = _pixels(Path(tab["shot"]))
        assert pixels.shape == (height, width, 3)
        panel = pixels[:, x:]
        assert panel.std() > 10, f"{tab['shot']}: the dock is blank"
        if tab["tab"] == "tone-generator":  # the chosen rate (x1) shows, in the dock
            close = np.abs(panel.astype(int) - CHOSEN_RATE_BLUE).sum(axis=2) < 30
            assert close.sum() > 100, f"{tab['shot']}: no chosen rate button seen"
    if os.environ.get("AUDIO_EXPLORER_SAVE_SCREENSHOTS"):
        for tab in tabs:
            shutil.copy(tab["shot"], SHOTS / Path(tab["shot"]).name)
