"""What is said in each file, where the dataset has it: the four layouts speech datasets use.

- a `.txt` or `.lab` file with the same stem beside the audio (MFA, many TTS sets);
- LibriSpeech: `<speaker>-<chapter>.trans.txt` in the audio's folder, lines `ID TEXT`;
- LJSpeech: `metadata.csv` in the audio's folder or above, lines `ID|raw text|normalised text`;
- Common Voice: `*.tsv` in the audio's folder or above, with `path` and `sentence` columns.
The nearest source wins, in that order.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path

SIDECAR_SUFFIXES = (".txt", ".lab")
LJSPEECH_FILE = "metadata.csv"


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def librispeech(folder: Path) -> dict[str, str]:
    """ID -> text of every `*.trans.txt` of a folder."""
    out: dict[str, str] = {}
    for trans in sorted(folder.glob("*.trans.txt")):
        for line in (_read_text(trans) or "").splitlines():
            key, _, text = line.strip().partition(" ")
            if key and text:
                out[key] = text.strip()
    return out


def ljspeech(path: Path) -> dict[str, str]:
    """ID -> text of an LJSpeech metadata.csv (the normalised column when there is one)."""
    out: dict[str, str] = {}
    for line in (_read_text(path) or "").splitlines():
        parts = line.rstrip("\r\n").split("|")
        if len(parts) < 2 or not parts[0]:
            continue
        text = parts[2] if len(parts) > 2 and parts[2].strip() else parts[1]
        out[parts[0].strip()] = text.strip()
    return out


def common_voice(path: Path) -> dict[str, str]:
    """File name (and stem) -> sentence of a Common Voice .tsv; {} when it lacks the columns."""
    out: dict[str, str] = {}
    text = _read_text(path)
    if not text:
        return out
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not rows.fieldnames or "path" not in rows.fieldnames or "sentence" not in rows.fieldnames:
        return out
    for row in rows:
        name, sentence = (row.get("path") or "").strip(), (row.get("sentence") or "").strip()
        if name and sentence:
            out.setdefault(name, sentence)
            out.setdefault(Path(name).stem, sentence)
    return out


class _Tables:
    """The metadata files of each folder, parsed once per `find_transcripts` call."""

    def __init__(self) -> None:
        self.libri: dict[Path, dict[str, str]] = {}
        self.tables: dict[Path, list[dict[str, str]]] = {}

    def librispeech(self, folder: Path) -> dict[str, str]:
        if folder not in self.libri:
            self.libri[folder] = librispeech(folder)
        return self.libri[folder]

    def above(self, folder: Path) -> list[dict[str, str]]:
        """LJSpeech and Common Voice tables of this folder (LJSpeech first)."""
        if folder not in self.tables:
            found = []
            lj = folder / LJSPEECH_FILE
            if lj.is_file():
                found.append(ljspeech(lj))
            for tsv in sorted(folder.glob("*.tsv")):
                table = common_voice(tsv)
                if table:
                    found.append(table)
            self.tables[folder] = found
        return self.tables[folder]


def _ancestors(path: Path, root: Path | None) -> list[Path]:
    """The audio's folder and those above it, up to root (only the folder without a root)."""
    folders = [path.parent]
    if root is None:
        return folders
    try:
        path.parent.relative_to(root)
    except ValueError:
        return folders
    here = path.parent
    while here != root and here.parent != here:
        here = here.parent
        folders.append(here)
    return folders


def find_transcripts(paths: Iterable[str | Path], root: str | Path | None = None) -> dict[Path, str]:
    """The transcript of each audio path that has one (paths without one are left out)."""
    tables = _Tables()
    root = Path(root) if root is not None else None
    out: dict[Path, str] = {}
    for path in map(Path, paths):
        text = _sidecar(path)
        if text is None:
            text = tables.librispeech(path.parent).get(path.stem)
        if text is None:
            for folder in _ancestors(path, root):
                for table in tables.above(folder):
                    text = table.get(path.name) or table.get(path.stem)
                    if text is not None:
                        break
                if text is not None:
                    break
        if text:
            out[path] = text
    return out


def _sidecar(path: Path) -> str | None:
    from explorer.model.annotations.store import is_label_file  # (the label formats: on use)

    for suffix in SIDECAR_SUFFIXES:
        side = path.with_suffix(suffix)
        if side.is_file() and not side.name.endswith(".trans.txt"):
            if suffix == ".txt" and is_label_file(side):
                continue  # an Audacity label track beside the audio: labels, not what is said
            text = _read_text(side)
            if text is not None and text.strip():
                return " ".join(text.split())
    return None
