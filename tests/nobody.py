"""Unreadable folders as a user meets them, also when the tests run as root (CI), who reads all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

NOBODY = 65534


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """As root, act as 'nobody' for the block (root ignores permissions); as anyone else, as is."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@contextlib.contextmanager
def locked_folder(source: Path | None = None) -> Iterator[Path]:
    """A folder nobody may list (holding a copy of `source`), in a parent everyone may enter;
    not under root's private tmp_path, which 'nobody' could not even reach."""
    parent = Path(tempfile.mkdtemp(prefix="explorer-locked-"))
    try:
        parent.chmod(0o755)
        folder = parent / "locked"
        folder.mkdir()
        if source is not None:
            shutil.copy(source, folder / source.name)
        folder.chmod(0)
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(parent)
