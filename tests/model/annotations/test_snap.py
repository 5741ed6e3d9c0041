"""Snapping an edge to the nearest zero crossing (model/annotations/snap.py)."""

from __future__ import annotations

import numpy as np

from explorer.model.annotations.snap import nearest_zero_crossing


def test_snaps_to_the_nearest_sign_change_within_reach():
    rate = 1000
    t = np.arange(rate) / rate
    x = np.sin(2 * np.pi * 10 * t + 0.3)  # crossings every 50 ms, none on a sample
    got = nearest_zero_crossing(x, rate, 0.110, within=0.02)
    i = int(round(got * rate))
    assert abs(x[i]) < abs(2 * np.pi * 10 / rate)  # the sample nearest to zero of the pair
    assert np.sign(x[i - 1]) != np.sign(x[i + 1])
    crossings = np.flatnonzero(np.sign(x[:-1]) != np.sign(x[1:])) / rate
    assert abs(got - crossings[np.argmin(abs(crossings - 0.110))]) <= 1 / rate


def test_stays_put_when_no_crossing_is_near_and_takes_channels_mean():
    rate = 1000
    x = np.ones(1000)
    assert nearest_zero_crossing(x, rate, 0.5) == 0.5
    stereo = np.stack([np.linspace(-1, 1, 1000), np.linspace(-1, 1, 1000) + 0.2], axis=1)
    got = nearest_zero_crossing(stereo, rate, 0.45, within=0.1)
    assert abs(got - 0.4495) < 2 / rate  # where the mean (x + 0.1) crosses zero
    assert nearest_zero_crossing(np.zeros(0), rate, 0.2) == 0.2
