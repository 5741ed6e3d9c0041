"""Audio clips: loading files (header facts or full decode), mono mixing and resampling."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from explorer.model.decode import Decoder, finite, join_warnings, measure, non_finite_text
from explorer.model.errors import AudioFileError
from explorer.model.names import shown

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
    #: what the header gets wrong (it promises more than the file holds...), shown to the user
    warning: str | None = None

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
            "warning": self.warning,
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
    #: what is wrong with the source (a lying header, NaN/inf samples), shown to the user
    warning: str | None = None
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
            name=f"{self.name} @ {sample_rate} Hz", non_finite=self.non_finite, warning=self.warning,
        )

    def slice(self, start: float = 0.0, end: float | None = None) -> AudioClip:
        """The part between two times in seconds (clamped to the clip)."""
        a = max(0, min(self.frames, int(round(start * self.sample_rate))))
        b = self.frames if end is None else max(a, min(self.frames, int(round(end * self.sample_rate))))
        return AudioClip(self.samples[a:b], self.sample_rate, path=self.path, format=self.format,
                         subtype=self.subtype, name=self.name, warning=self.warning)

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
    if not np.isfinite(samples).all():
        samples = samples.copy()  # the caller's array stays as it was
    count = finite(samples)
    return AudioClip(samples, sample_rate, name=name, format="", subtype="FLOAT", non_finite=count,
                     warning=non_finite_text(count) if count else None)


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


def info(path: str | Path) -> AudioInfo:
    """Header facts with the frames libsndfile really decodes (no full decode unless the header
    lies); raises `AudioFileError` for anything unusable."""
    path = Path(path)
    _check_path(path)
    facts = measure(path)
    if facts.frames <= 0:
        raise AudioFileError(path, "contains no audio frames")
    if facts.sample_rate <= 0 or facts.channels <= 0:
        raise AudioFileError(path, f"unusable header ({facts.sample_rate} Hz, {facts.channels} channels)")
    return AudioInfo(
        path=path, sample_rate=facts.sample_rate, frames=facts.frames, channels=facts.channels,
        format=facts.format, subtype=facts.subtype, format_info=facts.format_info,
        subtype_info=facts.subtype_info, warning=facts.warning,
    )


def load(path: str | Path, sr: int | None = None) -> AudioClip:
    """Decode every channel as float32 (the frames `info` found, never the header's unchecked
    count); `sr` resamples as `librosa.load(path, sr=sr)` would."""
    facts = info(path)
    data = np.empty((facts.frames, facts.channels), np.float32)
    with Decoder(facts.path) as decoder:
        got = decoder.read_into(data)
        error, count = decoder.error, decoder.non_finite
    if got == 0:
        raise AudioFileError(facts.path, f"unreadable audio ({error})" if error
                             else "contains no audio frames")
    warning = facts.warning
    if got < facts.frames:  # the data changed, or a compressed stream broke before its last frame
        data = data[:got].copy()
        warning = join_warnings(warning, f"decoding stopped after {got:,} of {facts.frames:,} "
                                         f"frames ({error or 'the file ends early'})")
    clip = AudioClip(data, facts.sample_rate, path=facts.path, format=facts.format,
                     subtype=facts.subtype, non_finite=count,
                     warning=join_warnings(warning, non_finite_text(count) if count else None))
    return clip.resample(sr) if sr else clip
