"""The PyInstaller one-folder build (`make package`): it starts without the project's Python,
opens its window on a bundled sample under Xvfb, and Ctrl+Q exits with code 0."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import app_env, quit_with_ctrl_q, stop, wait_for_window, window_name

pytestmark = [pytest.mark.package, pytest.mark.e2e]

DIST = Path(__file__).resolve().parents[2] / "dist" / "audio-explorer"


@pytest.fixture
def built_app() -> Path:
    exe = DIST / "audio-explorer"
    if not exe.exists():
        pytest.fail(f"{exe} is missing: run `make package` (it builds, then runs this test)")
    return exe


def test_built_app_cli_works_without_the_venv(built_app, tmp_path, robin_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"
    out = subprocess.run([str(built_app), "info", str(robin_path), "--json"], capture_output=True,
                         text=True, timeout=120, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert '"sample_rate": 44100' in out.stdout


def test_built_app_opens_its_window_and_quits(built_app, xserver, tmp_path):
    env = app_env(xserver, tmp_path / "cfg")
    env["PATH"] = "/usr/bin:/bin"
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen([str(built_app)], env=env, stdout=log, stderr=subprocess.STDOUT,
                           cwd=tmp_path)
    try:
        window = wait_for_window(xserver, "^Audio Explorer", timeout=90, proc=app)
        assert window, (tmp_path / "app.log").read_text()
        assert window_name(xserver, window).startswith("Audio Explorer — ")  # a bundled sample
        assert quit_with_ctrl_q(xserver, window, app) == 0
    finally:
        stop(app)
        log.close()
