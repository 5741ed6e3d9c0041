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


def librosa_dir() -> Path | None:
    """The folder of librosa's sources, found without importing librosa (None: not installed)."""
    from importlib.util import find_spec

    spec = find_spec("librosa")
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def persist_numba_cache(package_dir: Path | None = None) -> str | None:
    """Keep librosa's compiled code where it outlives the process; return the folder set, if any.

    librosa's jitted functions are declared cache=True and numba writes their cache to a
    __pycache__ next to librosa's sources. When that folder is writable (a virtual environment)
    nothing is changed. When it is not (an installed app), numba would fall back to its own
    ~/.cache/numba or recompile every launch (~15 s); NUMBA_CACHE_DIR then points at
    <user cache>/numba, our own folder. A NUMBA_CACHE_DIR set by the user is kept."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    package_dir = package_dir or librosa_dir()
    if package_dir is None or os.access(package_dir, os.W_OK):
        return None
    folder = str(user_cache_dir() / "numba")
    os.environ["NUMBA_CACHE_DIR"] = folder
    return folder
