"""`audio-explorer export` as a user runs it: mirrored outputs, resume, --force, bad files, exit
codes, Ctrl+C and SIGKILL in the middle of a run, and the same export on a local Dask cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from explorer.model.spectrogram import SpectrogramParams, compute_file
from tests import needs
from tests.cluster import local_cluster
from tests.model.test_export import no_temp_files, write_bad_files, write_clips
from tests.pngs import decode_png

COMMAND = [sys.executable, "-m", "explorer", "export"]


def run(*args, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env)


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_export_mirrors_resumes_and_force_rewrites(tmp_path, tree):
    out = tmp_path / "out"
    first = run(tree, "-o", out, "--recursive", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert "5 written, 0 skipped (already done), 0 failed" in first.stdout
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.png"))
    assert names == ["a/b/clip0.png", "a/b/clip1.png", "clip0.png", "clip1.png", "clip2.png"]
    assert (out / "params.json").exists()
    values = compute_file(tree / "a" / "b" / "clip1.wav", SpectrogramParams(kind="mel")).values
    assert decode_png(out / "a" / "b" / "clip1.png").shape == (128, values.shape[1], 3)

    again = run(tree, "-o", out, "--recursive")
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout and "0 written, 5 skipped (already done)" in again.stdout

    forced = run(tree, "-o", out, "--recursive", "--force", "--jobs", "1")
    assert forced.returncode == 0 and "5 written, 0 skipped" in forced.stdout

    not_recursive = run(tree, "-o", tmp_path / "flat")
    assert not_recursive.returncode == 0
    assert not (tmp_path / "flat" / "a").exists()


def test_changed_parameters_need_force_or_a_new_folder(tmp_path, tree):
    out = tmp_path / "out"
    assert run(tree, "-o", out, "--format", "npy", "--jobs", "1").returncode == 0
    changed = run(tree, "-o", out, "--format", "npy", "--n-mels", "64", "--kind", "stft")
    assert_one_line_error(changed, "params.json", "kind: 'mel' -> 'stft'", "--force")
    assert not list(out.glob("*.png"))
    forced = run(tree, "-o", out, "--format", "npy", "--kind", "stft", "--force", "--jobs", "1")
    assert forced.returncode == 0, forced.stderr
    expected = compute_file(tree / "clip0.wav", SpectrogramParams(kind="stft")).values
    np.testing.assert_array_equal(np.load(out / "clip0.npy"), expected)


def test_grey_16_bit(tmp_path, tree):
    out = tmp_path / "out"
    result = run(tree, "-o", out, "--colormap", "gray", "--depth", "16", "--n-mels", "32", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    pixels = decode_png(out / "clip0.png")
    assert pixels.dtype == np.uint16 and pixels.shape[0] == 32


def test_bad_files_fail_with_reasons_and_exit_1(tmp_path, tree, speech_path):
    expected = write_bad_files(tree, speech_path)
    result = run(tree, "-o", tmp_path / "out", "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for name, word in expected.items():
        lines = [line for line in result.stderr.splitlines() if f"failed {name}:" in line]
        assert len(lines) == 1 and word in lines[0], result.stderr
    assert "skipped" not in result.stderr  # "skipped" is only "already done"
    assert "3 written, 0 skipped (already done), 3 failed" in result.stdout


def test_a_cut_recording_is_exported_with_a_warning(tmp_path, tree, speech_path):
    data = speech_path.read_bytes()
    (tree / "cut.wav").write_bytes(data[:len(data) // 2])
    result = run(tree, "-o", tmp_path / "out", "--jobs", "1", "--format", "npy")
    assert result.returncode == 0, result.stderr
    assert "4 written, 0 skipped (already done), 0 failed" in result.stdout
    lines = [line for line in result.stderr.splitlines() if "warning" in line]
    assert lines == ["audio-explorer: warning: cut.wav: the header promises 445,122 bytes of audio, "
                     "the file holds 222,539: showing the 111,269 frames present"]
    values = np.load(tmp_path / "out" / "cut.npy")
    expected = compute_file(tree / "cut.wav", SpectrogramParams(kind="mel")).values
    assert values.shape == expected.shape == (128, 1 + 111269 // 512)
    np.testing.assert_allclose(values, expected, rtol=1e-5)  # BLAS blocking differs per thread count


@pytest.mark.parametrize("args,words", [
    (("{missing}", "-o", "{out}"), ("nope", "no such folder")),
    (("{src}", "-o", "{out}", "--depth", "16"), ("gray",)),
    (("{src}", "-o", "{out}", "--window", "nosuchwindow"), ("nosuchwindow",)),
    (("{empty}", "-o", "{out}"), ("no audio files",)),
])
def test_usage_errors_are_one_line_exit_2(tmp_path, tree, args, words):
    (tmp_path / "empty").mkdir()
    names = {"missing": tmp_path / "nope", "out": tmp_path / "out", "src": tree,
             "empty": tmp_path / "empty"}
    assert_one_line_error(run(*[a.format(**names) for a in args]), *words)


def test_output_option_is_required():
    result = run("somewhere")
    assert result.returncode == 2 and "OUT_DIR" in result.stderr


def _wait_for_outputs(out: Path, count: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.is_dir() and len(list(out.glob("*.png"))) >= count:
            return
        if proc.poll() is not None:
            pytest.fail(f"export ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.01)
    pytest.fail("no outputs appeared")


@pytest.fixture
def many(tmp_path, speech_path):
    """Enough work (several seconds in one process) for the export to start its worker processes."""
    src = tmp_path / "many"
    write_clips(src, speech_path, 300, seconds=10)
    return src


def _descendants(pid: int) -> int:
    """How many processes descend from pid (Linux /proc; psutil is not a test dependency)."""
    return len(_descendant_pids(pid))


def _descendant_pids(pid: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _wait_for_workers(proc: subprocess.Popen, count: int, timeout: float = 30) -> None:
    if not Path("/proc/self/stat").exists():
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _descendants(proc.pid) >= count:  # forked workers (a forkserver would add two more)
            return
        if proc.poll() is not None:
            pytest.fail("export ended before its worker processes started")
        time.sleep(0.05)
    pytest.fail("the worker processes did not start")


def test_ctrl_c_stops_cleanly_with_130_and_a_rerun_resumes(tmp_path, many):
    out = tmp_path / "out"
    proc = subprocess.Popen([*COMMAND, str(many), "-o", str(out), "--jobs", "2"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    _wait_for_workers(proc, 2)
    _wait_for_outputs(out, 20, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl+C: the whole group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    time.sleep(0.2)
    assert no_temp_files(out)
    written = len(list(out.glob("*.png")))
    assert 20 <= written < 300
    assert f"interrupted after {written} of 300 files" in stderr  # what is on disk, exactly
    rerun = run(many, "-o", out)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{written} skipped (already done)" in rerun.stdout
    assert len(list(out.glob("*.png"))) == 300 and no_temp_files(out)


def test_sigkill_leaves_nothing_a_rerun_would_trust(tmp_path, many):
    out = tmp_path / "out"
    proc = subprocess.Popen([*COMMAND, str(many), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_workers(proc, 2)
    _wait_for_outputs(out, 20, proc)
    workers = _descendant_pids(proc.pid)
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15  # orphans finish the file they are on, then exit
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "orphaned workers"
    for path in out.glob("*.png"):  # every file under a final name is a complete picture
        assert decode_png(path).shape[:2] == (128, 313)
    rerun = run(many, "-o", out)
    assert rerun.returncode == 0, rerun.stderr
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 300
    for path in pngs:
        assert decode_png(path).shape[:2] == (128, 313)
    deadline = time.monotonic() + 10  # an orphaned worker may still be finishing its last file
    while not no_temp_files(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert no_temp_files(out)
    assert "0 failed" in rerun.stdout


def test_dask_cluster_gives_byte_identical_outputs(tmp_path, tree):
    needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    local = run(tree, "-o", tmp_path / "local", "--recursive", "--jobs", "1")
    assert local.returncode == 0, local.stderr
    with local_cluster() as address:
        assert address.startswith("tcp://127.0.0.1:")
        result = run(tree, "-o", tmp_path / "dask", "--recursive", "--scheduler", address)
    assert result.returncode == 0, result.stderr
    assert "5 written" in result.stdout
    for path in (tmp_path / "local").rglob("*.png"):
        twin = tmp_path / "dask" / path.relative_to(tmp_path / "local")
        assert twin.read_bytes() == path.read_bytes(), path


def test_unreachable_scheduler_is_a_clean_error(tmp_path, tree):
    needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = run(tree, "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9", env=env)
    assert_one_line_error(result, "Dask scheduler", "127.0.0.1:9")
    assert not (tmp_path / "out").exists()  # nothing written when the cluster is unreachable
