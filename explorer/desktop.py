"""Desktop integration for the current user (XDG): launcher, icons and the audio file association.

`audio-explorer --install-desktop` writes exactly the files `planned_files()` names and refreshes
the desktop's caches with the standard tools; `--uninstall-desktop` removes those same files.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from explorer.resources import resources_dir

APP_ID = "audio-explorer"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share as the XDG base directory spec says."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def gui_command() -> list[str]:
    """How the launcher starts the app without a terminal: the gui-script beside this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    bindir = Path(sys.executable).parent
    for name in ("audio-explorer-gui", "audio-explorer-gui.exe"):
        if (bindir / name).exists():
            return [str(bindir / name)]
    return [sys.executable, "-m", "explorer"]


def _exec_quote(arg: str) -> str:
    """Quote an argument for a .desktop Exec key (the spec's reserved characters)."""
    if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def desktop_entry(command: list[str] | None = None) -> str:
    """The bundled .desktop entry with Exec/TryExec pointing at this installation."""
    command = command or gui_command()
    lines = []
    for line in (resources_dir() / "desktop" / f"{APP_ID}.desktop").read_text().splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(_exec_quote(a) for a in command) + " %F"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def planned_files(home: Path | None = None) -> list[Path]:
    """Every file the install writes (and the uninstall removes), nothing else."""
    home = home or data_home()
    files = [home / "applications" / f"{APP_ID}.desktop",
             home / "mime" / "packages" / f"{APP_ID}.xml",
             home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"]
    files += [home / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in ICON_SIZES]
    return files


def _refresh_caches(home: Path) -> None:
    """Let the desktop see the change; each tool is optional and its failure is not ours."""
    for tool, target in (("update-desktop-database", home / "applications"),
                         ("update-mime-database", home / "mime"),
                         ("gtk-update-icon-cache", home / "icons" / "hicolor")):
        if shutil.which(tool) and target.is_dir():
            args = [tool, "-f", "-t", str(target)] if tool == "gtk-update-icon-cache" else [tool, str(target)]
            subprocess.run(args, capture_output=True, timeout=60, check=False)


def install(home: Path | None = None) -> list[Path]:
    """Install the launcher, icons and MIME association for this user; returns the files written."""
    from explorer.model import atomic

    home = home or data_home()
    source = resources_dir()
    files = planned_files(home)
    desktop, mime, svg, *pngs = files
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(desktop, desktop_entry())
    atomic.write_bytes(mime, (source / "desktop" / f"{APP_ID}-mime.xml").read_bytes())
    atomic.write_bytes(svg, (source / "icons" / f"{APP_ID}.svg").read_bytes())
    for size, png in zip(ICON_SIZES, pngs, strict=True):
        atomic.write_bytes(png, (source / "icons" / f"{APP_ID}-{size}.png").read_bytes())
    _refresh_caches(home)
    return files


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files that were there and are now gone."""
    home = home or data_home()
    removed = []
    for path in planned_files(home):
        if path.exists():
            path.unlink()
            removed.append(path)
    _refresh_caches(home)
    return removed


def launcher_command_line(home: Path | None = None) -> list[str]:
    """The installed entry's Exec line as argv (with %F dropped): what a file manager runs."""
    text = (planned_files(home)[0]).read_text()
    exec_line = next(line[5:] for line in text.splitlines() if line.startswith("Exec="))
    return [a for a in shlex.split(exec_line) if a not in ("%F", "%f", "%U", "%u")]
