"""Every file the command writes, on a full or read-only disk: exit 2, one line saying why in
words, the old file byte-identical and nothing partial left (a real 1 MiB tmpfs)."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import run
from tests.model.test_export import write_clips


def assert_one_line(result, *words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


WRITERS = {
    "tone": lambda out, speech: ("tone", "440", "--duration", "30", "-o", out / "x.wav"),
    "npy": lambda out, speech: ("spectrogram", speech, "-o", out / "x.npy"),
    "png": lambda out, speech: ("spectrogram", speech, "-o", out / "x.png"),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_full_disk_keeps_the_old_file(small_disk, speech_path, writer):
    args = WRITERS[writer](small_disk.root, speech_path)
    target = args[-1]
    target.write_bytes(b"the old file " * 1000)
    before = small_disk.files()
    small_disk.fill()
    assert_one_line(run(*args), f"cannot write {target}: disk full")
    assert small_disk.files() == before


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_read_only_folder_says_so(small_disk, speech_path, writer):
    args = WRITERS[writer](small_disk.root, speech_path)
    small_disk.read_only()
    assert_one_line(run(*args), f"cannot write {args[-1]}: read-only file system")
    assert small_disk.files() == {}


def test_export_on_a_full_disk_stops_once_and_keeps_every_old_output(small_disk, tmp_path,
                                                                      speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 30, seconds=2)
    out = small_disk.root / "out"
    first = run("export", src, "-o", out, "--format", "png", "--colormap", "gray")
    assert first.returncode == 0, first.stderr
    before = small_disk.files()
    assert len(before) == 31  # 30 PNGs and params.json
    small_disk.fill()
    again = run("export", src, "-o", out, "--format", "png", "--colormap", "gray", "--force",
                "--jobs", "2")
    assert again.returncode == 2, again.stderr
    assert "Traceback" not in again.stderr
    said = [line for line in again.stderr.splitlines() if "disk full" in line]
    assert len(said) == 1 and f"cannot write {out / 'params.json'}" in said[0], again.stderr
    assert not [line for line in again.stderr.splitlines() if "failed" in line], again.stderr
    assert small_disk.files() == before  # params.json too: its rewrite failed first


def test_export_into_a_full_disk_stops_at_the_first_file(small_disk, tmp_path, speech_path):
    one, many = tmp_path / "one", tmp_path / "many"
    write_clips(one, speech_path, 1, seconds=1)
    write_clips(many, speech_path, 40, seconds=2)
    out = small_disk.root / "out"
    assert run("export", one, "-o", out).returncode == 0  # params.json: the same settings
    before = small_disk.files()
    small_disk.fill()
    result = run("export", many, "-o", out, "--jobs", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert sum("disk full" in line for line in lines) == 1, result.stderr
    # clip0 is up to date from the first run; the 39 others are said once, not 39 times
    assert "0 written, 1 skipped (already done), 0 failed, 39 not written" in result.stdout
    assert small_disk.files() == before  # no PNG, no temporary file


def test_export_into_a_read_only_folder_is_one_line(small_disk, tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 20, seconds=1)
    small_disk.read_only()
    assert_one_line(run("export", src, "-o", small_disk.root / "out"),
                    "read-only file system")


def test_install_desktop_on_a_full_disk_is_one_line(small_disk):
    import os

    env = dict(os.environ, XDG_DATA_HOME=str(small_disk.root / "share"))
    first = run("--install-desktop", env=env)
    assert first.returncode == 0, first.stderr
    entry = small_disk.root / "share" / "applications" / "audio-explorer.desktop"
    before = entry.read_bytes()
    small_disk.fill()
    assert_one_line(run("--install-desktop", env=env), f"cannot write {entry}: disk full")
    assert entry.read_bytes() == before
    assert not [p for p in small_disk.root.rglob("*.part")]
