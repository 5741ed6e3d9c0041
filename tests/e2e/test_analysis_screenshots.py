"""The analysis layers in a real window (Xvfb 1280x800): the pitch of speech and the CQT of the
trumpet are drawn where a user looks. With AUDIO_EXPLORER_SAVE_SCREENSHOTS=1 the screenshots
are copied to resources/screenshots (analysis-pitch-speech.png, analysis-cqt-trumpet.png)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.conftest import xvfb_display
from tests.e2e.test_panel_screenshots import SHOTS, _pixels

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PITCH = (0x00, 0xE5, 0xFF)  # the pyin curve's colour (ui/analysis/layers.py)


def test_pitch_and_cqt_screenshots(tmp_path):
    with xvfb_display(1280, 800) as display:
        env = dict(os.environ, DISPLAY=display,
                   AUDIO_EXPLORER_SETTINGS_DIR=str(tmp_path / "settings"))
        env.pop("QT_QPA_PLATFORM", None)  # a real window
        run = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "tests.e2e.analysis_shots",
                              str(tmp_path)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    shots = [Path(line) for line in run.stdout.splitlines() if line.endswith(".png")]
    assert [s.name for s in shots] == ["analysis-pitch-speech.png", "analysis-cqt-trumpet.png"]
    for shot in shots:
        pixels = _pixels(shot)
        assert pixels.shape == (800, 1280, 3)
        centre = pixels[:, 300:950]  # the views between the left and right docks
        assert centre.std() > 10, f"{shot}: blank"
        curve = np.abs(centre.astype(int) - PITCH).sum(axis=2) < 60
        assert curve.sum() > 300, f"{shot}: no pitch curve seen ({curve.sum()} pixels)"
    if os.environ.get("AUDIO_EXPLORER_SAVE_SCREENSHOTS"):
        for shot in shots:
            shutil.copy(shot, SHOTS / shot.name)
