"""Where the labels of an audio file live, and the store that never loses one.

- Label files beside the audio (same stem, a label ending: `.TextGrid`, `.selections.txt` and
  Raven's `.Table.N.selections.txt`, `.txt`, `.csv`) load automatically; a `.txt` or `.csv` that
  does not parse as labels (a transcript, a metadata table) is not labels.
- Edits are saved to a sidecar, `AUDIO_NAME.labels.json` beside the audio (the full name, so
  `a.wav` and `a.flac` keep theirs apart), or in an annotations folder when the audio's folder
  is read-only. JSON keeps everything every format has: tier order and kinds, empty tiers, boxes,
  extra columns, exact times.
- Between saves, every edit is a line of `AUDIO_NAME.labels.journal` beside the sidecar (see
  journal.py); after a crash, restore() replays it.
- The files the labels came from are never written, only the sidecar, unless save_as() is asked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from explorer.model.annotations.edits import Edit, EditError
from explorer.model.annotations.formats import (
    SUFFIXES,
    FormatError,
    format_module,
    guess_format,
    read_labels,
    write_labels,
)
from explorer.model.annotations.journal import Journal, digest, read_journal
from explorer.model.annotations.serial import annotations_from_dict, dumps
from explorer.model.annotations.tiers import Annotations, Tier
from explorer.model.atomic import write_bytes, write_error

SIDECAR_SUFFIX = ".labels.json"
JOURNAL_SUFFIX = ".labels.journal"


def default_annotations_dir() -> Path:
    """Where sidecars of audio in read-only folders go unless the user chose a folder:
    $AUDIO_EXPLORER_ANNOTATIONS_DIR, else $XDG_DATA_HOME/audio-explorer/annotations."""
    chosen = os.environ.get("AUDIO_EXPLORER_ANNOTATIONS_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "audio-explorer" / "annotations"


def sidecar_path(audio: Path, annotations_dir: Path | None = None) -> Path:
    """The sidecar beside the audio, or in `annotations_dir` (its name then carries a hash of the
    audio's folder, so that same-named files of different folders do not share one)."""
    audio = Path(audio)
    if annotations_dir is None:
        return audio.with_name(audio.name + SIDECAR_SUFFIX)
    folder = os.fsencode(os.path.abspath(audio.parent))
    tag = hashlib.sha256(folder).hexdigest()[:8]
    return Path(annotations_dir) / f"{audio.name}.{tag}{SIDECAR_SUFFIX}"


def journal_path(sidecar: Path) -> Path:
    return sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)] + JOURNAL_SUFFIX)


def folder_writable(folder: Path) -> bool:
    """May this process create files in `folder` (by its effective user, as the kernel asks)?"""
    effective = os.access in os.supports_effective_ids
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK, effective_ids=effective)


def _is_labels(path: Path) -> bool:
    """True when a file beside the audio parses as labels; a `.txt` must also have a tab on every
    line, as Audacity writes them (a transcript "42" is not a point at 42 s)."""
    try:
        ann = read_labels(path)
        if guess_format(path) == "audacity":
            lines = [x for x in path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if x.strip()]
            if not all("\t" in line for line in lines):
                return False
    except (FormatError, OSError, ValueError):
        return False
    return len(ann) > 0 or path.name.lower().endswith((".textgrid", ".selections.txt"))


