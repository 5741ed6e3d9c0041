"""One audio file -> one row of dataset measurements (levels, loudness, clipping, silence, band).

The per-file half of the dataset scan (`explorer.model.scan` adds the dataset-level flags): every
file is decoded by the project's one decoder (`clip.load`), so a lying header or NaN/inf samples
become flags here rather than crashes, and an unreadable file is a row with its reason.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from explorer.model.clip import AudioClip, load
from explorer.model.decode import non_finite_text
from explorer.model.errors import AudioFileError

# --- Thresholds (documented in the README, "Dataset scan") -----------------------------------------
#: |x| at or above this counts as "at full scale" (a 16-bit maximum is 0.99997; 0.999 allows gain).
CLIP_LEVEL = 0.999
#: Consecutive full-scale samples that make a clip: one or two are legal peaks, three are flat tops.
CLIP_RUN = 3
#: Share of clipped samples that flags a file: 1 in 10,000 is already audible crackle on peaks.
CLIPPED_FRACTION = 1e-4
#: Frame length (s) of the silence measure: short enough to see pauses between words.
SILENCE_FRAME = 0.05
#: A frame quieter than this (RMS, dBFS) is silence: below the noise floor of real recordings.
SILENCE_DBFS = -60.0
#: Share of silent frames from which a file is "mostly silent": more pause than sound.
MOSTLY_SILENT = 0.5
#: |mean| above this (1% of full scale, -40 dB) is a DC offset no microphone chain should leave.
DC_OFFSET_LIMIT = 0.01
#: How far below its maximum (dB) the long-term spectrum still counts as content.
BANDWIDTH_DB = 70.0
#: FFT size of the long-term spectrum (bins of ~8 Hz at 16 kHz, ~22 Hz at 44.1 kHz).
BANDWIDTH_N_FFT = 2048
#: Frames of the long-term spectrum at most, spread over the file: where a recording chain's band
#: ends is the same in every frame, so a few give it (and an hour costs what a clip does).
BANDWIDTH_FRAMES = 16
#: Content ending below this share of Nyquist: the file was stored at > 2x the rate it needs.
UPSAMPLED_RATIO = 0.5
#: The gating block of BS.1770 (s): shorter files have no integrated loudness.
LOUDNESS_BLOCK = 0.4
#: BS.1770 channel gains (L, R, C, Ls, Rs): pyloudnorm measures up to five channels.
LOUDNESS_GAINS = (1.0, 1.0, 1.0, 1.41, 1.41)

#: Flags decided from the file alone, in the order they are listed.
FILE_FLAGS = ("unreadable", "header_lies", "nan_values", "clipped", "silent", "mostly_silent",
              "dc_offset", "upsampled")
#: Flags decided from the whole dataset (`explorer.model.scan.apply_dataset_flags`).
DATASET_FLAGS = ("rate_differs", "channels_differ", "duration_outlier", "duplicate", "near_duplicate")
ALL_FLAGS = FILE_FLAGS + DATASET_FLAGS
#: Bump when a measurement changes: cached rows of older versions are measured again.
MEASURE_VERSION = 1


@dataclass(frozen=True)
class FileMeasurement:
    """One report row; the fields are the report's columns, in order (None: empty cell)."""

    path: str
    sample_rate: int | None = None
    channels: int | None = None
    frames: int | None = None
    duration: float | None = None
    format: str = ""
    subtype: str = ""
    peak_dbfs: float | None = None
    rms_dbfs: float | None = None
    loudness_lufs: float | None = None
    dc_offset: float | None = None
    clipped_fraction: float | None = None
    silence_fraction: float | None = None
    bandwidth_hz: float | None = None
    audio_hash: str = ""
    duplicate_of: str = ""
    transcript: str = ""
    flags: str = ""
    error: str = ""

    @property
    def flag_list(self) -> tuple[str, ...]:
        """The flags as a tuple (the column is `;`-separated text)."""
        return tuple(f for f in self.flags.split(";") if f)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flag_list

    @property
    def readable(self) -> bool:
        return not self.error

    def to_row(self) -> dict:
        """The row as a dict of the columns, in order (what the report writers take)."""
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict) -> FileMeasurement:
        return cls(**{f.name: row.get(f.name, f.default) for f in fields(cls)})

    def with_flags(self, flags) -> FileMeasurement:
        """A copy with these flags, put in the canonical order."""
        wanted = set(flags)
        return replace(self, flags=";".join(f for f in ALL_FLAGS if f in wanted))


#: The report's columns, in order.
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(FileMeasurement))


def preload() -> None:
    """Import what measuring needs (scipy.signal, scipy.fft, pyloudnorm: ~0.5 s) now, not on the
    first file; this module stays light to import for the window's table."""
    import pyloudnorm  # noqa: F401
    import scipy.fft  # noqa: F401
    import scipy.signal  # noqa: F401


def _db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 0 else float("-inf")


def peak_dbfs(samples: np.ndarray) -> float:
    return _db(float(np.max(np.abs(samples)))) if samples.size else float("-inf")


