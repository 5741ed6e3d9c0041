"""Spectrograms (STFT or mel, linear or dB) with librosa's defaults and librosa as the reference."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal

import numpy as np

from explorer.model import stft
from explorer.model.clip import AudioClip
from explorer.model.decode import finite, join_warnings, non_finite_text

DbRef = Literal["max", "min"] | float

WINDOWS = ("hann", "hamming", "blackman", "bartlett", "boxcar", "blackmanharris", "nuttall")


@dataclass(frozen=True)
class SpectrogramParams:
    """Everything that decides a spectrogram; defaults are librosa's."""

    kind: Literal["stft", "mel"] = "stft"
    n_fft: int = 2048
    hop_length: int = 512
    win_length: int | None = None
    window: str = "hann"
    center: bool = True
    n_mels: int = 128
    fmin: float = 0.0
    fmax: float | None = None
    power: float = 2.0
    db: bool = True
    db_ref: DbRef = "max"
    top_db: float | None = 80.0

    def __post_init__(self) -> None:
        if self.kind not in ("stft", "mel"):
            raise ValueError(f"kind must be 'stft' or 'mel', not {self.kind!r}")
        if self.n_fft < 2 or self.hop_length < 1:
            raise ValueError("n_fft must be >= 2 and hop_length >= 1")
        if self.win_length is not None and not 1 <= self.win_length <= self.n_fft:
            raise ValueError(f"win_length must be between 1 and n_fft ({self.n_fft})")
        if self.power not in (1.0, 2.0):
            raise ValueError(f"power must be 1 (magnitude) or 2 (power), not {self.power}")
        if isinstance(self.db_ref, str) and self.db_ref not in ("max", "min"):
            raise ValueError(f"db_ref must be 'max', 'min' or a number, not {self.db_ref!r}")
        if not isinstance(self.db_ref, str) and not float(self.db_ref) > 0:
            raise ValueError("a numeric db_ref must be positive")
        if self.top_db is not None and self.top_db < 0:
            raise ValueError("top_db must be non-negative")
        if self.n_mels < 1:
            raise ValueError("n_mels must be >= 1")

    @classmethod
    def notebook(cls) -> SpectrogramParams:
        """The notebook's pipeline: magnitude STFT -> mel of the magnitude -> dB, ref=np.min."""
        return cls(kind="mel", power=1.0, db_ref="min")

    def with_(self, **changes) -> SpectrogramParams:
        return replace(self, **changes)

    def resolved_fmax(self, sample_rate: int) -> float:
        return float(self.fmax) if self.fmax is not None else sample_rate / 2.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SpectrogramStats:
    shape: tuple[int, int]
    min: float
    max: float
    mean: float

    @classmethod
    def of(cls, values: np.ndarray) -> SpectrogramStats:
        if values.size == 0:
            return cls(tuple(values.shape), float("nan"), float("nan"), float("nan"))
        return cls(
            (int(values.shape[0]), int(values.shape[1])),
            float(np.min(values)), float(np.max(values)),
            float(np.mean(values, dtype=np.float64)),
        )

    def to_dict(self) -> dict:
        """As JSON takes it: a value that is not finite (an empty array's) is None, never NaN."""
        def number(x: float) -> float | None:
            return x if np.isfinite(x) else None

        return {"shape": list(self.shape), "min": number(self.min), "max": number(self.max),
                "mean": number(self.mean)}


@dataclass(eq=False)
class Spectrogram:
    """A 2-D array (bins x frames) with its axes: rows are frequencies, columns are times."""

    values: np.ndarray
    frequencies: np.ndarray
    times: np.ndarray
    params: SpectrogramParams
    sample_rate: int
    stats: SpectrogramStats
    #: what is wrong with the source (a lying header, NaN/inf samples), for the user
    warning: str | None = None

    @property
    def unit(self) -> str:
        if self.params.db:
            return "dB"
        return "magnitude" if self.params.power == 1.0 else "power"


def db_reference(params: SpectrogramParams):
    """The `ref` argument librosa's dB functions take for these parameters."""
    if params.db_ref == "max":
        return np.max
    if params.db_ref == "min":
        return np.min
    return float(params.db_ref)


