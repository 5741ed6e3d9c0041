"""`audio-explorer scan` as a user runs it: the summary, the report formats, exit codes, the
cache and --no-cache, one-line errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.model.measure import COLUMNS
from tests import needs
from tests.cluster import local_cluster
from tests.model.scan_data import EXPECTED_FLAGS, write_defects

COMMAND = [sys.executable, "-m", "explorer", "scan"]


@pytest.fixture
def env(tmp_path) -> dict:
    return {**os.environ, "AUDIO_EXPLORER_CACHE_DIR": str(tmp_path / "cache")}


def run(env: dict, *args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env)


@pytest.fixture(scope="module")
def defects(tmp_path_factory):
    folder = tmp_path_factory.mktemp("defects")
    write_defects(folder / "nested")
    return folder


def test_scan_with_unreadable_file_exits_1_with_summary_and_report(defects, tmp_path, env):
    out = tmp_path / "report.csv"
    result = run(env, defects, "--recursive", "-o", out, "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "unreadable" in result.stderr and "broken.wav" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"files: {len(EXPECTED_FLAGS)}"
    assert "sample rates: 16000 Hz: 16, 22050 Hz: 1, 44100 Hz: 1" in lines
    assert "channels: 1: 17, 2: 1" in lines
    flag_line = next(line for line in lines if line.startswith("flags: "))
    for flag in ("clipped: 1", "silent: 1", "duplicate: 2", "upsampled: 1", "rate_differs: 2",
                 "unreadable: 1", "header_lies: 1", "nan_values: 1", "duration_outlier: 1"):
        assert flag in flag_line
    assert "unreadable: 1" in lines
    assert any(line.strip().startswith(str(defects / "nested" / "broken.wav")) for line in lines)
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(COLUMNS)
    assert {Path(r["path"]).name: set(filter(None, r["flags"].split(";"))) for r in rows} == EXPECTED_FLAGS


def test_clean_folder_exits_0_and_json_is_one_object_per_line(samples_dir, tmp_path, env):
    out = tmp_path / "report.json"
    result = run(env, samples_dir, "-o", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "files: 4" in result.stdout and "flags: none" in result.stdout
    assert "unreadable: 0" in result.stdout
    objects = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(objects) == 4 and all(list(o) == list(COLUMNS) for o in objects)


def test_parquet_report_and_cache_then_no_cache(samples_dir, tmp_path, env):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "report.parquet"
    first = run(env, samples_dir, "-o", out)
    assert first.returncode == 0, first.stderr
    table = pq.read_table(out).to_pylist()
    assert [Path(r["path"]).name for r in table] == sorted(p.name for p in samples_dir.glob("*.wav"))
    assert (tmp_path / "cache" / "scan.sqlite3").is_file()
    again = run(env, samples_dir, "-o", tmp_path / "again.parquet")
    assert again.stdout == first.stdout.replace("report.parquet", "again.parquet")
    assert pq.read_table(tmp_path / "again.parquet").to_pylist() == table
    fresh = run({**env, "AUDIO_EXPLORER_CACHE_DIR": str(tmp_path / "other")}, samples_dir, "--no-cache")
    assert fresh.returncode == 0
    assert not (tmp_path / "other").exists()  # --no-cache neither reads nor writes the cache


@pytest.mark.parametrize("args, words", [
    (["{tmp}/missing"], ["missing", "no such file or folder"]),
    (["{tmp}", "-o", "{tmp}/r.xlsx"], ["r.xlsx", "unknown report format"]),
    (["{tmp}"], ["no audio files found"]),
])
def test_user_errors_are_one_line_and_exit_2(tmp_path, env, args, words):
    result = run(env, *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_scan_is_listed_in_help(env):
    result = subprocess.run([sys.executable, "-m", "explorer", "--help"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert "scan" in result.stdout


def test_scheduler_gives_the_local_report_byte_for_byte(defects, tmp_path, env):
    """`--scheduler` on a Dask LocalCluster (in a process of its own): the same report file,
    the same summary and exit code as `--jobs 1` on this machine."""
    needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    local = run(env, defects, "--recursive", "-o", tmp_path / "local.csv", "--jobs", "1",
                "--no-cache")
    with local_cluster() as address:
        remote = run(env, defects, "--recursive", "-o", tmp_path / "dask.csv", "--scheduler",
                     address, "--no-cache", timeout=300)
    assert (local.returncode, remote.returncode) == (1, 1), remote.stderr  # broken.wav
    assert remote.stdout.replace("dask.csv", "local.csv") == local.stdout
    report = (tmp_path / "dask.csv").read_bytes()
    assert report == (tmp_path / "local.csv").read_bytes()
    assert report.count(b"\n") == len(EXPECTED_FLAGS) + 1
