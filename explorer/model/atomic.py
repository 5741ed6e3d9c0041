"""The one way the app and the command write files: all or nothing, and failures in plain words.

Every write goes to a hidden temporary file in the destination's folder
(`.NAME.PID.RANDOM.part`), is flushed and fsynced, then renamed over the destination with
`os.replace` (and the folder fsynced). A failed or interrupted write removes the temporary file:
the old file stays byte-identical and no partial or empty file appears under the final name.
Temporary files of killed processes are removed by `remove_stale_temps`.

Failures raise `WriteError` (an OSError): one line naming the path and the cause in words
("disk full", "read-only file system", "permission denied"...).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from explorer.model.names import shown

TEMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.part$")

#: errno -> what a user reads. Errors that fail every later write in the same folder are `FATAL`.
REASONS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "file name too long",
    errno.EFBIG: "file too large for this file system",
    errno.EIO: "input/output error (the disk or its connection failed)",
}
FATAL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class WriteError(OSError):
    """A file could not be written; str() is one line: the path and the reason in words."""

    def __init__(self, path: str | Path, reason: str, code: int | None = None) -> None:
        super().__init__(code, reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {shown(self.path)}: {self.reason}"

    def __reduce__(self):  # OSError pickles (errno, strerror): keep our own arguments
        return (type(self), (self.path, self.reason, self.errno))

    @property
    def fatal(self) -> bool:
        """True when every other file written to the same folder would fail the same way."""
        return self.errno in FATAL


def _probe(folder: Path) -> int | None:
    """The errno the folder's state explains, for errors that lost theirs (libsndfile, numpy)."""
    try:
        st = os.statvfs(folder)
    except OSError as exc:
        return exc.errno
    if st.f_flag & os.ST_RDONLY:
        return errno.EROFS
    free = st.f_bfree if os.geteuid() == 0 else st.f_bavail
    if free * st.f_frsize < 64 * 1024 or (st.f_files and st.f_favail == 0):
        return errno.ENOSPC
    if not os.access(folder, os.W_OK):
        return errno.EACCES
    return None


def write_error(path: str | Path, exc: BaseException, folder: Path | None = None) -> WriteError:
    """The WriteError saying why writing `path` failed with `exc`, in words."""
    if isinstance(exc, WriteError):
        return exc
    path = Path(path)
    code = exc.errno if isinstance(exc, OSError) and exc.errno in REASONS else None
    if code is None and isinstance(exc, (OSError, RuntimeError)):  # an I/O error that lost its
        code = _probe(folder or path.parent)                       # errno (numpy, libsndfile)
    if code in REASONS:
        return WriteError(path, REASONS[code], code)
    if isinstance(exc, OSError) and exc.errno:
        return WriteError(path, os.strerror(exc.errno).lower(), exc.errno)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return WriteError(path, text)


def temp_path(dst: Path) -> Path:
    """A hidden, unique temporary name beside dst (the pattern `remove_stale_temps` knows)."""
    return dst.with_name(f".{dst.name}.{os.getpid()}.{secrets.token_hex(4)}.part")


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; some file systems cannot fsync folders (that is fine)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(dst: str | Path) -> Iterator[Path]:
    """A temporary path to write (by name: libsndfile, Qt); on a normal exit it is fsynced and
    renamed over dst. Any exception removes it and raises WriteError (KeyboardInterrupt and
    cancellation propagate as they are)."""
    dst = Path(dst)
    if dst.is_symlink():  # write where the link points, keep the link
        dst = Path(os.path.realpath(dst))
    tmp = temp_path(dst)
    try:
        yield tmp
        mode = None
        with contextlib.suppress(OSError):
            mode = dst.stat().st_mode & 0o7777
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:  # a replaced file keeps its permissions
            os.chmod(tmp, mode)
        os.replace(tmp, dst)
    except (KeyboardInterrupt, InterruptedError, SystemExit):
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except BaseException as exc:
        error = write_error(dst, exc)  # before the unlink: a full disk is still full
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise error from exc
    _fsync_dir(dst.parent)


def atomic_write(dst: str | Path, write: Callable[[BinaryIO], Any]) -> Path:
    """Write through `write(file)` (a binary file object) atomically; returns dst."""
    with atomic_path(dst) as tmp:
        with open(tmp, "xb") as f:
            write(f)
            f.flush()
    return Path(dst)


def write_bytes(dst: str | Path, data: bytes) -> Path:
    return atomic_write(dst, lambda f: f.write(data))


def write_text(dst: str | Path, text: str) -> Path:
    return write_bytes(dst, text.encode("utf-8"))


def save_npy(dst: str | Path, array: np.ndarray) -> Path:
    """np.save, atomically (no pickles)."""
    return atomic_write(dst, lambda f: np.save(f, array, allow_pickle=False))


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[list[int]]:
    """Ctrl+C held back while C code calls back into Python (an exception raised in a cffi
    callback is printed and lost): the list fills when it came; it is delivered on exit."""
    import signal
    import threading

    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) == signal.SIG_IGN):
        yield []
        return
    came: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        yield came
    finally:
        signal.signal(signal.SIGINT, old)
    if came:  # the write was cut short: it must not be renamed into place
        if callable(old) and old is not signal.default_int_handler:
            old(signal.SIGINT, None)
        raise KeyboardInterrupt


class _Tracked:
    """A file object for libsndfile's virtual I/O that keeps the OSError (and its errno) of a
    failed write instead of letting it die in the C callback, and stops writing at Ctrl+C."""

    def __init__(self, f: BinaryIO, stop: list[int]) -> None:
        self.f = f
        self.stop = stop
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is not None or self.stop:
            return 0
        try:
            return self.f.write(data) or 0
        except OSError as exc:
            self.error = exc
            return 0

    def read(self, size: int = -1) -> bytes:
        try:
            return self.f.read(size)
        except OSError as exc:
            self.error = self.error or exc
            return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        try:
            return self.f.seek(offset, whence)
        except OSError as exc:
            self.error = self.error or exc
            return -1

    def tell(self) -> int:
        try:
            return self.f.tell()
        except OSError as exc:
            self.error = self.error or exc
            return -1


def write_sound(dst: str | Path, samples: np.ndarray, sample_rate: int, subtype: str | None = None,
                format: str = "WAV") -> Path:
    """An audio file (soundfile's formats and subtypes), atomically. Samples: frames (x channels),
    float in [-1, 1] or integers (written exactly)."""
    import soundfile as sf

    data = np.asarray(samples)
    channels = 1 if data.ndim == 1 else data.shape[1]
    with atomic_path(dst) as tmp, _sigint_deferred() as stop:
        with open(tmp, "xb", buffering=0) as raw:  # unbuffered: seeks never flush (and fail)
            tracked = _Tracked(raw, stop)
            try:
                with sf.SoundFile(tracked, "w", int(sample_rate), channels, subtype=subtype,
                                  format=format) as snd:
                    snd.write(data)
            except Exception:
                if stop:
                    return Path(dst)  # unreached: leaving _sigint_deferred raises
                if tracked.error is not None:
                    raise tracked.error from None
                raise
            if tracked.error is not None:  # libsndfile took a short write without complaint
                raise tracked.error
    return Path(dst)


def remove_stale_temps(folder: str | Path, recursive: bool = True) -> list[Path]:
    """Delete the temporary files that killed writers left (their process is gone)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    candidates = folder.rglob(".*.part") if recursive else folder.glob(".*.part")
    for path in candidates:
        match = TEMP_RE.match(path.name)
        if match and not _pid_alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
