"""A folder of recordings: which files are audio, in a stable, human order."""

from __future__ import annotations

import os
import re
from pathlib import Path

from explorer.model.clip import AUDIO_EXTENSIONS


def is_audio_path(path: str | Path) -> bool:
    """True for a file whose ending names an audio format libsndfile reads."""
    path = Path(path)
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".")


_DIGITS = re.compile(r"(\d+)")


def natural_key(path: Path | str) -> list:
    """Sort key that puts 'clip2' before 'clip10', as file managers do."""
    name = path if isinstance(path, str) else path.name
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]


class TooManyEntries(Exception):
    """The folder holds more entries than the caller wants to list where it stands."""


def scan_folder(folder: str | Path, recursive: bool = False,
                limit: int | None = None) -> list[Path]:
    """The audio files in a folder (and its sub-folders when recursive), naturally sorted.

    `limit`: raise TooManyEntries after that many entries of a (non-recursive) folder, so the
    window lists a small folder at once and hands a big one to a thread.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder")
    if recursive:
        files = [p for p in folder.rglob("*") if p.is_file() and is_audio_path(p)]
        return sorted(files, key=lambda p: [natural_key(part)
                                            for part in p.relative_to(folder).parts])
    names = []
    with os.scandir(folder) as entries:  # names and d_type: no stat per file on most systems
        for count, entry in enumerate(entries, 1):
            if limit is not None and count > limit:
                raise TooManyEntries(f"{folder}: more than {limit} entries")
            name = entry.name
            if (not name.startswith(".") and os.path.splitext(name)[1].lower() in AUDIO_EXTENSIONS
                    and entry.is_file()):
                names.append(name)
    names.sort(key=natural_key)
    return [folder / name for name in names]
