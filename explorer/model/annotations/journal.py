"""The journal of edits since the sidecar was last saved: one JSON line per edit, written to the
file at once (a SIGKILL loses nothing written) and fsynced at most every `interval` seconds or on
flush() (a power cut loses at most that). An append-only log cannot be replaced atomically, so
it is the one file written outside explorer.model.atomic; its failures are worded the same way.

The first line names the sidecar it applies to (a hash of its bytes, "" for none): a journal
whose sidecar was saved after it (a crash between the save and the journal's removal) is stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from explorer.model.annotations.edits import Edit, EditError
from explorer.model.atomic import write_error

JOURNAL_VERSION = 1


def digest(path: Path) -> str:
    """The hash of a file's bytes ("" when there is no file)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


class Journal:
    """Appends edits to `path`; opened on the first edit after a load or a save."""

    def __init__(self, path: Path, interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.interval = interval
        self.clock = clock
        self._fd: int | None = None
        self._synced_at = 0.0
        self._unsynced = 0

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    @property
    def unsynced(self) -> int:
        """Edits written but not yet fsynced."""
        return self._unsynced

    def start(self, base: str) -> None:
        """A new journal (replacing any) for the sidecar whose hash is `base`."""
        self.close()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
            self._write({"journal": JOURNAL_VERSION, "base": base})
            os.fsync(self._fd)
        except OSError as exc:
            self.close()
            raise write_error(self.path, exc) from exc
        self._synced_at = self.clock()

    def resume(self) -> None:
        """Go on appending to the journal on disk (a restore whose save failed: its lines stay)."""
        self.close()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise write_error(self.path, exc) from exc
        self._synced_at = self.clock()

    def append(self, edit: Edit) -> None:
        """Write the edit's line now; fsync when the last fsync is `interval` seconds old."""
        if self._fd is None:
            raise RuntimeError("the journal was not started")
        try:
            self._write(edit.to_json())
            self._unsynced += 1
            if self.clock() - self._synced_at >= self.interval:
                self.flush()
        except OSError as exc:
            raise write_error(self.path, exc) from exc

    def sync_due(self) -> bool:
        """True when edits wait for an fsync and `interval` has passed (a window timer asks)."""
        return self._unsynced > 0 and self.clock() - self._synced_at >= self.interval

    def flush(self) -> None:
        if self._fd is None:
            return
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise write_error(self.path, exc) from exc
        self._synced_at = self.clock()
        self._unsynced = 0

    def _write(self, obj: dict) -> None:
        data = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
            self._unsynced = 0

    def discard(self) -> None:
        """Close and delete (after a clean save: the sidecar holds everything)."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def read_journal(path: Path) -> tuple[str, list[Edit], int]:
    """(base hash, the edits, how many lines were damaged) of a journal; a torn last line (the
    kill came mid-write) counts as damaged."""
    base = ""
    edits: list[Edit] = []
    damaged = 0
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for index, raw in enumerate(lines):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
            if index == 0 and isinstance(obj, dict) and "journal" in obj:
                base = str(obj.get("base", ""))
                continue
            edits.append(Edit.from_json(obj))
        except (ValueError, EditError):
            damaged += 1
    return base, edits, damaged
