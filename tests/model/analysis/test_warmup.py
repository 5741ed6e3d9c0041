"""librosa's compiled code persists: a second process loads it instead of compiling again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

WARM = """
import time
start = time.perf_counter()
from explorer.model.analysis.warmup import warm_up
warm_up()
print(time.perf_counter() - start)
"""


def _run(env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", WARM],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert float(out.stdout.strip().splitlines()[-1]) > 0
    return time.perf_counter() - start


def test_second_warm_up_loads_the_cache(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    first = _run(env)
    assert any((tmp_path / "numba").rglob("*.nbi")), "numba wrote no cache index"
    second = _run(env)
    assert second < 0.5 * first, f"first {first:.1f} s, second {second:.1f} s"


def test_the_command_keeps_numbas_cache_in_the_users_cache_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["AUDIO_EXPLORER_CACHE_DIR"] = str(tmp_path)
    # the command with a stand-in CLI: what the environment holds when the CLI's imports begin
    code = (
        "import os, sys, types, explorer.__main__ as m\n"
        "cli = types.ModuleType('explorer.cli')\n"
        "cli.main = lambda: print(os.environ['NUMBA_CACHE_DIR'], 'numba' in sys.modules) or 0\n"
        "sys.modules['explorer.cli'] = cli\n"
        "m.main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.split() == [str(tmp_path / "numba"), "False"]  # set before numba is imported
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "mine")  # the user's own choice is kept
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.split() == [str(tmp_path / "mine"), "False"]
