"""A folder of recordings: which files are audio, in a stable, human order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from explorer.model.clip import AUDIO_EXTENSIONS


def is_audio_path(path: str | Path) -> bool:
    """True for a file whose ending names an audio format libsndfile reads."""
    path = Path(path)
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".")


def natural_key(path: Path) -> list:
    """Sort key that puts 'clip2' before 'clip10', as file managers do."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def scan_folder(folder: str | Path, recursive: bool = False) -> list[Path]:
    """The audio files in a folder (and its sub-folders when recursive), naturally sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder")
    candidates: Iterable[Path] = folder.rglob("*") if recursive else folder.iterdir()
    files = [p for p in candidates if p.is_file() and is_audio_path(p)]
    if recursive:
        return sorted(files, key=lambda p: [natural_key(Path(part))
                                            for part in p.relative_to(folder).parts])
    return sorted(files, key=natural_key)
