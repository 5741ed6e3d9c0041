"""The crash test of issue 17: the real app labels a file, is SIGKILLed, and the next launch
restores the edits from the journal and says so in the status bar; the original label file
beside the audio is byte-identical all along."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ui.annotations.crash_app import EDITS, RENAMED

ROOT = Path(__file__).resolve().parents[3]


def _launch(mode: str, audio: Path, out: Path, settings: Path) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AUDIO_EXPLORER_SETTINGS_DIR=str(settings),
               PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.ui.annotations.crash_app", mode,
                             str(audio), str(out)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_size:
            return json.loads(path.read_text())
        if proc.poll() is not None:
            raise AssertionError(f"the app ended ({proc.returncode}): "
                                 f"{proc.stdout.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"no {path.name} after {timeout} s")


def test_sigkill_mid_edit_then_the_next_launch_restores_and_says_so(tmp_path, labelled):
    audio, txt = labelled
    original = txt.read_bytes()
    settings = tmp_path / "settings"
    app = _launch("edit", audio, tmp_path / "edited.json", settings)
    try:
        edited = _wait_for(tmp_path / "edited.json", app)
        assert edited["labels"] == 6, edited
        time.sleep(2.5)  # the edits are older than 2 s when the app dies
        assert app.poll() is None, "the app ended before it was killed"
        os.kill(app.pid, signal.SIGKILL)
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
    sidecar = audio.with_name(audio.name + ".labels.json")
    journal = audio.with_name(audio.name + ".labels.journal")
    assert not sidecar.exists(), "autosaved before the kill: the journal was not what restored"
    assert journal.is_file()
    assert txt.read_bytes() == original

    again = _launch("check", audio, tmp_path / "checked.json", settings)
    try:
        shown = _wait_for(tmp_path / "checked.json", again)
        assert again.wait(60) == 0
    finally:
        if again.poll() is None:
            again.kill()
    words = [lab[3] for lab in shown["labels"]]
    assert words == [RENAMED, "the", "two", "word", "três", "speech"]  # one tier, by start
    made = {lab[3]: (lab[1], lab[2]) for lab in shown["labels"]}
    assert made[RENAMED] == (EDITS[0][0], EDITS[0][1]) and made["três"] == (1.5, 1.9)
    assert shown["restored"] == 4  # three labels added, one renamed
    assert "Restored 4 label edits" in shown["status"] and "crash" in shown["status"]
    # restored edits are saved at once; the user's Audacity file is still untouched
    assert sidecar.is_file() and not journal.exists()
    assert txt.read_bytes() == original
