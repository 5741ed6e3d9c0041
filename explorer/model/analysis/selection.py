"""Measurements of a selection (a time span, or a time-frequency box), by Raven Pro's definitions.

Computed from the signal, never from screen pixels: the power spectrogram of the selected
samples (`librosa.stft`, frames lying inside the selection), restricted to the box's frequency
bins. As in Raven (Charif, Waack & Strickman 2010, Raven Pro User's Manual, appendix C):
- Peak Freq / Peak Time: the frequency and time of the box's loudest spectrogram cell.
- Center Freq, Freq 5%, Freq 95%: the smallest bin frequency at which the energy summed from the
  box's low edge exceeds 50%, 5%, 95% of the box's total; BW 90% = Freq 95% - Freq 5%.
- Energy: the box's energy in dB re 1 (full scale)²: the band's share of the selected samples'
  sum of squares (Parseval over the selection's FFT: exact for the whole band).
- RMS Amplitude: of the selected samples (a waveform measurement, whole band, as Raven's).
Median f0: `librosa.pyin` over the selection (C2..C7), voiced frames whose f0 lies in the box.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass

import librosa
import numpy as np

from explorer.model.analysis.features import PITCH_FMAX, PITCH_FMIN


@dataclass(frozen=True)
class Selection:
    """A time span in seconds, and optionally a frequency band (None: 0 .. Nyquist)."""

    start: float
    end: float
    low_hz: float | None = None
    high_hz: float | None = None


@dataclass(frozen=True)
class SelectionMeasurement:
    """One row of the Measurements table: Raven's measurements of a selection."""

    begin_s: float
    end_s: float
    duration_s: float
    low_hz: float
    high_hz: float
    peak_freq_hz: float
    peak_time_s: float
    center_freq_hz: float
    f5_hz: float
    f95_hz: float
    bandwidth_90_hz: float
    energy_db: float
    rms: float
    median_f0_hz: float

    def to_row(self) -> dict[str, float]:
        """The row as the table, the CSV and `measure --json` show it."""
        return {key: float(value) for key, value in asdict(self).items()}


#: Column headings in Raven's words, for the table and the CSV.
HEADINGS: dict[str, str] = {
    "begin_s": "Begin Time (s)",
    "end_s": "End Time (s)",
    "duration_s": "Delta Time (s)",
    "low_hz": "Low Freq (Hz)",
    "high_hz": "High Freq (Hz)",
    "peak_freq_hz": "Peak Freq (Hz)",
    "peak_time_s": "Peak Time (s)",
    "center_freq_hz": "Center Freq (Hz)",
    "f5_hz": "Freq 5% (Hz)",
    "f95_hz": "Freq 95% (Hz)",
    "bandwidth_90_hz": "BW 90% (Hz)",
    "energy_db": "Energy (dB FS)",
    "rms": "RMS Amplitude",
    "median_f0_hz": "Median f0 (Hz)",
}


def _bounds(n_samples: int, sr: int, sel: Selection) -> tuple[float, float, float, float]:
    """The selection clipped to the signal and to 0 .. Nyquist; a reversed one is put right."""
    duration = n_samples / sr
    start, end = sorted((float(sel.start), float(sel.end)))
    start, end = min(max(start, 0.0), duration), min(max(end, 0.0), duration)
    nyquist = sr / 2
    low = 0.0 if sel.low_hz is None else float(sel.low_hz)
    high = nyquist if sel.high_hz is None else float(sel.high_hz)
    low, high = sorted((low, high))
    return start, end, min(max(low, 0.0), nyquist), min(max(high, 0.0), nyquist)


def _percentile_freq(freqs: np.ndarray, spectrum: np.ndarray, fraction: float) -> float:
    """Raven's rule: the smallest bin at which the energy summed from below exceeds `fraction`."""
    total = float(spectrum.sum())
    if not total > 0:
        return math.nan
    cum = np.cumsum(spectrum, dtype=np.float64)
    return float(freqs[int(np.searchsorted(cum, fraction * total, side="right"))])


def median_f0(segment: np.ndarray, sr: int, low: float, high: float) -> float:
    """pyin's (C2..C7) median f0 over the voiced frames whose f0 lies in the box; NaN if none."""
    fmax = min(PITCH_FMAX, sr / 2 * 0.95)
    if fmax <= PITCH_FMIN * 2:
        return math.nan
    with warnings.catch_warnings():  # "n_fft too large" for short selections: pyin pads
        warnings.simplefilter("ignore", UserWarning)
        f0, voiced, _ = librosa.pyin(segment, fmin=PITCH_FMIN, fmax=fmax, sr=sr)
    keep = voiced & np.isfinite(f0) & (f0 >= low) & (f0 <= high)
    return float(np.median(f0[keep])) if keep.any() else math.nan


def band_energy(segment: np.ndarray, sr: int, low: float, high: float) -> float:
    """The band's share of the sum of squared samples (Parseval over the segment's own FFT)."""
    spectrum = np.abs(np.fft.rfft(segment.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(segment.size, 1 / sr)
    double = (freqs > 0) & (freqs < sr / 2)  # the negative frequencies' share
    inside = (freqs >= low) & (freqs <= high)
    return float(np.sum(spectrum[inside] * np.where(double[inside], 2.0, 1.0)) / segment.size)


def measure_selection(
    y: np.ndarray,
    sr: int,
    sel: Selection,
    *,
    n_fft: int = 2048,
    hop_length: int = 512,
    pitch: bool = True,
) -> SelectionMeasurement:
    """Raven's measurements of `sel` on the mono signal `y` (pitch=False skips the median f0)."""
    y = np.asarray(y, dtype=np.float32)
    start, end, low, high = _bounds(y.shape[-1], sr, sel)
    i0, i1 = int(round(start * sr)), int(round(end * sr))
    segment = y[i0:i1]
    rms = float(np.sqrt(np.mean(np.square(segment, dtype=np.float64)))) if segment.size else math.nan
    framed = segment if segment.size >= n_fft else np.pad(segment, (0, n_fft - segment.size))
    spec = librosa.stft(framed, n_fft=n_fft, hop_length=hop_length, center=False)
    power = np.abs(spec.astype(np.complex128)) ** 2
    freqs = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    inside = (freqs >= low) & (freqs <= high)
    nan = math.nan
    peak_freq = peak_time = center = f5 = f95 = nan
    energy_db = -math.inf
    if segment.size:
        energy = band_energy(segment, sr, low, high)
        energy_db = 10 * math.log10(energy) if energy > 0 else -math.inf
    if segment.size and inside.any():
        box = power[inside]
        box_freqs = freqs[inside]
        spectrum = box.sum(axis=1)
        if spectrum.sum() > 0:
            k, t = np.unravel_index(int(np.argmax(box)), box.shape)
            peak_freq = float(box_freqs[k])
            peak_time = start + min(float(t * hop_length + n_fft / 2) / sr, end - start)
            center = _percentile_freq(box_freqs, spectrum, 0.5)
            f5 = _percentile_freq(box_freqs, spectrum, 0.05)
            f95 = _percentile_freq(box_freqs, spectrum, 0.95)
    f0 = median_f0(segment, sr, low, high) if pitch and segment.size else nan
    return SelectionMeasurement(
        begin_s=start,
        end_s=end,
        duration_s=end - start,
        low_hz=low,
        high_hz=high,
        peak_freq_hz=peak_freq,
        peak_time_s=peak_time,
        center_freq_hz=center,
        f5_hz=f5,
        f95_hz=f95,
        bandwidth_90_hz=f95 - f5,
        energy_db=energy_db,
        rms=rms,
        median_f0_hz=f0,
    )
