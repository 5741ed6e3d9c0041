"""Under CI=true the real-window tests fail, not skip, when Xvfb or xdotool is missing: a CI run
must not pass by running none of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_drag_test(ci: bool, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(tmp_path))  # no Xvfb, no xdotool on this PATH
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/e2e/test_drag_e2e.py"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_missing_tools_fail_under_ci_and_skip_elsewhere(tmp_path):
    ci = run_drag_test(True, tmp_path)
    assert ci.returncode == 1, ci.stdout[-2000:]
    assert "1 error" in ci.stdout or "1 failed" in ci.stdout, ci.stdout[-2000:]
    assert "needs Xvfb" in ci.stdout
    local = run_drag_test(False, tmp_path)
    assert local.returncode == 0 and "1 skipped" in local.stdout, local.stdout[-2000:]