def rms_dbfs(samples: np.ndarray) -> float:
    if not samples.size:
        return float("-inf")
    flat = samples.reshape(-1)
    return _db(math.sqrt(max(0.0, float(np.dot(flat, flat))) / flat.size))  # BLAS, one pass


def clipped_fraction(samples: np.ndarray) -> float:
    """Share of samples in runs of CLIP_RUN or more consecutive |x| >= CLIP_LEVEL, per channel."""
    if not samples.size:
        return 0.0
    hot = np.abs(samples) >= CLIP_LEVEL
    if not hot.any():
        return 0.0
    count = 0
    for ch in range(hot.shape[1]):
        col = hot[:, ch]
        if not col.any():
            continue
        edges = np.diff(np.concatenate(([0], col.view(np.int8), [0])))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        runs = ends - starts
        count += int(runs[runs >= CLIP_RUN].sum())
    return count / samples.size


def silence_fraction(mono: np.ndarray, sample_rate: int) -> float:
    """Share of SILENCE_FRAME frames (the last one may be shorter) whose RMS < SILENCE_DBFS."""
    n = len(mono)
    if n == 0:
        return 1.0
    size = max(1, int(round(SILENCE_FRAME * sample_rate)))
    full = n // size
    power = []
    if full:
        block = mono[:full * size].reshape(full, size)
        power.append(np.einsum("ij,ij->i", block, block) / size)
    if n % size:
        power.append(np.array([np.mean(np.square(mono[full * size:], dtype=np.float64))]))
    p = np.concatenate(power)
    limit = 10.0 ** (SILENCE_DBFS / 10.0)  # on power: RMS < -60 dBFS <=> mean square < 1e-6
    return float(np.count_nonzero(p < limit)) / len(p)


@lru_cache(maxsize=8)
def _hann(n: int) -> np.ndarray:
    return np.hanning(n + 1)[:-1].astype(np.float32)


def long_term_spectrum(mono: np.ndarray, n_fft: int = BANDWIDTH_N_FFT) -> np.ndarray:
    """Mean power spectrum of back-to-back Hann frames, at most BANDWIDTH_FRAMES of them spread
    over the file (a short file is one zero-padded frame): where the band ends, not its detail."""
    mono = np.asarray(mono, np.float32)
    if len(mono) < n_fft:
        frames = np.zeros((1, n_fft), np.float32)
        frames[0, :len(mono)] = mono
    else:
        count = len(mono) // n_fft
        pick = np.unique(np.linspace(0, count - 1, min(count, BANDWIDTH_FRAMES)).astype(np.int64))
        frames = mono[:count * n_fft].reshape(count, n_fft)[pick]
    import scipy.fft  # single precision (numpy's rfft of float32 works in float64)

    spec = scipy.fft.rfft(frames * _hann(n_fft), axis=1)
    parts = spec.view(np.float32 if spec.dtype == np.complex64 else np.float64)
    return np.einsum("fbk,fbk->b", parts.reshape(len(frames), -1, 2), parts.reshape(len(frames), -1, 2)) \
        / len(frames)


def bandwidth_hz(mono: np.ndarray, sample_rate: int) -> float:
    """The highest frequency whose long-term power is within BANDWIDTH_DB of the maximum (0 when
    the file has no sound at all)."""
    power = long_term_spectrum(mono)
    top = float(power.max()) if power.size else 0.0
    if top <= 0:
        return 0.0
    above = np.flatnonzero(power >= top * 10.0 ** (-BANDWIDTH_DB / 10.0))
    return float(above[-1]) * sample_rate / BANDWIDTH_N_FFT


@lru_cache(maxsize=16)
def _k_weighting(rate: int) -> tuple[np.ndarray, np.ndarray]:
    """pyloudnorm's K-weighting (its two stages, the reference coefficients) as one filter."""
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    b, a = np.array([1.0]), np.array([1.0])
    for stage in meter._filters.values():
        b, a = np.convolve(b, stage.b), np.convolve(a, stage.a)
    return b, a


