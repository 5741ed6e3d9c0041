"""Comparing recordings side by side: the clips to compare, their difference spectrogram, their
alignment by cross-correlation, what A/B playback plays, and their measurements. No Qt.

Two clips are compared on one time axis in seconds: a clip at another rate (a resampled copy, or
the same samples read at half or twice the rate) covers the same seconds with other samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.model.clip import AudioClip
from explorer.model.measure import FileMeasurement, measure_clip
from explorer.model.spectrogram import Spectrogram, SpectrogramParams, SpectrogramStats, compute

#: How many clips are stacked at most: beyond four each view is too short to read.
MAX_CLIPS = 4
#: The per-file gain's range (dB): enough to match a quiet and a loud take, not to deafen.
GAIN_RANGE_DB = (-40.0, 20.0)
#: The difference spectrogram's dB reference: an absolute one (not each clip's own maximum), so
#: that a gain or a level difference shows as a difference; the floor (librosa's amin) is finite.
DIFFERENCE_REF = 1.0
#: The share of |difference| the symmetric colour bar spans (its top: the 99th percentile), so a
#: few cells of silence against sound (~100 dB) do not wash out every other difference.
DIFFERENCE_PERCENTILE = 99.0

# ColorBrewer's RdBu, reversed: blue (B louder) through near-white (equal) to red (A louder).
_RDBU_R = ("#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7",
           "#f4a582", "#d6604d", "#b2182b", "#67001f")


def reinterpret(clip: AudioClip, factor: float) -> AudioClip:
    """The same samples played `factor` times faster (x0.5: an octave down and twice as long):
    the notebook's playback-rate experiment, the samples unchanged, only their rate."""
    if not factor > 0:
        raise ValueError(f"the rate factor must be positive, got {factor}")
    rate = max(1, int(round(clip.sample_rate * factor)))
    return AudioClip(clip.samples, rate, path=clip.path, format=clip.format, subtype=clip.subtype,
                     name=f"{clip.name} x{factor:g} ({rate} Hz)", non_finite=clip.non_finite,
                     warning=clip.warning)


def gain_factor(db: float) -> float:
    """A gain in dB as the factor samples are multiplied by."""
    return float(10.0 ** (float(db) / 20.0))


def with_gain(clip: AudioClip, db: float) -> AudioClip:
    """The clip `db` louder (the clip itself at 0 dB: no copy)."""
    if db == 0:
        return clip
    return AudioClip(clip.samples * np.float32(gain_factor(db)), clip.sample_rate, path=clip.path,
                     format=clip.format, subtype=clip.subtype, name=clip.name,
                     non_finite=clip.non_finite, warning=clip.warning)


# ---- alignment -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Alignment:
    """Where `b` best matches `a`: b delayed by `lag` samples (negative: advanced) lines up."""

    lag: int
    sample_rate: int
    score: float  # the normalised cross-correlation at the lag (1: identical shapes)

    @property
    def seconds(self) -> float:
        return self.lag / self.sample_rate

    def text(self) -> str:
        return (f"offset {self.seconds * 1000:+.2f} ms ({self.lag:+d} samples at "
                f"{self.sample_rate} Hz), correlation {self.score:.2f}")


def align(a: AudioClip, b: AudioClip, max_lag: float | None = None) -> Alignment:
    """The delay of `b` that best lines it up with `a` (mono mixes, FFT cross-correlation);
    `max_lag` (seconds) bounds the search. Both clips must have the same rate."""
    from scipy.signal import correlate, correlation_lags

    if a.sample_rate != b.sample_rate:
        raise ValueError(f"alignment needs the same sample rate ({a.sample_rate} Hz and "
                         f"{b.sample_rate} Hz)")
    x = a.mono().astype(np.float64)
    y = b.mono().astype(np.float64)
    if not x.size or not y.size:
        raise ValueError("cannot align an empty clip")
    corr = correlate(x, y, mode="full", method="fft")
    lags = correlation_lags(x.size, y.size, mode="full")
    if max_lag is not None:
        keep = np.abs(lags) <= int(round(max_lag * a.sample_rate))
        corr, lags = corr[keep], lags[keep]
    k = int(np.argmax(corr))
    norm = float(np.sqrt(np.dot(x, x) * np.dot(y, y)))
    return Alignment(int(lags[k]), a.sample_rate, float(corr[k] / norm) if norm > 0 else 0.0)


