"""A time axis labelled m:ss / h:mm:ss (m:ss.sss zoomed in), never "1.9135 ks".

Ticks fall on clock-friendly steps (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6,
12 h) once they are a second or more apart, and on 1-2-5 decimal steps below a second."""

from __future__ import annotations

from math import ceil, floor, log10, sqrt

import pyqtgraph as pg

#: Major tick steps in seconds at a second or more.
CLOCK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
               43200, 86400)


def decimals_for(spacing: float) -> int:
    """Digits after the seconds' point that tell ticks `spacing` apart (0 at a second or more)."""
    if spacing >= 1 - 1e-9:
        return 0
    return max(0, ceil(-log10(spacing) - 1e-9))


def format_clock(seconds: float, decimals: int = 0, hours: bool | None = None) -> str:
    """`m:ss`, `m:ss.sss` or `h:mm:ss`: hours when asked (or when `seconds` reaches an hour)."""
    sign = "-" if seconds < 0 and round(abs(seconds) * 10 ** decimals) else ""
    total = round(abs(seconds) * 10 ** decimals)  # rounded once: 59.9999 is 1:00, not 0:60
    whole, fraction = divmod(total, 10 ** decimals)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    text = f"{h}:{m:02d}:{s:02d}" if (hours if hours is not None else h > 0) else \
        f"{h * 60 + m}:{s:02d}"
    if decimals:
        text += f".{fraction:0{decimals}d}"
    return sign + text


class TimeAxis(pg.AxisItem):
    """Bottom axis in seconds, labelled as a clock; `mode = "index"` labels plain numbers (the
    spectrogram's array mode)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("bottom", *args, **kwargs)
        self.mode = "time"
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 (Qt naming)
        """Clock steps once ticks are a second or more apart; pyqtgraph's below."""
        dif = abs(maxVal - minVal)
        if self.mode != "time" or dif == 0 or self._tickSpacing is not None:
            return super().tickSpacing(minVal, maxVal, size)
        # as many intervals as pyqtgraph would choose for this length
        intervals = max(2.25, 2.25 * self._tickDensity * sqrt(max(size, 1.0) / 300.0))
        widest = dif / intervals
        if widest < 1:
            return super().tickSpacing(minVal, maxVal, size)
        major = max(step for step in CLOCK_STEPS if step <= widest) if widest < CLOCK_STEPS[-1] \
            else CLOCK_STEPS[-1] * floor(widest / CLOCK_STEPS[-1])
        narrowest = 2 * dif / max(size, 1.0)  # at most one minor tick per two pixels
        minors = [step for step in (0.5, 0.2, 0.1) + CLOCK_STEPS
                  if step < major and major % step == 0 and step >= narrowest
                  and major / step <= 6]
        levels = [(float(major), 0.0)]
        if minors:
            levels.append((float(min(minors)), 0.0))
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.mode != "time":
            return super().tickStrings(values, scale, spacing)
        decimals = decimals_for(spacing * scale)
        hours = any(abs(v * scale) >= 3600 - 0.5 * 10 ** -decimals for v in values)
        return [format_clock(v * scale, decimals, hours) for v in values]
