"""Perceptual colour maps as 256-entry RGB tables (matplotlib's, CC0), usable without Qt."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

_DATA = Path(__file__).resolve().parent.parent / "data" / "colormaps.npz"

#: Names offered everywhere; "gray" is black (low) to white (high).
COLORMAPS = ("magma", "viridis", "inferno", "plasma", "cividis", "gray")
DEFAULT_COLORMAP = "magma"


@cache
def lookup_table(name: str = DEFAULT_COLORMAP) -> np.ndarray:
    """A (256, 3) uint8 table from low to high values."""
    if name not in COLORMAPS:
        raise ValueError(f"unknown colour map {name!r}; choose from {', '.join(COLORMAPS)}")
    if name == "gray":
        ramp = np.arange(256, dtype=np.uint8)
        return np.stack([ramp, ramp, ramp], axis=1)
    with np.load(_DATA) as tables:
        return tables[name].copy()


def normalise(values: np.ndarray, vmin: float | None = None, vmax: float | None = None) -> np.ndarray:
    """Values scaled to 0..1 between vmin and vmax (the array's own range by default)."""
    values = np.asarray(values, dtype=np.float64)
    lo = float(np.min(values)) if vmin is None else float(vmin)
    hi = float(np.max(values)) if vmax is None else float(vmax)
    if not hi > lo:
        return np.zeros(values.shape)
    return np.clip((values - lo) / (hi - lo), 0.0, 1.0)


def apply(values: np.ndarray, name: str = DEFAULT_COLORMAP, vmin: float | None = None,
          vmax: float | None = None) -> np.ndarray:
    """RGB uint8 image (same shape + 3) of values through a colour map."""
    index = np.round(normalise(values, vmin, vmax) * 255).astype(np.uint8)
    return lookup_table(name)[index]
