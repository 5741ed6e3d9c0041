"""First use: librosa's numba code compiles once (~15 s); `warm_up` pays it on a tiny signal.

The window runs it off the GUI thread behind a "preparing analysis (first use only)" state; with
the cache persisted (`explorer.caches.persist_numba_cache`) a second launch loads the compiled
code from disk instead.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from explorer.model.analysis.features import FEATURES, compute_feature
from explorer.model.analysis.selection import Selection, measure_selection

WARM_SR = 22050


def tiny_signal(sr: int = WARM_SR) -> np.ndarray:
    """Half a second of a voiced tone with clicks: every code path (voiced, onsets, beats) runs."""
    t = np.arange(sr // 2) / sr
    y = 0.3 * np.sin(2 * np.pi * 220 * t)
    y[:: sr // 8] += 0.8  # clicks: onsets and beats to find
    return y.astype(np.float32)


def warm_up(features: tuple[str, ...] = FEATURES) -> float:
    """Compile what the layers and the measurements use; return the seconds it took."""
    start = time.perf_counter()
    y = tiny_signal()
    with warnings.catch_warnings():  # a tiny signal is shorter than CQT's lowest filters
        warnings.simplefilter("ignore", UserWarning)
        for name in features:
            compute_feature(name, y, WARM_SR)
        measure_selection(y, WARM_SR, Selection(0.0, 0.5))
    return time.perf_counter() - start
