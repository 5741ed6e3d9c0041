"""Desktop integration: a valid .desktop entry, and install/uninstall that touch exactly their files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from explorer import desktop
from explorer.resources import resources_dir
from tests import needs

#: Files the standard cache tools (update-mime-database and friends) regenerate, not ours.
CACHE_PARTS = ("mimeinfo.cache", "icon-theme.cache")


def _our_files(root: Path) -> set[Path]:
    files = set()
    for path in root.rglob("*"):
        if not path.is_file() or path.name in CACHE_PARTS:
            continue
        rel = path.relative_to(root).parts
        if rel[0] == "mime" and rel[1] != "packages":
            continue  # the MIME database update-mime-database builds from packages/
        files.add(path)
    return files


@pytest.fixture
def desktop_tools() -> None:
    """desktop-file-utils: the validator, and the cache tool whose output the install test reads."""
    needs.tools("desktop-file-validate", "update-desktop-database")


def _validate(entry: Path) -> None:
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_bundled_desktop_file_is_valid(desktop_tools):
    _validate(resources_dir() / "desktop" / "audio-explorer.desktop")


def test_install_then_uninstall_touch_exactly_the_listed_files(tmp_path, monkeypatch, desktop_tools):
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert desktop.data_home() == home
    written = desktop.install()
    assert written == desktop.planned_files(home)
    assert _our_files(home) == set(written)
    entry = home / "applications" / "audio-explorer.desktop"
    _validate(entry)
    argv = desktop.launcher_command_line(home)
    assert Path(argv[0]).is_absolute() and Path(argv[0]).exists()
    assert Path(argv[0]).name.startswith("audio-explorer-gui")  # the gui-script: no terminal
    assert "Terminal=false" in entry.read_text()
    cache = (home / "applications" / "mimeinfo.cache").read_text()
    assert "audio/x-wav=audio-explorer.desktop;" in cache
    for size in desktop.ICON_SIZES:
        icon = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "audio-explorer.png"
        assert icon.stat().st_size > 0

    removed = desktop.uninstall()
    assert set(removed) == set(written)
    assert _our_files(home) == set()
    assert desktop.uninstall() == []  # a second uninstall has nothing left to remove


def test_exec_quoting_survives_spaces():
    line = desktop.desktop_entry(["/opt/my apps/audio-explorer-gui"])
    exec_line = next(x for x in line.splitlines() if x.startswith("Exec="))
    assert exec_line == 'Exec="/opt/my apps/audio-explorer-gui" %F'


def test_icons_are_the_sizes_they_claim():

    for size in desktop.ICON_SIZES:
        data = (resources_dir() / "icons" / f"audio-explorer-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size)


def test_cli_install_and_uninstall_print_the_files(tmp_path, desktop_tools):
    import os
    import sys

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    out = subprocess.run([sys.executable, "-m", "explorer", "--install-desktop"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    listed = [Path(line.strip()) for line in out.stdout.splitlines()[1:]]
    assert set(listed) == set(desktop.planned_files(tmp_path / "share"))
    assert all(p.exists() for p in listed)
    _validate(tmp_path / "share" / "applications" / "audio-explorer.desktop")
    out = subprocess.run([sys.executable, "-m", "explorer", "--uninstall-desktop"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and not any(p.exists() for p in listed)
    assert {Path(line.strip()) for line in out.stdout.splitlines()[1:]} == set(listed)