def loudness_lufs(samples: np.ndarray, rate: int) -> float | None:
    """BS.1770-4 integrated loudness exactly as pyloudnorm's `Meter.integrated_loudness` computes
    it (its filters, block bounds and gates), vectorised: its per-block Python loop dominated a
    scan. None when shorter than one block or more than five channels."""
    frames, channels = samples.shape
    if frames < LOUDNESS_BLOCK * rate or frames == 0 or channels > len(LOUDNESS_GAINS):
        return None
    from scipy.signal import lfilter

    b, a = _k_weighting(rate)
    step = 1.0 - 0.75
    count = int(np.round((frames / rate - LOUDNESS_BLOCK) / (LOUDNESS_BLOCK * step))) + 1
    j = np.arange(count)
    lo = np.minimum((LOUDNESS_BLOCK * (j * step) * rate).astype(np.int64), frames)
    hi = np.minimum((LOUDNESS_BLOCK * (j * step + 1) * rate).astype(np.int64), frames)
    # sums of squares between consecutive block edges, then each block's as a sum of those
    starts = np.unique(np.concatenate((lo, hi)))
    starts = starts[starts < frames]
    first, last = np.searchsorted(starts, lo), np.searchsorted(starts, hi)
    last[hi >= frames] = len(starts)
    z = np.empty((channels, count))
    cum = np.zeros(len(starts) + 1)
    for ch in range(channels):
        # pyloudnorm runs its two biquads in turn; one 4th-order filter differs by ~1e-12 LU
        y = lfilter(b, a, samples[:, ch].astype(np.float64))
        np.cumsum(np.add.reduceat(y * y, starts), out=cum[1:])
        z[ch] = (cum[last] - cum[first]) * (1.0 / (LOUDNESS_BLOCK * rate))
    gains = np.array(LOUDNESS_GAINS[:channels])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        block = -0.691 + 10.0 * np.log10(np.sum(gains * z, axis=0))
        gated = block >= -70.0
        if not gated.any():  # pyloudnorm: no block above -70 LUFS gives -inf
            return float("-inf")
        relative = -0.691 + 10.0 * np.log10(np.sum(gains[:, 0] * z[:, gated].mean(axis=1))) - 10.0
        keep = (block > relative) & (block > -70.0)
        if not keep.any():
            return float("-inf")
        return float(-0.691 + 10.0 * np.log10(np.sum(gains[:, 0] * z[:, keep].mean(axis=1))))


def audio_hash(samples: np.ndarray, sample_rate: int) -> str:
    """A hash of the decoded samples with their rate and channel count: equal audio in a WAV and
    a FLAC, or under two names, hashes the same."""
    h = hashlib.sha1(usedforsecurity=False)  # dedup, not security: SHA-1 is the fastest here
    h.update(f"{int(sample_rate)}:{samples.shape[1]}:".encode())
    h.update(memoryview(np.ascontiguousarray(samples, dtype=np.float32)).cast("B"))
    return h.hexdigest()


def _header_lies(clip: AudioClip) -> bool:
    """The decoder's warning says more than "NaN/inf replaced" (a header promising other frames,
    decoding stopped early)."""
    if not clip.warning:
        return False
    nan_text = non_finite_text(clip.non_finite) if clip.non_finite else None
    return any(part and part != nan_text for part in clip.warning.split("; "))


def measure_clip(clip: AudioClip, path: str | None = None) -> FileMeasurement:
    """The measurements and file-level flags of a decoded clip."""
    samples = clip.samples
    rate = clip.sample_rate
    mono = clip.mono()
    peak = peak_dbfs(samples)
    silence = silence_fraction(mono, rate)
    dc = float(np.mean(samples, dtype=np.float64)) if samples.size else 0.0
    clipped = clipped_fraction(samples)
    band = bandwidth_hz(mono, rate)
    flags = []
    if _header_lies(clip):
        flags.append("header_lies")
    if clip.non_finite:
        flags.append("nan_values")
    if clipped > CLIPPED_FRACTION:
        flags.append("clipped")
    if silence >= 1.0:
        flags.append("silent")
    elif silence >= MOSTLY_SILENT:
        flags.append("mostly_silent")
    if abs(dc) > DC_OFFSET_LIMIT:
        flags.append("dc_offset")
    if silence < 1.0 and band > 0 and band < UPSAMPLED_RATIO * rate / 2:
        flags.append("upsampled")
    row = FileMeasurement(
        path=str(path if path is not None else clip.path), sample_rate=rate, channels=clip.channels,
        frames=clip.frames, duration=clip.frames / rate, format=clip.format, subtype=clip.subtype,
        peak_dbfs=peak, rms_dbfs=rms_dbfs(samples), loudness_lufs=loudness_lufs(samples, rate),
        dc_offset=dc, clipped_fraction=clipped, silence_fraction=silence, bandwidth_hz=band,
        audio_hash=audio_hash(samples, rate))
    return row.with_flags(flags)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    if reason:
        return str(reason)
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def measure_one(path: str | Path, transcript: str = "") -> FileMeasurement:
    """Decode and measure one file; an unusable file is a row flagged `unreadable` with the
    reason in `error` (never an exception, so a scan keeps every file)."""
    row, _vector = measure_file(path, transcript, vector=False)
    return row


def measure_file(path: str | Path, transcript: str = "", vector: bool = True
                 ) -> tuple[FileMeasurement, np.ndarray | None]:
    """`measure_one`'s row and, from the same decoded samples, the clip's feature vector for the
    dataset map (`explorer.model.vectors`; None for an unreadable file or when not asked)."""
    path = Path(path)
    features = None
    try:
        clip = load(path)
        row = measure_clip(clip, str(path))
        if vector:
            from explorer.model.vectors import clip_vector

            features = clip_vector(clip.mono(), clip.sample_rate)
    except (AudioFileError, OSError, ValueError, RuntimeError, MemoryError) as exc:
        row = FileMeasurement(path=str(path), error=_reason(exc)).with_flags(["unreadable"])
        features = None
    return (replace(row, transcript=transcript) if transcript else row), features