def to_db(linear: np.ndarray, params: SpectrogramParams) -> np.ndarray:
    """amplitude_to_db for power 1, power_to_db for power 2, with the chosen ref and top_db."""
    return stft.to_db_inplace(np.array(linear, dtype=np.float32), params.power,
                              db_reference(params), params.top_db)


def frequencies_for(params: SpectrogramParams, sample_rate: int) -> np.ndarray:
    """Centre frequency in Hz of each row: FFT bins, or the mel filters' centres."""
    if params.kind == "stft":
        return stft.fft_frequencies(sample_rate, params.n_fft)
    edges = stft.mel_frequencies(params.n_mels + 2, params.fmin, params.resolved_fmax(sample_rate))
    return edges[1:-1]


def linear_spectrogram(source: stft.SampleSource, params: SpectrogramParams,
                       progress: stft.Progress | None = None, cancelled=None,
                       workers: int | None = None) -> np.ndarray:
    """|STFT|**power, then the mel filter bank for kind='mel', block by block."""
    projection = None
    if params.kind == "mel":
        projection = stft.mel_basis(source.sample_rate, params.n_fft, params.n_mels, params.fmin,
                                    params.resolved_fmax(source.sample_rate))
    return stft.linear_spectrogram(
        source, n_fft=params.n_fft, hop_length=params.hop_length, win_length=params.win_length,
        window=params.window, center=params.center, power=params.power, projection=projection,
        progress=progress, cancelled=cancelled, workers=workers,
    )


def from_source(source: stft.SampleSource, params: SpectrogramParams | None = None,
                progress: stft.Progress | None = None, cancelled=None,
                workers: int | None = None) -> Spectrogram:
    """The spectrogram of any sample source (an array, or a file read block by block);
    `workers`: STFT threads (all cores by default; 1 inside worker processes)."""
    params = params or SpectrogramParams()
    if source.frames == 0:
        raise ValueError("cannot compute a spectrogram of an empty signal")
    values = linear_spectrogram(source, params, progress, cancelled, workers)
    if params.db:
        stft.to_db_inplace(values, params.power, db_reference(params), params.top_db)
    sr = source.sample_rate
    times = np.arange(values.shape[1]) * (params.hop_length / sr)
    return Spectrogram(
        values=values, frequencies=frequencies_for(params, sr), times=times,
        params=params, sample_rate=sr, stats=SpectrogramStats.of(values),
    )


def compute(
    source: AudioClip | np.ndarray, params: SpectrogramParams | None = None,
    sample_rate: int | None = None, channel: int | None = None,
) -> Spectrogram:
    """Spectrogram of a clip (its mono mix, or one channel) or of a 1-D array with its rate."""
    warning = None
    if isinstance(source, AudioClip):
        y = source.mono() if channel is None else source.channel(channel)
        sample_rate, warning = source.sample_rate, source.warning
    else:
        if sample_rate is None:
            raise ValueError("a sample rate is needed with a bare array")
        y = np.asarray(source, dtype=np.float32)
        if y.ndim != 1:
            raise ValueError("pass a 1-D array (one channel)")
    y = np.asarray(y, dtype=np.float32)
    if not np.isfinite(y).all():
        y = y.copy()
        count = finite(y)
        warning = join_warnings(warning, non_finite_text(count))
    spec = from_source(stft.ArraySource(y, sample_rate), params)
    spec.warning = warning
    return spec


def compute_file(path, params: SpectrogramParams | None = None, sr: int | None = None,
                 progress: stft.Progress | None = None, cancelled=None,
                 workers: int | None = None) -> Spectrogram:
    """Spectrogram of a file's mono mix, read block by block (a whole decode only to resample)."""
    from explorer.model.clip import info, load

    facts = info(path)
    if sr and sr != facts.sample_rate:
        clip = load(path, sr=sr)
        spec = from_source(stft.ArraySource(clip.mono(), sr), params, progress, cancelled, workers)
        spec.warning = clip.warning
        return spec
    with stft.FileSource(facts.path, frames=facts.frames) as source:
        spec = from_source(source, params, progress, cancelled, workers)
        count = source.non_finite
    spec.warning = join_warnings(facts.warning, non_finite_text(count) if count else None)
    return spec
