"""A synthetic dataset of three clearly different sound types (pure tones, white noise, click
trains), ten files each with variations (pitch, level, rate, colour): the map must put each type
together. Used by tests/model/test_projection.py and tests/ui/map/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000
TYPES = ("tone", "noise", "clicks")
PER_TYPE = 10


def sound(kind: str, i: int, rate: int = RATE) -> np.ndarray:
    """One variation of a type: i picks the pitch, level, length, click rate, tilt."""
    rng = np.random.default_rng(100 * TYPES.index(kind) + i)
    seconds = 1.0 + 0.15 * i
    n = int(seconds * rate)
    t = np.arange(n) / rate
    level = 10 ** (-(6 + 2 * i) / 20)
    if kind == "tone":
        x = np.sin(2 * np.pi * (220.0 * 1.12 ** i) * t)
    elif kind == "noise":
        w = rng.standard_normal(n + 1)
        x = (w[1:] + (-0.5 + 0.1 * i) * w[:-1]) / 1.5
    else:
        x = np.zeros(n)
        period = int(rate / (4 + 2 * i))
        x[::period] = 1.0
        x += 0.001 * rng.standard_normal(n)
    return (level * x).astype(np.float32)


def write_types(folder: Path) -> dict[Path, str]:
    """Write the 30 files into folder (named <type>_<i>.wav); path -> type."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind in TYPES:
        for i in range(PER_TYPE):
            path = folder / f"{kind}_{i:02d}.wav"
            sf.write(path, sound(kind, i), RATE, subtype="PCM_16")
            out[path] = kind
    return out
