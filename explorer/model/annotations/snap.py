"""Snapping a label's edge to the nearest zero crossing of the audio, so a cut or a loop at the
edge does not click (as Audacity's "snap to zero crossings"). Pure numpy; the window asks it."""

from __future__ import annotations

import numpy as np

#: How far (seconds) an edge may move to reach a zero crossing; farther, it stays where it is.
SNAP_WITHIN = 0.005


def nearest_zero_crossing(samples: np.ndarray, rate: int, t: float,
                          within: float = SNAP_WITHIN) -> float:
    """The time of the zero crossing nearest to `t` (of the channels' mean), within `within`
    seconds; `t` itself when there is none so close. A crossing is the sample nearer to zero of
    two neighbours whose signs differ, or a sample that is exactly zero."""
    x = np.asarray(samples)
    if x.ndim == 2:
        x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
    if rate <= 0 or len(x) < 2:
        return t
    centre = int(round(t * rate))
    reach = max(1, int(round(within * rate)))
    lo, hi = max(0, centre - reach), min(len(x), centre + reach + 1)
    if hi - lo < 2:
        return t
    part = x[lo:hi].astype(np.float64)
    sign = np.sign(part)
    k = np.flatnonzero((sign[:-1] * sign[1:] < 0) | (sign[:-1] == 0))
    if sign[-1] == 0:
        k = np.append(k, len(part) - 1)
    if not len(k):
        return t
    # of each pair, the sample closer to zero
    nxt = np.minimum(k + 1, len(part) - 1)
    best = np.where(np.abs(part[k]) <= np.abs(part[nxt]), k, nxt) + lo
    choice = best[np.argmin(np.abs(best - centre))]
    return float(choice) / rate
