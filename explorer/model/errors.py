"""The one exception the model raises for unusable audio files."""

from __future__ import annotations

from pathlib import Path


class AudioFileError(Exception):
    """A file that cannot be used as audio; the message names the file and what is wrong."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = reason
        if self.path is None:
            super().__init__(reason)
        else:
            from explorer.model.names import shown

            super().__init__(f"{shown(self.path)}: {reason}")
