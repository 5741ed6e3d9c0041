"""Test tones: the notebook's `make_tone` and its cousins, summed (mix) or chained (sequence),
and written as WAV (`write_wav`, through the atomic writer).

The square, sawtooth, triangle and chirps equal `scipy.signal.square/sawtooth/chirp` (to 1e-9,
pinned by tests/model/test_tones.py) but are written out here: importing `scipy.signal` costs
~1.3 s, paid by the tone panel's first preview and every `audio-explorer tone`, for a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WAVES = ("sine", "square", "sawtooth", "triangle")
EXTRA_WAVES = ("chirp_linear", "chirp_log", "white_noise", "pink_noise")
ALL_WAVES = WAVES + EXTRA_WAVES

DEFAULT_AMPLITUDE = 0.1
DEFAULT_SAMPLE_RATE = 16000


@dataclass(frozen=True)
class ToneSpec:
    """One tone: a wave at a frequency (a chirp sweeps to `end_frequency`), amplitude and length."""

    frequency: float
    duration: float = 1.0
    amplitude: float = DEFAULT_AMPLITUDE
    wave: str = "sine"
    end_frequency: float | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.wave not in ALL_WAVES:
            raise ValueError(f"wave must be one of {', '.join(ALL_WAVES)}, not {self.wave!r}")
        if self.duration < 0:
            raise ValueError("duration must be non-negative")
        if self.frequency < 0:
            raise ValueError("frequency must be non-negative")


def _phase_cycles(freq: float, n: np.ndarray, sr: int) -> np.ndarray:
    return (freq * n / sr) % 1.0


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    """1/f noise by shaping white noise's spectrum, scaled to a peak of 1."""
    if n == 0:
        return np.zeros(0)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spectrum.size, dtype=np.float64)
    f[0] = 1.0
    pink = np.fft.irfft(spectrum / np.sqrt(f), n)
    peak = np.max(np.abs(pink))
    return pink / peak if peak > 0 else pink


def synthesize(spec: ToneSpec, sample_rate: int = DEFAULT_SAMPLE_RATE) -> np.ndarray:
    """float64 samples of one tone; a sine is exactly `amplitude * sin(2*pi*f*n/sr)`."""
    if sample_rate <= 0:
        raise ValueError("sample rate must be positive")
    count = int(spec.duration * sample_rate)
    n = np.arange(count, dtype=np.float64)
    f, a = float(spec.frequency), float(spec.amplitude)
    if spec.wave == "sine":
        return a * np.sin(2 * np.pi * f * n / sample_rate)
    if spec.wave == "square":
        return a * np.where(_phase_cycles(f, n, sample_rate) < 0.5, 1.0, -1.0)
    if spec.wave == "sawtooth":  # rises from 0 like the sine, jumps from +1 to -1 mid-cycle
        return a * (2.0 * ((f * n / sample_rate + 0.5) % 1.0) - 1.0)
    if spec.wave == "triangle":  # starts at 0 rising, peaks at a quarter cycle like the sine
        return a * (1.0 - 4.0 * np.abs(((f * n / sample_rate + 0.25) % 1.0) - 0.5))
    if spec.wave in ("chirp_linear", "chirp_log"):
        return a * np.sin(_chirp_phase(spec, n / sample_rate))
    rng = np.random.default_rng(spec.seed)
    if spec.wave == "white_noise":
        return a * rng.uniform(-1.0, 1.0, count)
    return a * _pink(count, rng)


def _chirp_phase(spec: ToneSpec, t: np.ndarray) -> np.ndarray:
    f0 = float(spec.frequency)
    f1 = float(spec.end_frequency if spec.end_frequency is not None else spec.frequency)
    length = max(spec.duration, 1e-12)
    if spec.wave == "chirp_linear" or f0 <= 0 or f1 <= 0 or f0 == f1:
        return 2 * np.pi * (f0 * t + (f1 - f0) * t**2 / (2 * length))
    k = (f1 / f0) ** (1 / length)
    return 2 * np.pi * f0 * (k**t - 1) / np.log(k)


def make_tone(freq: float, clip_length: float = 1.0, sr: int = DEFAULT_SAMPLE_RATE,
              amplitude: float = DEFAULT_AMPLITUDE, wave: str = "sine") -> np.ndarray:
    """The notebook's helper: `0.1 * sin(2*pi*freq*n/sr)` for n in range(int(clip_length*sr))."""
    return synthesize(ToneSpec(freq, clip_length, amplitude, wave), sr)


def mix(signals: Sequence[np.ndarray]) -> np.ndarray:
    """Sum of signals (the notebook's `clip_500hz + clip_5000hz`); shorter ones are zero-padded."""
    if not signals:
        return np.zeros(0)
    length = max(len(s) for s in signals)
    out = np.zeros(length, dtype=np.result_type(*signals, np.float64))
    for s in signals:
        out[: len(s)] += s
    return out


def sequence(signals: Sequence[np.ndarray]) -> np.ndarray:
    """One signal after another (the notebook's `np.concatenate`)."""
    if not signals:
        return np.zeros(0)
    return np.concatenate(list(signals))


def alias_frequency(freq: float, sample_rate: int) -> float:
    """The frequency a listener hears for `freq` sampled at `sample_rate` (folded below Nyquist)."""
    f = float(freq) % sample_rate
    return sample_rate - f if f > sample_rate / 2 else f


def render(specs: Sequence[ToneSpec], sample_rate: int = DEFAULT_SAMPLE_RATE,
           combine: str = "mix") -> np.ndarray:
    """Several tones mixed or in sequence: what the tone panel and `audio-explorer tone` make."""
    if combine not in ("mix", "sequence"):
        raise ValueError("combine must be 'mix' or 'sequence'")
    parts = [synthesize(s, sample_rate) for s in specs]
    return mix(parts) if combine == "mix" else sequence(parts)


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int,
              subtype: str = "PCM_16") -> Path:
    """Write mono samples as WAV (`PCM_16` clips at +-1; `FLOAT` keeps everything), atomically."""
    from explorer.model import atomic

    path = Path(path)
    if path.suffix.lower() != ".wav":
        path = path.with_suffix(path.suffix + ".wav") if path.suffix else path.with_suffix(".wav")
    data = np.asarray(samples, dtype=np.float32 if subtype == "FLOAT" else np.float64)
    return atomic.write_sound(path, data, int(sample_rate), subtype=subtype, format="WAV")