def shift(clip: AudioClip, lag: int) -> AudioClip:
    """The clip delayed by `lag` samples (silence before it), or advanced (its start cut)."""
    lag = int(lag)
    if lag == 0:
        return clip
    if lag > 0:
        pad = np.zeros((lag, clip.channels), np.float32)
        samples = np.concatenate([pad, clip.samples])
    else:
        samples = clip.samples[-lag:]
    return AudioClip(samples, clip.sample_rate, path=clip.path, format=clip.format,
                     subtype=clip.subtype, name=clip.name, non_finite=clip.non_finite,
                     warning=clip.warning)


# ---- difference spectrogram ----------------------------------------------------------------------
def difference_params(params: SpectrogramParams) -> SpectrogramParams:
    """The session's parameters in dB against an absolute reference, without a top_db floor."""
    return params.with_(db=True, db_ref=DIFFERENCE_REF, top_db=None)


def difference(a: AudioClip, b: AudioClip, params: SpectrogramParams) -> Spectrogram:
    """dB(A) - dB(B) cell by cell (red: A louder), over the frames both have; same rate only."""
    if a.sample_rate != b.sample_rate:
        raise ValueError(f"a difference needs the same sample rate ({a.sample_rate} Hz and "
                         f"{b.sample_rate} Hz)")
    p = difference_params(params)
    sa, sb = compute(a, p), compute(b, p)
    frames = min(sa.values.shape[1], sb.values.shape[1])
    values = np.subtract(sa.values[:, :frames], sb.values[:, :frames], dtype=np.float32)
    return Spectrogram(values=values, frequencies=sa.frequencies, times=sa.times[:frames],
                       params=p, sample_rate=sa.sample_rate, stats=SpectrogramStats.of(values))


def symmetric_limit(values: np.ndarray) -> float:
    """The half-range of a colour bar centred on 0 dB (0 when every value is 0)."""
    mags = np.abs(values[np.isfinite(values)])
    if not mags.size:
        return 0.0
    top = float(np.percentile(mags, DIFFERENCE_PERCENTILE))
    return top if top > 0 else float(mags.max())


def diverging_table(n: int = 256) -> np.ndarray:
    """A (n, 3) uint8 diverging colour table, low (blue) to high (red), near-white in the middle."""
    anchors = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in _RDBU_R], np.float64)
    where = np.linspace(0, 1, len(anchors))
    x = np.linspace(0, 1, n)
    table = np.stack([np.interp(x, where, anchors[:, c]) for c in range(3)], axis=1)
    return np.round(table).astype(np.uint8)


# ---- A/B playback --------------------------------------------------------------------------------
def playback_rate(clips: list[AudioClip]) -> int:
    """The one rate every clip is played at (the highest: no clip loses its top band)."""
    return max(c.sample_rate for c in clips)


def playback_buffer(clip: AudioClip, rate: int, frames: int, gain_db: float = 0.0) -> np.ndarray:
    """What A/B playback plays of a clip: at `rate`, with its gain, padded (or cut) to `frames`
    so that every clip's buffer covers the same seconds and a switch keeps the position."""
    resampled = clip.resample(rate) if clip.sample_rate != rate else clip
    out = np.zeros((frames, clip.channels), np.float32)
    n = min(frames, resampled.frames)
    np.multiply(resampled.samples[:n], np.float32(gain_factor(gain_db)), out=out[:n])
    return out


def playback_buffers(clips: list[AudioClip], gains_db: list[float]) -> tuple[int, list[np.ndarray]]:
    """(rate, one buffer per clip, all as long as the longest clip)."""
    rate = playback_rate(clips)
    frames = max(int(round(c.duration * rate)) for c in clips)
    return rate, [playback_buffer(c, rate, frames, g) for c, g in zip(clips, gains_db, strict=True)]


# ---- measurements ------------------------------------------------------------------------------
def measurements(clips: list[AudioClip]) -> list[FileMeasurement]:
    """The dataset scan's measurements of each clip (the scan's own code, `measure_clip`)."""
    return [measure_clip(c, str(c.path) if c.path is not None else c.name) for c in clips]
