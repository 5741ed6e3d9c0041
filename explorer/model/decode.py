"""What libsndfile really decodes: a frame count checked against the file, and finite samples.

A header can promise more than the file holds (a recorder that crashed, a cut download, a FLAC
file of unknown length, which libsndfile reports as 2**63-1 frames). Every reader opens files
here: the count is the header's only when its last frame decodes, else it is counted by decoding
in blocks; samples come from libsndfile's own read call (soundfile's `read` first asks for the
position, which a FLAC file of unknown length refuses) and NaN/inf are replaced by 0 (`finite`).
"""

from __future__ import annotations

import errno
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

from explorer.model.errors import AudioFileError
from explorer.model.names import sf_name

#: libsndfile's frame count of a FLAC file whose STREAMINFO leaves the length open (total 0).
UNKNOWN_FRAMES = 2**63 - 1
#: Bytes decoded at once while counting frames (any channel count: bounded memory).
COUNT_BYTES = 1 << 22
_SEEK_SET = 0


def finite(samples: np.ndarray, rows: list[tuple[int, int]] | None = None) -> int:
    """Replace NaN/inf by 0 in place and say how many there were (within `rows`, [start, stop)
    ranges of the first axis, when given): every reader's one sanitiser (a NaN reaches the FFT,
    the dB scale, JSON and the sound card otherwise)."""
    bad = ~np.isfinite(samples)
    if not bad.any():
        return 0
    samples[bad] = 0
    if rows is None:
        return int(np.count_nonzero(bad))
    return sum(int(np.count_nonzero(bad[lo:hi])) for lo, hi in rows)


def non_finite_text(count: int) -> str:
    return f"{count:,} NaN/inf samples replaced by 0"


def frames_text(count: int) -> str:
    return f"{count:,} frame" + ("" if count == 1 else "s")


def join_warnings(*parts: str | None) -> str | None:
    """Several warnings as one line (None when there are none)."""
    text = "; ".join(p for p in parts if p)
    return text or None


def soundfile_error(path: Path, exc: Exception) -> AudioFileError:
    """libsndfile's failure in words (it reports every failure as one generic error type)."""
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.EACCES:
        return AudioFileError(path, "cannot be read (permission denied)")
    if "recognised" in text or "recognized" in text or "unknown format" in text.lower():
        return AudioFileError(path, "not an audio file (format not recognised)")
    return AudioFileError(path, f"unreadable audio ({text.split(':')[-1].strip() or text})")


class Decoder:
    """A file opened for float32 frames exactly as libsndfile decodes them (not thread-safe).

    Reads call libsndfile's sf_readf_float / sf_seek through soundfile's own cffi binding
    (`soundfile._snd`, there since soundfile 0.10): soundfile's `read` asks sf_seek for the
    position first, which fails on FLAC of unknown length, and raises away the frames decoded
    before an error (a cut FLAC file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._file = sf.SoundFile(sf_name(self.path))
        except Exception as exc:
            raise soundfile_error(self.path, exc) from exc
        f = self._file
        #: what the header says (unchecked: `measure` gives the frames really there)
        self.header_frames = int(f.frames)
        self.channels, self.sample_rate = int(f.channels), int(f.samplerate)
        self.format, self.subtype = f.format, f.subtype
        self.format_info, self.subtype_info = f.format_info, f.subtype_info
        #: libsndfile's message when the last read stopped on an error, else None
        self.error: str | None = None
        #: NaN/inf samples replaced by 0 so far
        self.non_finite = 0
        # soundfile seeks before every read; some files (a FLAC file whose STREAMINFO block length
        # is off by one) decode nothing until libsndfile has sought once
        self.seek(0)

    def seek(self, frame: int) -> bool:
        """Move to a frame; False where libsndfile cannot (e.g. past the real end of a FLAC file)."""
        return sf._snd.sf_seek(self._file._file, int(frame), _SEEK_SET) == frame

    def read_into(self, out: np.ndarray, sanitise: bool = True) -> int:
        """Decode up to len(out) frames into `out` (C-contiguous frames x channels float32);
        how many came (fewer at the end, or where decoding stopped: see `error`)."""
        assert out.dtype == np.float32 and out.flags.c_contiguous and out.shape[1] == self.channels
        if len(out) == 0:
            return 0
        handle = self._file._file
        pointer = sf._ffi.cast("float *", out.__array_interface__["data"][0])
        got = max(0, int(sf._snd.sf_readf_float(handle, pointer, len(out))))
        code = sf._snd.sf_error(handle)
        self.error = None
        if code:
            text = sf._ffi.string(sf._snd.sf_strerror(handle)).decode("utf-8", "replace")
            self.error = text.removeprefix("Error : ").rstrip(".") or f"libsndfile error {code}"
        if sanitise and got:
            self.non_finite += finite(out[:got])
        return got

    def read(self, count: int, sanitise: bool = True) -> np.ndarray:
        """Up to `count` frames from the current position (frames x channels float32)."""
        out = np.empty((max(0, int(count)), self.channels), np.float32)
        return out[:self.read_into(out, sanitise)]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Decoder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class Measured:
    """A file's format facts with the frames libsndfile really decodes (and why, if the header
    says otherwise)."""

    frames: int
    header_frames: int
    sample_rate: int
    channels: int
    format: str
    subtype: str
    format_info: str
    subtype_info: str
    warning: str | None = None


def measure(path: str | Path) -> Measured:
    """The facts and the true frame count (cached while the file is unchanged)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise soundfile_error(path, exc) from exc
    return _measure(str(path), st.st_size, st.st_mtime_ns, st.st_ino)