def labels_beside(audio: Path) -> list[Path]:
    """The label files of `audio` in its folder: same stem and a label ending, in the order of
    SUFFIXES (Raven's `STEM.Table.N.selections.txt` too). A `.txt` or `.csv` counts only when it
    parses as labels; a `.TextGrid` or `.selections.txt` always (when damaged, load() says so)."""
    audio = Path(audio)
    found: list[Path] = []
    candidates = [audio.with_name(audio.stem + suffix) for suffix in SUFFIXES]
    with contextlib.suppress(OSError):
        candidates += sorted(audio.parent.glob(f"{_glob_escape(audio.stem)}.Table.*.selections.txt"))
    seen: set[str] = set()
    for path in candidates:
        if path.name in seen or path == audio or not path.is_file():
            continue
        seen.add(path.name)
        if path.name.lower().endswith((".textgrid", ".selections.txt")) or _is_labels(path):
            found.append(path)  # a damaged TextGrid is still labels: load() reports it
    return found


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def merge(parts: list[tuple[Path, Annotations]]) -> Annotations:
    """The tiers of several files as one. Edits name their tier, so names are made unique: a
    name met twice (in two files, or twice in one TextGrid) gets its file's name, then a number."""
    out = Annotations()
    for path, ann in parts:
        for tier in ann.tiers:
            name, n = tier.name, 1
            while out.has_tier(name):
                n += 1
                name = f"{tier.name} ({path.name})" + (f" {n - 1}" if n > 2 else "")
            out.tiers.append(Tier(name, tier.kind, list(tier.labels)))
        out.duration = out.duration if ann.duration is None else max(out.duration or 0, ann.duration)
        out.meta = {**ann.meta, **out.meta}
    return out


