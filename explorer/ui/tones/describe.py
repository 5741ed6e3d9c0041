"""The tone panel's words and limits, without Qt: names, labels, presets and warnings.

What a tone is called ('log chirp 500-5000 Hz'), what the listener will really hear above
Nyquist, and what a playback rate does to the sound; kept apart from the widgets so they can be
read and tested as plain functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.model.tones import ToneSpec, alias_frequency

MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 192000
MAX_FREQUENCY = 400000.0
MAX_DURATION = 60.0
NORMALISE_PEAK = 0.99
#: The fastest playback the player accepts (x16).
MAX_PLAYBACK_FACTOR = 16

WAVE_LABELS = {
    "sine": "sine",
    "square": "square",
    "sawtooth": "sawtooth",
    "triangle": "triangle",
    "chirp_linear": "linear chirp",
    "chirp_log": "log chirp",
    "white_noise": "white noise",
    "pink_noise": "pink noise",
}
CHIRPS = ("chirp_linear", "chirp_log")
NOISES = ("white_noise", "pink_noise")

#: The notebook's experiments: name -> (tones, combine). Each tone 1 s, amplitude 0.1, 16 kHz.
PRESETS: dict[str, tuple[tuple[ToneSpec, ...], str]] = {
    "500 Hz": ((ToneSpec(500),), "mix"),
    "5000 Hz": ((ToneSpec(5000),), "mix"),
    "500 + 5000 Hz mixed": ((ToneSpec(500), ToneSpec(5000)), "mix"),
    "500 then 1000 Hz": ((ToneSpec(500), ToneSpec(1000)), "sequence"),
    "5000 then 5500 Hz": ((ToneSpec(5000), ToneSpec(5500)), "sequence"),
}


def format_hz(value: float) -> str:
    """'9000' for whole numbers, '440.5' otherwise (no trailing zeros, no exponent)."""
    value = float(value)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def tone_label(spec: ToneSpec) -> str:
    """Short name of one tone: '500 Hz', 'square 500 Hz', 'log chirp 500-5000 Hz', 'pink noise'."""
    if spec.wave in NOISES:
        return WAVE_LABELS[spec.wave]
    if spec.wave in CHIRPS:
        end = spec.end_frequency if spec.end_frequency is not None else spec.frequency
        return f"{WAVE_LABELS[spec.wave]} {format_hz(spec.frequency)}-{format_hz(end)} Hz"
    prefix = "" if spec.wave == "sine" else f"{spec.wave} "
    return f"{prefix}{format_hz(spec.frequency)} Hz"


def clip_name(specs: Sequence[ToneSpec], combine: str) -> str:
    """'tone 500 Hz', 'tone 500 Hz + 5000 Hz', 'tone 500 Hz then 1000 Hz'."""
    if not specs:
        return "tone (silence)"
    joiner = " + " if combine == "mix" else " then "
    return "tone " + joiner.join(tone_label(s) for s in specs)


def alias_warnings(specs: Sequence[ToneSpec], sample_rate: int) -> list[str]:
    """What the listener will really hear for tones at or above Nyquist (and aliasing harmonics)."""
    nyquist = sample_rate / 2
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        if text not in seen:
            seen.add(text)
            out.append(text)

    for spec in specs:
        if spec.wave in NOISES:
            continue
        freqs = [spec.frequency]
        if spec.wave in CHIRPS and spec.end_frequency is not None:
            freqs.append(spec.end_frequency)
        for f in freqs:
            if f > nyquist:
                heard = alias_frequency(f, sample_rate)
                add(f"{format_hz(f)} Hz is above Nyquist ({format_hz(nyquist)} Hz) at "
                    f"{format_hz(sample_rate)} Hz: you will hear {format_hz(heard)} Hz")
            elif f == nyquist and f > 0:
                text = (f"{format_hz(f)} Hz is at Nyquist ({format_hz(nyquist)} Hz) at "
                        f"{format_hz(sample_rate)} Hz: you will hear {format_hz(f)} Hz at most")
                if spec.wave == "sine":
                    text += " (a sine there is sampled at its zero crossings: silence)"
                add(text)
        if spec.wave in ("square", "sawtooth", "triangle") and 0 < spec.frequency < nyquist:
            # square and triangle have odd harmonics only, a sawtooth every harmonic
            first = spec.frequency * (2 if spec.wave == "sawtooth" else 3)
            if first > nyquist:
                add(f"{spec.wave} {format_hz(spec.frequency)} Hz: its harmonics from "
                    f"{format_hz(first)} Hz are above Nyquist ({format_hz(nyquist)} Hz) "
                    f"and fold back as aliases")
    return out


def rate_note(factor: float, specs: Sequence[ToneSpec], sample_rate: int) -> str:
    """What playing at `factor` times the sample rate does: faster/slower, octaves, the pitch."""
    if abs(factor - 1.0) < 1e-9:
        return "x1: at the sample rate, as made"
    speed = "faster" if factor > 1 else "slower"
    pitch = "higher" if factor > 1 else "lower"
    octaves = abs(np.log2(factor))
    note = (f"x{factor:.3g}: {speed} and {octaves:.3g} octave{'s' if octaves != 1 else ''} "
            f"{pitch}")
    first = specs[0] if specs else None
    if first is not None and first.wave not in NOISES:
        heard = alias_frequency(first.frequency, sample_rate) * factor
        note += f" ({tone_label(first)} sounds at {format_hz(heard)} Hz)"
    return note