@lru_cache(maxsize=4096)
def _measure(path: str, size: int, mtime_ns: int, inode: int) -> Measured:
    with Decoder(path) as d:
        header = d.header_frames
        facts = dict(sample_rate=d.sample_rate, channels=d.channels, format=d.format,
                     subtype=d.subtype, format_info=d.format_info, subtype_info=d.subtype_info)
        one = np.empty((1, d.channels), np.float32)
        # the first and the last frame decode (a FLAC file can seek past a broken first frame)
        trusted = 0 < header < UNKNOWN_FRAMES and d.read_into(one, sanitise=False) == 1 \
            and d.error is None and d.seek(header - 1) \
            and d.read_into(one, sanitise=False) == 1 and d.error is None
    frames, error = (header, None) if trusted or header <= 0 else _count(Path(path))
    if frames == 0 and error:
        raise AudioFileError(Path(path), f"unreadable audio ({error})")
    warning = None
    if frames and not trusted and header > 0:
        if error:
            promised = "" if header == UNKNOWN_FRAMES else f" of the {header:,} the header promises"
            warning = (f"decoding stopped after {frames_text(frames)}{promised} ({error}): "
                       f"showing the frames decoded")
        elif header == UNKNOWN_FRAMES:
            warning = f"the header does not give the length: counted {frames_text(frames)}"
        elif frames < header:
            warning = (f"the header promises {frames_text(header)}, the file holds {frames:,}: "
                       f"showing the {frames_text(frames)} present")
    sizes = wav_data_sizes(Path(path), size)
    if frames and sizes is not None and warning is None:
        declared, present = sizes
        warning = (f"the header promises {declared:,} bytes of audio, the file holds {present:,}: "
                   f"showing the {frames_text(frames)} present")
    return Measured(frames=frames, header_frames=header, warning=warning, **facts)


def _count(path: Path) -> tuple[int, str | None]:
    """Frames decoded from the start until libsndfile stops, in blocks of bounded size; and its
    error message if it stopped on one."""
    with Decoder(path) as d:
        block = np.empty((max(1, COUNT_BYTES // (4 * d.channels)), d.channels), np.float32)
        total = 0
        while True:
            got = d.read_into(block, sanitise=False)
            total += got
            if got == 0 or d.error:
                return total, d.error


def wav_data_sizes(path: Path, size: int | None = None) -> tuple[int, int] | None:
    """(declared, present) bytes of a RIFF/WAVE data chunk that promises more than the file holds;
    None otherwise (and for the open sizes 0 and 0xFFFFFFFF that streaming writers leave)."""
    size = os.path.getsize(path) if size is None else size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"data":
                present = size - (pos + 8)
                if chunk_size in (0, 0xFFFFFFFF):
                    return None
                return (chunk_size, present) if present < chunk_size else None
            pos += 8 + chunk_size + (chunk_size & 1)
    return None
