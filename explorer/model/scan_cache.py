"""The scan cache: a file's measurements, kept while its path, size and mtime stay the same.

One SQLite file in the user's cache folder (platformdirs' when installed, else
$XDG_CACHE_HOME/audio-explorer; AUDIO_EXPLORER_CACHE_DIR overrides it). The cache is an
optimisation: when it cannot be read or written the scan measures everything and says nothing.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from explorer.caches import user_cache_dir
from explorer.model.measure import DATASET_FLAGS, MEASURE_VERSION, FileMeasurement

CACHE_FILE = "scan.sqlite3"
#: SQLite's limit on the parameters of one statement is 999 in old builds.
QUERY_BATCH = 500
#: Seconds a scan waits for another one writing the cache before giving up on it.
LOCK_TIMEOUT = 2.0


def cache_dir() -> Path:
    """Where the cache lives (created on first write)."""
    return user_cache_dir()


def file_key(path: str | Path) -> tuple[str, int, int] | None:
    """(absolute path, size, mtime_ns), or None when the file cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), st.st_size, st.st_mtime_ns


def _encode(row: FileMeasurement) -> str:
    data = row.to_row()
    for key, value in data.items():  # JSON has no infinity: keep it as text
        if isinstance(value, float) and not math.isfinite(value):
            data[key] = repr(value)
    return json.dumps(data, separators=(",", ":"))


def _decode(text: str) -> FileMeasurement:
    data = json.loads(text)
    for key, value in data.items():
        if value in ("inf", "-inf", "nan"):
            data[key] = float(value)
    return FileMeasurement.from_row(data)


def cacheable(row: FileMeasurement) -> FileMeasurement:
    """The part of a row that depends on the file alone (no transcript, no dataset flags)."""
    flags = [f for f in row.flag_list if f not in DATASET_FLAGS]
    return replace(row, transcript="", duplicate_of="").with_flags(flags)


class ScanCache:
    """Rows by file key; `get` then `put` (each opens the database for its own short while)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.path = Path(folder or cache_dir()) / CACHE_FILE

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if not create and not self.path.exists():
            return None
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)
            db.execute("CREATE TABLE IF NOT EXISTS rows (path TEXT PRIMARY KEY, size INTEGER, "
                       "mtime_ns INTEGER, version INTEGER, row TEXT)")
            return db
        except (OSError, sqlite3.Error):
            return None

    def get(self, paths: Sequence[str | Path]) -> dict[str, FileMeasurement]:
        """The cached row of every path whose size and mtime are unchanged, keyed by str(path)."""
        keys = {}
        for path in paths:
            key = file_key(path)
            if key is not None:
                keys[key[0]] = (str(path), key)
        db = self._connect(create=False)
        if db is None or not keys:
            return {}
        found: dict[str, FileMeasurement] = {}
        try:
            with contextlib.closing(db):
                names = list(keys)
                for start in range(0, len(names), QUERY_BATCH):
                    batch = names[start:start + QUERY_BATCH]
                    marks = ",".join("?" * len(batch))
                    for abspath, size, mtime, version, text in db.execute(
                            f"SELECT path, size, mtime_ns, version, row FROM rows WHERE path IN ({marks})",
                            batch):
                        given, key = keys[abspath]
                        if (size, mtime, version) == (key[1], key[2], MEASURE_VERSION):
                            found[given] = replace(_decode(text), path=given)
        except (sqlite3.Error, ValueError, TypeError, KeyError):
            return found
        return found

    def put(self, rows: Iterable[FileMeasurement]) -> None:
        """Remember readable rows (an unreadable file is measured again: a permission fixed does
        not change its mtime)."""
        records = []
        for row in rows:
            if row.error:
                continue
            key = file_key(row.path)
            if key is not None:
                records.append((key[0], key[1], key[2], MEASURE_VERSION, _encode(cacheable(row))))
        if not records:
            return
        db = self._connect(create=True)
        if db is None:
            return
        with contextlib.suppress(sqlite3.Error), contextlib.closing(db), db:
            db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?)", records)
