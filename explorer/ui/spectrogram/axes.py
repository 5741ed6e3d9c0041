"""Frequency and colour-scale axes: Hz, mel or log2 coordinates, labelled in Hz or dB."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.model.scales import hz_to_mel, mel_to_hz

AXIS_MODES = ("Hz", "mel", "log")


def format_hz(f: float) -> str:
    if f >= 1000:
        text = f"{f / 1000:.3g}k"
        return text
    return f"{f:.0f}" if f >= 10 or f == 0 else f"{f:.2g}"


def axis_coordinates(hz, mode: str) -> np.ndarray:
    """Where frequencies sit on a frequency axis drawn in Hz, mel (Slaney) or log2 units."""
    hz = np.asarray(hz, dtype=np.float64)
    if mode == "mel":
        return np.asarray(hz_to_mel(hz), dtype=np.float64)
    if mode == "log":
        return np.log2(np.maximum(hz, 1e-6))
    return hz


class FrequencyAxis(pg.AxisItem):
    """A left axis whose coordinate is Hz, mel or log2(Hz), labelled in Hz."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("left", *args, **kwargs)
        self.mode = "Hz"
        #: Other tick labels (note names: ui/analysis/notes.py) for the Hz and log modes, or None.
        #: It has `ticks(lo_hz, hi_hz, mode, size)` -> [(coordinate, text)].
        self.labeller = None

    def to_hz(self, values):
        values = np.asarray(values, dtype=np.float64)
        if self.mode == "mel":
            return mel_to_hz(values)
        if self.mode == "log":
            return np.power(2.0, values)
        return values

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        if self.labeller is not None and self.mode in ("Hz", "log") and maxVal > minVal:
            self._labels = dict(self.labeller.ticks(float(self.to_hz(minVal)),
                                                    float(self.to_hz(maxVal)), self.mode, size))
            return [(1.0, list(self._labels)), (0.5, [])]
        if self.mode in ("Hz", "index") or maxVal <= minVal:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = float(self.to_hz(minVal)), float(self.to_hz(maxVal))
        if self.mode == "log":
            major = [2.0 ** k for k in range(int(np.floor(np.log2(max(lo, 1.0)))),
                                             int(np.ceil(np.log2(max(hi, 2.0)))) + 1)]
            major = [np.log2(f) for f in major if lo <= f <= hi]
            return [(1.0, major), (0.5, [])]
        # mel: "nice" Hz values, as many as fit
        candidates = [0, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 4000, 5000, 6000,
                      8000, 10000, 12000, 16000, 20000, 24000, 32000, 48000]
        count = max(2, int(size / 32))
        chosen = [f for f in candidates if lo <= f <= hi]
        while len(chosen) > count:
            chosen = chosen[::2]
        return [(1.0, [float(hz_to_mel(f)) for f in chosen]), (0.5, [])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.labeller is not None and self.mode in ("Hz", "log"):
            labels = getattr(self, "_labels", {})
            if all(v in labels for v in values):
                return [labels[v] for v in values]
        if self.mode == "index":
            return [f"{v * scale:g}" for v in values]
        if self.mode == "Hz":
            return [format_hz(v * scale) for v in values]
        hz = self.to_hz(np.asarray(values) * scale)
        if self.mode == "log":  # powers of two, as librosa's log axis: 64, 128, ... 4096
            return [f"{float(f):.0f}" for f in hz]
        return [format_hz(float(f)) for f in hz]


class DbAxis(pg.AxisItem):
    """Colour-bar axis labelled like librosa's `format='%+2.0f dB'`."""

    unit = "dB"

    def format(self, value: float) -> str:
        return f"{value:+2.0f} dB" if self.unit == "dB" else f"{value:.3g}"

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [self.format(v * scale) for v in values]

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        """Only values the scale holds: none in the padding above the top, where a label would
        stand half outside the bar."""
        lo, hi = getattr(self, "limits", (minVal, maxVal))
        eps = (hi - lo) * 1e-6
        return [(spacing, [v for v in values if lo - eps <= v <= hi + eps])
                for spacing, values in super().tickValues(minVal, maxVal, size)]
