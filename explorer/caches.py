"""The user's cache folder, and numba's compiled code kept in it so librosa compiles only once.

Imports nothing heavy: `explorer.__main__` calls `persist_numba_cache()` before numpy, librosa or
numba are imported (numba reads NUMBA_CACHE_DIR once, when it is first imported).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """The app's cache folder: AUDIO_EXPLORER_CACHE_DIR, else platformdirs', else XDG's."""
    override = os.environ.get("AUDIO_EXPLORER_CACHE_DIR")
    if override:
        return Path(override)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("audio-explorer", appauthor=False))
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "audio-explorer"


def persist_numba_cache() -> str:
    """Point numba's cache at <user cache>/numba unless NUMBA_CACHE_DIR is set; return the folder.

    librosa's jitted functions are declared cache=True, but numba writes their cache next to
    librosa's sources, which an installed app may not be allowed to write (then numba falls back
    to its own folder, or recompiles every launch: ~15 s). One known folder of ours persists it."""
    folder = os.environ.get("NUMBA_CACHE_DIR")
    if not folder:
        folder = str(user_cache_dir() / "numba")
        os.environ["NUMBA_CACHE_DIR"] = folder
    return folder
