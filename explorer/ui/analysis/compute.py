"""Off the GUI thread: the signal of the clip (or of the visible span of a long file) read in a
pool thread, handed to the analysis process (worker.py, child.py) for the model's librosa call."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explorer.ui.analysis import child

#: The longest span (seconds) of a long file a layer is computed on.
MAX_SPAN_SECONDS = 120.0


@dataclass
class LayerData:
    """A layer's result and where it sits: `offset` seconds are added to its times (the start
    of the span of a long file it was computed on, else 0)."""

    result: object  # explorer.model.analysis.features.FeatureResult
    offset: float = 0.0
    seconds: float = 0.0  # the model call's time (in the analysis process)
    span: tuple[float, float] | None = None  # a long file's span, else None (the whole clip)
    params: dict = field(default_factory=dict)
    display: np.ndarray | None = None  # image views: what is drawn (CQT: dB)
    frequencies: np.ndarray | None = None  # CQT: the centre frequency of each row

    @property
    def times(self) -> np.ndarray:
        return np.asarray(self.result.times, dtype=np.float64) + self.offset


def signal_start(clip, span: tuple[float, float]) -> float:
    """Where a span's signal starts: on a sample."""
    return max(0, int(round(span[0] * clip.sample_rate))) / clip.sample_rate


def signal_of(clip, span: tuple[float, float] | None) -> tuple[np.ndarray, float]:
    """The mono signal librosa gets (`librosa.load(path, sr=None, mono=True)`'s) and its start."""
    if span is None:
        return clip.mono(), 0.0
    start = signal_start(clip, span)
    return clip.slice(start, span[1]).mono(), start


def layer_job(feature: str, clip, span, params: dict) -> LayerData:
    """Pool thread: the signal here, the model's librosa call in the analysis process."""
    from explorer.ui.analysis.worker import PROCESS

    offset = 0.0 if span is None else signal_start(clip, span)
    parts = PROCESS.run_layer(clip, span, lambda: signal_of(clip, span)[0], feature,
                              clip.sample_rate, params)
    return LayerData(parts.result, offset, parts.seconds, span, dict(params), parts.display,
                     parts.frequencies)


def warm_up_job() -> float:
    """Pool thread: librosa imported and its numba code compiled (or loaded from its cache) in
    the analysis process before the first layer."""
    from explorer.ui.analysis.worker import PROCESS

    seconds = PROCESS.run(child.warm)
    PROCESS.warmed = True
    return seconds


def params_job() -> dict[str, tuple]:
    """Pool thread: each feature's parameters with librosa's defaults (importing librosa's core
    takes seconds: in the analysis process, never in the window's)."""
    from explorer.ui.analysis.worker import PROCESS

    return PROCESS.run(child.feature_params)


def measure_job(clip, start: float, end: float, low_hz, high_hz):
    """Pool thread: the model's measurements of a selection (or box), in the clip's seconds."""
    from dataclasses import replace

    from explorer.ui.analysis.worker import PROCESS

    if getattr(clip, "long", False):  # only the selection is read from the file
        y, offset = signal_of(clip, (start, end))
        m = PROCESS.run(child.measure, y, clip.sample_rate, start - offset, end - offset,
                        low_hz, high_hz)
        return replace(m, begin_s=m.begin_s + offset, end_s=m.end_s + offset,
                       peak_time_s=m.peak_time_s + offset)
    return PROCESS.run(child.measure, clip.mono(), clip.sample_rate, start, end, low_hz, high_hz)
