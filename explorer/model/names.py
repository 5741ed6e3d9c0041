"""File names as the system stores them (any bytes) versus as people read them.

Python keeps bytes that are not UTF-8 (a Latin-1 `caf\\xe9.wav`) as lone surrogates in str paths;
they work with `os` and `open` but not with libsndfile's str paths, Qt or a UTF-8 terminal.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def sf_name(path: str | Path) -> str | bytes:
    """What to give soundfile: the str when it is valid Unicode, else the raw bytes."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def shown(path: str | Path) -> str:
    """The name to show: undecodable bytes become U+FFFD (the replacement character)."""
    return os.fsencode(os.fspath(path)).decode("utf-8", "replace")


def terminal_safe(text: str) -> str:
    """Control characters (newline, CR, TAB, ESC...) as visible escapes: one line, no terminal
    commands smuggled in a file name."""
    return _CONTROLS.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
