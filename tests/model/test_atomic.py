"""The one atomic writer: complete files or the old bytes, never a partial one, and why in words."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from explorer.model import atomic, images
from explorer.model.atomic import WriteError


def _writers(tmp):
    """Every kind of file the app writes, each writing something bigger than 1 MiB."""
    big = np.random.default_rng(0).uniform(-0.5, 0.5, 300_000).astype(np.float32)
    return {
        "wav": lambda p: atomic.write_sound(p, big, 16000, "PCM_16"),
        "npy": lambda p: atomic.save_npy(p, big),
        "png": lambda p: images.write_png(p, (np.arange(1_200_000) % 251).astype(np.uint8)
                                          .reshape(1000, 1200)),
        "json": lambda p: atomic.write_text(p, "x" * 1_200_000),
        "bytes": lambda p: atomic.write_bytes(p, os.urandom(1_200_000)),
    }


def test_writes_whole_files_and_keeps_the_mode_of_the_one_replaced(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(b"old")
    path.chmod(0o640)
    samples = np.linspace(-1, 1, 1000, dtype=np.float32)
    atomic.write_sound(path, samples, 8000, "FLOAT")
    data, rate = sf.read(path, dtype="float32")
    assert rate == 8000 and np.array_equal(data, samples)
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["a.wav"]


def test_a_symlink_is_written_through_and_kept(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    atomic.write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_the_temporary_file_is_hidden_beside_the_destination(tmp_path):
    seen = []

    def write(f):
        seen.extend(os.listdir(tmp_path))
        f.write(b"x")

    atomic.atomic_write(tmp_path / "out.png", write)
    assert len(seen) == 1 and atomic.TEMP_RE.match(seen[0])
    assert seen[0].startswith(".out.png.") and os.listdir(tmp_path) == ["out.png"]


def test_a_failing_writer_leaves_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "keep.npy"
    path.write_bytes(b"old bytes")

    def broken(f):
        f.write(b"half")
        raise ValueError("encoder broke")

    with pytest.raises(WriteError, match="encoder broke"):
        atomic.atomic_write(path, broken)
    assert path.read_bytes() == b"old bytes" and os.listdir(tmp_path) == ["keep.npy"]


def test_ctrl_c_mid_write_propagates_and_removes_the_temp(tmp_path):
    path = tmp_path / "keep.json"
    path.write_text("old")

    def interrupted(f):
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic.atomic_write(path, interrupted)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["keep.json"]


@pytest.mark.parametrize("code,words", [
    (errno.ENOSPC, "disk full"), (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permission denied"), (errno.EPERM, "permission denied"),
    (errno.ENOENT, "no such folder"), (errno.EDQUOT, "disk quota exceeded"),
])
def test_errors_in_words(tmp_path, code, words):
    error = atomic.write_error(tmp_path / "x.wav", OSError(code, os.strerror(code)))
    assert str(error) == f"cannot write {tmp_path / 'x.wav'}: {words}"
    assert error.errno == code and error.fatal == (code != errno.ENOENT)


def test_write_error_survives_pickling_across_processes(tmp_path):
    import pickle

    error = pickle.loads(pickle.dumps(WriteError(tmp_path / "x", "disk full", errno.ENOSPC)))
    assert str(error) == f"cannot write {tmp_path / 'x'}: disk full" and error.errno == errno.ENOSPC


def test_stale_temps_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".a.png.{dead}.0123abcd.part"
    mine = tmp_path / f".b.png.{os.getpid()}.0123abcd.part"
    other = tmp_path / ".notes.part"
    for p in (stale, mine, other):
        p.write_bytes(b"x")
    assert atomic.remove_stale_temps(tmp_path) == [stale]
    assert mine.exists() and other.exists() and not stale.exists()


@pytest.mark.parametrize("kind", ["wav", "npy", "png", "json", "bytes"])
def test_full_disk_leaves_the_old_file_byte_identical(small_disk, kind):
    path = small_disk.root / f"old.{kind}"
    path.write_bytes(os.urandom(50_000))
    before = small_disk.files()
    small_disk.fill()
    with pytest.raises(WriteError) as caught:
        _writers(small_disk.root)[kind](path)
    assert str(caught.value) == f"cannot write {path}: disk full"
    assert caught.value.fatal
    assert small_disk.files() == before  # same bytes, no temporary file left


@pytest.mark.parametrize("kind", ["wav", "npy", "json"])
def test_a_new_file_on_a_full_disk_leaves_nothing(small_disk, kind):
    small_disk.fill()
    with pytest.raises(WriteError, match="disk full"):
        _writers(small_disk.root)[kind](small_disk.root / f"new.{kind}")
    assert small_disk.files() == {}


@pytest.mark.parametrize("kind", ["wav", "npy", "png"])
def test_read_only_file_system_in_words(small_disk, kind):
    path = small_disk.root / f"old.{kind}"
    path.write_bytes(b"old")
    small_disk.read_only()
    with pytest.raises(WriteError) as caught:
        _writers(small_disk.root)[kind](path)
    assert str(caught.value) == f"cannot write {path}: read-only file system"
    assert small_disk.files() == {f"old.{kind}": b"old"}
