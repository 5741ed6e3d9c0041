"""Worker-side work of the layers: the signal of the clip (or of the visible span of a long
file), the model's librosa call, and what drawing needs prepared off the GUI thread."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from explorer.ui.common.jobs import lower_thread_priority

#: Niceness of the analysis thread: the GUI thread wins the CPU from librosa.
ANALYSIS_NICE = 5
#: The longest span (seconds) of a long file a layer is computed on.
MAX_SPAN_SECONDS = 120.0


@dataclass
class LayerData:
    """A layer's result and where it sits: `offset` seconds are added to its times (the start
    of the span of a long file it was computed on, else 0)."""

    result: object  # explorer.model.analysis.features.FeatureResult
    offset: float = 0.0
    seconds: float = 0.0  # the model call's time
    span: tuple[float, float] | None = None  # a long file's span, else None (the whole clip)
    params: dict = field(default_factory=dict)
    display: np.ndarray | None = None  # image views: what is drawn (CQT: dB)
    frequencies: np.ndarray | None = None  # CQT: the centre frequency of each row

    @property
    def times(self) -> np.ndarray:
        return np.asarray(self.result.times, dtype=np.float64) + self.offset


def signal_of(clip, span: tuple[float, float] | None) -> tuple[np.ndarray, float]:
    """The mono signal librosa gets (`librosa.load(path, sr=None, mono=True)`'s) and its start."""
    if span is None:
        return clip.mono(), 0.0
    a = max(0, int(round(span[0] * clip.sample_rate)))
    part = clip.slice(a / clip.sample_rate, span[1])
    return part.mono(), a / clip.sample_rate


def cqt_frequencies(params: dict, rows: int) -> np.ndarray:
    import librosa

    fmin = params.get("fmin") or librosa.note_to_hz("C1")
    return librosa.cqt_frequencies(rows, fmin=fmin,
                                   bins_per_octave=int(params.get("bins_per_octave") or 12))


def layer_job(feature: str, clip, span, params: dict) -> LayerData:
    """Worker: one layer's model call on the clip (or span) with librosa's parameter names."""
    from explorer.model.analysis.features import compute_feature

    lower_thread_priority(ANALYSIS_NICE)
    y, offset = signal_of(clip, span)
    t0 = time.perf_counter()
    result = compute_feature(feature, y, clip.sample_rate, **params)
    data = LayerData(result, offset, time.perf_counter() - t0, span, dict(params))
    if feature == "cqt":
        import librosa

        values = np.asarray(result.values)
        data.display = librosa.amplitude_to_db(values, ref=np.max).astype(np.float32)
        freqs = getattr(result, "frequencies", None)
        data.frequencies = np.asarray(freqs) if freqs is not None else cqt_frequencies(
            params, values.shape[0])
    elif feature in ("mfcc", "chroma"):
        data.display = np.asarray(result.values, dtype=np.float32)
    return data


def warm_up_job() -> float:
    """Worker: librosa's numba code compiled (or loaded from its cache) before the first layer."""
    from explorer.model.analysis.warmup import warm_up

    lower_thread_priority(ANALYSIS_NICE)
    t0 = time.perf_counter()
    warm_up()
    return time.perf_counter() - t0


def measure_job(clip, start: float, end: float, low_hz, high_hz):
    """Worker: the model's measurements of a selection (or box), in the clip's seconds."""
    from dataclasses import replace

    from explorer.model.analysis.selection import Selection, measure_selection

    lower_thread_priority(ANALYSIS_NICE)
    if getattr(clip, "long", False):  # only the selection is read from the file
        y, offset = signal_of(clip, (start, end))
        m = measure_selection(y, clip.sample_rate, Selection(start - offset, end - offset,
                                                             low_hz, high_hz))
        return replace(m, begin_s=m.begin_s + offset, end_s=m.end_s + offset,
                       peak_time_s=m.peak_time_s + offset)
    return measure_selection(clip.mono(), clip.sample_rate, Selection(start, end, low_hz, high_hz))


def params_job() -> dict[str, tuple]:
    """Worker: each feature's parameters with librosa's defaults (importing librosa's core
    takes seconds: never on the GUI thread)."""
    from explorer.model.analysis.features import FEATURES, feature_params

    lower_thread_priority(ANALYSIS_NICE)
    return {name: feature_params(name) for name in FEATURES}
