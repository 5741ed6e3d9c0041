"""What the analysis process runs: the model's librosa calls. In a process of its own because
librosa's numba code (pyin's Viterbi, yin, the beat tracker) holds the GIL for seconds: in a
thread of the window's process it would freeze the window. Imports no widget."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

import numpy as np

#: Niceness added to the analysis process, so that the window's process wins the CPU: the
#: process boundary cures the GIL freezes, the niceness the CPU contention (on a shared 2-core
#: machine the GUI heartbeat test failed at 0 and passed at 5). Its cost: under load the niced
#: process computes slower than a direct call (bench/analysis_gui.py).
CHILD_NICE = 5


@dataclass
class LayerParts:
    """A layer's result as it comes back from the process."""

    result: object  # FeatureResult
    seconds: float
    display: np.ndarray | None = None
    frequencies: np.ndarray | None = None


def init() -> None:  # pragma: no cover - runs in the analysis process
    """Ctrl+C is the window's business; CHILD_NICE if asked."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if CHILD_NICE:
        try:
            os.nice(CHILD_NICE)
        except OSError:
            pass


#: The signal the window sent last, by its key: the other layers of the same clip (or span of a
#: long file) name it instead of sending it again (a 2-minute span at 44.1 kHz is 21 MB).
_SIGNAL: dict[int, np.ndarray] = {}


def layer_on(key: int, y: np.ndarray | None, feature: str, sr: int, params: dict
             ) -> LayerParts | None:
    """`layer` on the signal `y`, kept under `key`; y None: the kept one (None if another is kept:
    the window sends it)."""
    if y is None:
        y = _SIGNAL.get(key)
        if y is None:
            return None
    else:
        _SIGNAL.clear()
        _SIGNAL[key] = y
    return layer(feature, y, sr, params)


def layer(feature: str, y: np.ndarray, sr: int, params: dict) -> LayerParts:
    from explorer.model.analysis.features import compute_feature

    t0 = time.perf_counter()
    result = compute_feature(feature, y, sr, **params)
    parts = LayerParts(result, time.perf_counter() - t0)
    if feature == "cqt":
        import librosa

        values = np.asarray(result.values)
        parts.display = librosa.amplitude_to_db(values, ref=np.max).astype(np.float32)
        fmin = params.get("fmin") or librosa.note_to_hz("C1")
        parts.frequencies = librosa.cqt_frequencies(
            values.shape[0], fmin=fmin, bins_per_octave=int(params.get("bins_per_octave") or 12))
    elif feature in ("mfcc", "chroma"):
        parts.display = np.asarray(result.values, dtype=np.float32)
    return parts


def warm() -> float:
    from explorer.model.analysis.warmup import warm_up

    t0 = time.perf_counter()
    warm_up()
    return time.perf_counter() - t0


def feature_params() -> dict[str, tuple]:
    from explorer.model.analysis.features import FEATURES, feature_params

    return {name: feature_params(name) for name in FEATURES}


def measure(y: np.ndarray, sr: int, start: float, end: float, low_hz, high_hz):
    from explorer.model.analysis.selection import Selection, measure_selection

    return measure_selection(y, sr, Selection(start, end, low_hz, high_hz))
