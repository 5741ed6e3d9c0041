"""Audio clips: loading files (header facts or full decode), mono mixing and resampling."""

from __future__ import annotations

import errno
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from explorer.model.errors import AudioFileError
from explorer.model.names import sf_name, shown

#: File endings offered in file dialogs and folder scans (what libsndfile decodes).
AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".mp3")

RESAMPLE_TYPE = "soxr_hq"


@dataclass(frozen=True)
class AudioInfo:
    """Header facts of an audio file, read without decoding its samples."""

    path: Path
    sample_rate: int
    frames: int
    channels: int
    format: str
    subtype: str
    format_info: str = ""
    subtype_info: str = ""

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    def to_dict(self) -> dict:
        """The facts as `audio-explorer info --json` prints them."""
        return {
            "path": str(self.path),
            "sample_rate": self.sample_rate,
            "frames": self.frames,
            "duration": self.duration,
            "channels": self.channels,
            "format": self.format,
            "subtype": self.subtype,
        }


@dataclass(eq=False)
class AudioClip:
    """Samples as float32 (frames x channels) with their rate and where they came from."""

    samples: np.ndarray
    sample_rate: int
    path: Path | None = None
    format: str = ""
    subtype: str = ""
    name: str = ""
    #: How many NaN/inf samples the source held (they are replaced by 0 so nothing crashes).
    non_finite: int = 0
    _mono: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, np.newaxis]
        if samples.ndim != 2:
            raise ValueError(f"samples must be 1-D or frames x channels, got shape {samples.shape}")
        self.samples = samples
        self.sample_rate = int(self.sample_rate)
        if self.sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {self.sample_rate}")
        if not self.name:
            self.name = shown(self.path.name) if self.path is not None else "untitled"

    @property
    def frames(self) -> int:
        return self.samples.shape[0]

    @property
    def channels(self) -> int:
        return self.samples.shape[1]

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    @property
    def dtype(self) -> np.dtype:
        return self.samples.dtype

    def mono(self) -> np.ndarray:
        """The mean of the channels, exactly as `librosa.load(path, sr=None)` mixes them."""
        if self._mono is None:
            if self.channels == 1:
                self._mono = self.samples[:, 0]
            else:
                self._mono = np.mean(self.samples.T, axis=0)
        return self._mono

    def channel(self, index: int) -> np.ndarray:
        return self.samples[:, index]

    def resample(self, sample_rate: int) -> AudioClip:
        """Same sound at another sample rate (librosa's soxr_hq, as `librosa.load(sr=...)`)."""
        sample_rate = int(sample_rate)
        if sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {sample_rate}")
        if sample_rate == self.sample_rate:
            return self
        import librosa

        if self.frames == 0:
            out = np.zeros((0, self.channels), dtype=np.float32)
        else:
            out = librosa.resample(
                self.samples, orig_sr=self.sample_rate, target_sr=sample_rate,
                res_type=RESAMPLE_TYPE, axis=0,
            )
        return AudioClip(
            np.ascontiguousarray(out, dtype=np.float32), sample_rate, path=self.path,
            format=self.format, subtype=self.subtype,
            name=f"{self.name} @ {sample_rate} Hz", non_finite=self.non_finite,
        )

    def slice(self, start: float = 0.0, end: float | None = None) -> AudioClip:
        """The part between two times in seconds (clamped to the clip)."""
        a = max(0, min(self.frames, int(round(start * self.sample_rate))))
        b = self.frames if end is None else max(a, min(self.frames, int(round(end * self.sample_rate))))
        return AudioClip(self.samples[a:b], self.sample_rate, path=self.path, format=self.format,
                         subtype=self.subtype, name=self.name)

    def peak_dbfs(self) -> float:
        peak = float(np.max(np.abs(self.samples))) if self.samples.size else 0.0
        return 20 * np.log10(peak) if peak > 0 else float("-inf")

    def rms_dbfs(self) -> float:
        if not self.samples.size:
            return float("-inf")
        rms = float(np.sqrt(np.mean(np.square(self.samples, dtype=np.float64))))
        return 20 * np.log10(rms) if rms > 0 else float("-inf")


def from_array(samples: np.ndarray, sample_rate: int, name: str = "untitled") -> AudioClip:
    """A clip from samples made in memory (a tone, a recording)."""
    samples = np.asarray(samples, dtype=np.float32)
    bad = ~np.isfinite(samples)
    count = int(bad.sum())
    if count:
        samples = np.where(bad, np.float32(0), samples)
    return AudioClip(samples, sample_rate, name=name, format="", subtype="FLOAT", non_finite=count)


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise AudioFileError(path, "is a folder, not an audio file")
    if not path.exists():
        raise AudioFileError(path, "no such file")
    try:  # opening is the only true test: os.access asks for the real, not the effective, user
        with open(path, "rb"):
            pass
    except PermissionError:
        raise AudioFileError(path, "cannot be read (permission denied)") from None
    if path.stat().st_size == 0:
        raise AudioFileError(path, "empty file (0 bytes)")


def _wav_truncation(path: Path) -> tuple[int, int] | None:
    """(declared, present) data bytes when a RIFF/WAVE file is cut short, else None."""
    size = path.stat().st_size
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
                if chunk_size in (0, 0xFFFFFFFF):  # streaming writers leave the size open
                    return None
                return (chunk_size, present) if present < chunk_size else None
            pos += 8 + chunk_size + (chunk_size & 1)
    return None


def _soundfile_error(path: Path, exc: Exception) -> AudioFileError:
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.EACCES:
        return AudioFileError(path, "cannot be read (permission denied)")
    if "recognised" in text or "recognized" in text or "unknown format" in text.lower():
        return AudioFileError(path, "not an audio file (format not recognised)")
    return AudioFileError(path, f"unreadable audio ({text.split(':')[-1].strip() or text})")


def info(path: str | Path) -> AudioInfo:
    """Header facts only (no decode); raises `AudioFileError` for anything unusable."""
    path = Path(path)
    _check_path(path)
    try:
        meta = sf.info(sf_name(path))
    except Exception as exc:  # libsndfile reports every failure as a generic error
        raise _soundfile_error(path, exc) from exc
    if meta.frames <= 0:
        raise AudioFileError(path, "contains no audio frames")
    short = _wav_truncation(path)
    if short is not None:
        declared, present = short
        raise AudioFileError(
            path, f"truncated: the header promises {declared} bytes of audio, the file holds {present}"
        )
    return AudioInfo(
        path=path, sample_rate=int(meta.samplerate), frames=int(meta.frames),
        channels=int(meta.channels), format=meta.format, subtype=meta.subtype,
        format_info=meta.format_info, subtype_info=meta.subtype_info,
    )


def load(path: str | Path, sr: int | None = None) -> AudioClip:
    """Decode every channel as float32; `sr` resamples as `librosa.load(path, sr=sr)` would."""
    facts = info(path)
    try:
        data, rate = sf.read(sf_name(facts.path), dtype="float32", always_2d=True)
    except Exception as exc:
        raise _soundfile_error(facts.path, exc) from exc
    if data.shape[0] == 0:
        raise AudioFileError(facts.path, "contains no audio frames")
    bad = ~np.isfinite(data)
    count = int(bad.sum())
    if count:
        data[bad] = 0.0
    clip = AudioClip(data, rate, path=facts.path, format=facts.format, subtype=facts.subtype,
                     non_finite=count)
    return clip.resample(sr) if sr else clip