@dataclass(frozen=True)
class _Seen:
    """What a file was when read: its size, mtime and hash (changed_on_disk compares)."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, hashed: bool = True) -> _Seen | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, digest(path) if hashed else "")


class LabelStore:
    """The annotations of one audio file: loaded from its sidecar, else from the label files
    beside it; every edit journaled; save() writes the sidecar atomically."""

    def __init__(self, audio: Path, annotations_dir: Path | None = None,
                 sync_interval: float = 2.0) -> None:
        self.audio = Path(audio)
        self.annotations_dir = annotations_dir
        if folder_writable(self.audio.parent):
            self.sidecar = sidecar_path(self.audio)
        else:
            self.sidecar = sidecar_path(self.audio, annotations_dir or default_annotations_dir())
        self.journal = Journal(journal_path(self.sidecar), sync_interval)
        self.annotations = Annotations(file=self.audio.name)
        self.sources: list[Path] = []  # the files the labels were read from
        self.problems: list[str] = []  # label files beside the audio that could not be read
        self.skipped = 0  # journal lines restore() could not apply
        self.restored = 0  # edits restore() brought back
        self.dirty = False
        self._unreplayed = False  # a journal on disk that restore() has not replayed yet
        self._seen: dict[Path, _Seen | None] = {}

    # -- reading ----------------------------------------------------------------------------
    def sidecars(self) -> list[Path]:
        """Existing sidecars of this audio (beside it, in the annotations folder)."""
        places = [sidecar_path(self.audio), self.sidecar,
                  sidecar_path(self.audio, self.annotations_dir or default_annotations_dir())]
        out: list[Path] = []
        for path in places:
            if path not in out and path.is_file():
                out.append(path)
        return out

    def load(self) -> Annotations:
        """Read the newest sidecar, else the label files beside the audio."""
        self.problems = []
        failed: list[Path] = []
        found = self.sidecars()
        if found:
            newest = max(found, key=lambda p: p.stat().st_mtime_ns)
            ann = read_sidecar(newest)
            self.sources = [newest]
        else:
            parts = []
            for path in labels_beside(self.audio):
                try:
                    parts.append((path, read_labels(path)))
                except (FormatError, OSError, ValueError) as exc:
                    self.problems.append(str(exc))
                    failed.append(path)  # watched too: mended elsewhere, it is offered again
            ann = merge(parts)
            self.sources = [p for p, _ in parts]
        ann.file = self.audio.name
        self.annotations = ann
        self._unreplayed = self.journal.path.is_file()
        self._seen = {p: _Seen.of(p) for p in self.sources + (failed if not found else [])}
        self.dirty = False
        return ann

    def restore(self) -> int:
        """Replay the journal a crash left (after load()); returns how many edits came back.
        The restored state is saved to the sidecar at once; when that save fails (WriteError),
        the edits stay in memory and in the journal, which goes on."""
        path = self.journal.path
        self._unreplayed = False
        self.restored = 0
        if not path.is_file():
            return 0
        base, edits, damaged = read_journal(path)
        if base != digest(self.sidecar):  # the sidecar was saved after the journal (or lost)
            self.journal.discard()
            return 0
        restored = 0
        self.skipped = damaged
        for edit in edits:
            try:
                edit.apply(self.annotations)
                restored += 1
            except EditError:
                self.skipped += 1
        self.dirty = restored > 0
        self.restored = restored
        if not restored:
            self.journal.discard()
            return 0
        try:
            self.save()
        except OSError:
            self.journal.resume()
            raise
        return restored

    # -- editing ----------------------------------------------------------------------------
    def apply(self, edit: Edit) -> None:
        """Apply an edit (an undo is the inverse's apply) and journal it. A crash's journal not
        yet restored is replayed first: starting a new one must not drop its edits."""
        if self._unreplayed:
            self.restore()
        edit.apply(self.annotations)
        if not self.journal.is_open:
            _make_folder(self.journal.path)
            self.journal.start(digest(self.sidecar))
        self.journal.append(edit)
        self.dirty = True

    def flush(self) -> None:
        """fsync the journal now (the window calls this on a timer and when it closes)."""
        self.journal.flush()

    def sync_if_due(self) -> None:
        if self.journal.sync_due():
            self.journal.flush()

    # -- writing ----------------------------------------------------------------------------
    def save(self) -> Path:
        """Write the sidecar atomically, then drop the journal (it holds nothing more)."""
        _make_folder(self.sidecar)
        write_bytes(self.sidecar, dumps(self.annotations).encode("utf-8"))
        self.journal.discard()
        self.dirty = False
        self._seen[self.sidecar] = _Seen.of(self.sidecar)
        if self.sidecar not in self.sources:
            self.sources.append(self.sidecar)
        return self.sidecar

    def save_as(self, path: Path, fmt: str | None = None, **options) -> Path:
        """Write the labels in a format to a file the user named (this may replace their
        original file: the window asks first)."""
        path = Path(path)
        write_labels(self.annotations, path, fmt, **options)
        if path in self._seen:
            self._seen[path] = _Seen.of(path)
        return path

    def close(self) -> None:
        """Save what is unsaved and close the journal."""
        if self.dirty:
            self.save()
        self.journal.close()

    # -- watching ---------------------------------------------------------------------------
    def acknowledge(self, paths: list[Path]) -> None:
        """Take these files as they are now as read: no longer "changed" (the user kept the
        labels shown, or reloaded them by hand)."""
        for path in paths:
            self._seen[Path(path)] = _Seen.of(Path(path))

    def changed_on_disk(self) -> list[Path]:
        """The files the labels were read from (or saved to) that another program changed since:
        empty (false) when none. A file merely touched (same bytes) has not changed. The window
        offers to reload(), or acknowledge() to keep what it shows."""
        return self.changed_files()

    def changed_files(self) -> list[Path]:
        """The same list (a name that says it is one)."""
        changed = []
        for path, seen in self._seen.items():
            now = _Seen.of(path, hashed=False)  # hash only what stat says may have changed
            if seen is None or now is None:
                if seen != now:
                    changed.append(path)
                continue
            if (now.size, now.mtime_ns) != (seen.size, seen.mtime_ns) and digest(path) != seen.sha256:
                changed.append(path)
        return changed


def _make_folder(path: Path) -> None:
    """The folder of a file about to be written (an annotations folder may not exist yet)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(path, exc) from exc


def read_sidecar(path: Path) -> Annotations:
    """A sidecar's annotations; FormatError in words when it is damaged."""
    try:
        return annotations_from_dict(json.loads(Path(path).read_bytes().decode("utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise FormatError(f"{path.name}: a damaged labels file: {exc}") from None


__all__ = ["LabelStore", "labels_beside", "sidecar_path", "default_annotations_dir", "read_sidecar",
           "format_module", "guess_format"]
