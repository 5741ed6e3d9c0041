"""librosa's compiled code persists: a second process loads it instead of compiling again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.caches import persist_numba_cache

ROOT = Path(__file__).resolve().parents[3]

WARM = """
from explorer.model.analysis.warmup import warm_up
warm_up()
"""


def _warm_up_log(env: dict[str, str]) -> str:
    """numba's cache log (NUMBA_DEBUG_CACHE) of a fresh process running the warm-up."""
    out = subprocess.run(
        [sys.executable, "-c", WARM],
        env={**env, "NUMBA_DEBUG_CACHE": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return out.stdout + out.stderr


def test_a_second_process_loads_librosas_compiled_code_instead_of_compiling():
    """The cache `make test` warmed (or the first process here fills it): the next process
    loads every function the layers use from disk and compiles and saves none."""
    env = dict(os.environ)
    first = _warm_up_log(env)
    assert "[cache] data loaded" in first or "[cache] data saved" in first, first[-2000:]
    second = _warm_up_log(env)
    loaded = second.count("[cache] data loaded")
    assert loaded >= 20, f"only {loaded} compiled functions loaded from numba's cache"
    assert "[cache] data saved" not in second and "[cache] index saved" not in second, (
        "the second process compiled again: " + second[-2000:]
    )


def test_the_command_sets_the_cache_before_numba_is_imported():
    # the command with a stand-in CLI and a recording persist_numba_cache
    code = (
        "import sys, types, explorer.caches as c, explorer.__main__ as m\n"
        "c.persist_numba_cache = lambda: print('persist', 'numba' in sys.modules)\n"
        "cli = types.ModuleType('explorer.cli')\n"
        "cli.main = lambda: print('cli') or 0\n"
        "sys.modules['explorer.cli'] = cli\n"
        "m.main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["persist", "False", "cli"]


def test_numbas_cache_goes_to_the_users_folder_when_librosas_is_read_only(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    writable = tmp_path / "site"
    writable.mkdir()
    assert persist_numba_cache(writable) is None  # numba's own __pycache__ there persists
    assert "NUMBA_CACHE_DIR" not in os.environ
    read_only = tmp_path / "installed"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        if os.access(read_only, os.W_OK):  # root writes anywhere
            monkeypatch.setattr(os, "access", lambda path, mode: False)
        assert persist_numba_cache(read_only) == str(tmp_path / "cache" / "numba")
        assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "cache" / "numba")
        monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))  # the user's choice is kept
        assert persist_numba_cache(read_only) is None
        assert os.environ["NUMBA_CACHE_DIR"] == str(tmp_path / "mine")
    finally:
        read_only.chmod(0o755)
