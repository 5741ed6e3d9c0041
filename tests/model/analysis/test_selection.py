"""Raven's measurements of a selection, on synthetic signals whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.model.analysis import Selection, SelectionMeasurement, measure_selection
from explorer.model.analysis.selection import HEADINGS

SR = 16000


def tone(freq: float, seconds: float, sr: int = SR, amp: float = 0.5) -> np.ndarray:
    return (amp * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype(np.float32)


def test_tone_in_a_box_peaks_at_its_frequency():
    y = np.concatenate([np.zeros(SR, np.float32), tone(1000, 1.0), np.zeros(SR, np.float32)])
    m = measure_selection(y, SR, Selection(0.8, 2.2, 500, 3000), pitch=False)
    bin_hz = SR / 2048
    assert abs(m.peak_freq_hz - 1000) <= bin_hz
    assert abs(m.center_freq_hz - 1000) <= bin_hz
    assert 1.0 <= m.peak_time_s <= 2.0  # the tone's frames, not the silence around it
    assert m.begin_s == 0.8 and m.end_s == 2.2 and m.duration_s == pytest.approx(1.4, abs=1e-12)
    assert (m.low_hz, m.high_hz) == (500, 3000)
    assert m.bandwidth_90_hz <= 3 * bin_hz  # a pure tone: its energy sits in the bins around it
    # energy: the tone's sum of squares (amp^2 / 2 per sample), in dB
    assert m.energy_db == pytest.approx(10 * math.log10(0.125 * SR), abs=0.05)
    assert m.rms == pytest.approx(math.sqrt(0.125 * SR / (1.4 * SR)), rel=1e-3)


def test_44k_tone_peak_within_a_bin_and_its_median_f0():
    sr = 44100
    m = measure_selection(tone(1000, 1.0, sr), sr, Selection(0.2, 0.8))
    assert abs(m.peak_freq_hz - 1000) <= sr / 2048
    assert m.median_f0_hz == pytest.approx(1000, rel=0.01)


def test_a_box_that_leaves_the_tone_out_does_not_see_it():
    y = tone(1000, 1.0) + tone(3000, 1.0, amp=0.05)
    m = measure_selection(y, SR, Selection(0, 1, 2000, 4000), pitch=False)
    assert abs(m.peak_freq_hz - 3000) <= SR / 2048
    assert m.energy_db == pytest.approx(10 * math.log10(0.05**2 / 2 * SR), abs=0.1)


def test_white_noise_centre_and_percentiles():
    # 4 s of noise: 124 frames averaged per bin, so each bin's power has a relative spread of
    # 1/sqrt(124) ~ 9%; summed over the ~256 bins under half the band, the half-energy point moves
    # by ~0.6% of the band (~24 Hz for 4 kHz) at one sigma. Tolerance: 1% of the band + 1 bin.
    rng = np.random.default_rng(1)
    y = (0.1 * rng.standard_normal(5 * SR)).astype(np.float32)
    low, high = 1000.0, 5000.0
    m = measure_selection(y, SR, Selection(0.5, 4.5, low, high), pitch=False)
    tol = 0.01 * (high - low) + SR / 2048
    assert m.center_freq_hz == pytest.approx((low + high) / 2, abs=tol)
    assert m.f5_hz == pytest.approx(low + 0.05 * (high - low), abs=tol)
    assert m.f95_hz == pytest.approx(low + 0.95 * (high - low), abs=tol)
    assert m.bandwidth_90_hz == pytest.approx(0.9 * (high - low), abs=2 * tol)
    # the box holds its share of the noise's energy: 4 kHz of 8 kHz is half, -3 dB
    full = 10 * math.log10(float(np.sum(y[SR // 2 : 9 * SR // 2].astype(np.float64) ** 2)))
    assert m.energy_db == pytest.approx(full - 3.01, abs=0.2)


def test_whole_band_energy_is_the_sum_of_squares_exactly():
    rng = np.random.default_rng(2)
    y = (0.3 * rng.standard_normal(SR)).astype(np.float32)
    m = measure_selection(y, SR, Selection(0.25, 0.75), pitch=False)
    seg = y[SR // 4 : 3 * SR // 4].astype(np.float64)
    assert m.energy_db == pytest.approx(10 * math.log10(np.sum(seg**2)), abs=1e-9)
    assert m.rms == pytest.approx(math.sqrt(np.mean(seg**2)), rel=1e-9)
    assert (m.low_hz, m.high_hz) == (0.0, SR / 2)


def test_clipped_reversed_and_silent_selections():
    y = np.zeros(SR, np.float32)
    m = measure_selection(y, SR, Selection(2.0, -1.0, 5000, 100))
    assert (m.begin_s, m.end_s, m.duration_s) == (0.0, 1.0, 1.0)
    assert (m.low_hz, m.high_hz) == (100, 5000)
    assert m.energy_db == -math.inf and math.isnan(m.center_freq_hz) and math.isnan(m.median_f0_hz)
    assert m.rms == 0.0


def test_row_has_every_measurement_and_a_heading():
    m = measure_selection(tone(440, 0.5), SR, Selection(0.1, 0.4), pitch=False)
    row = m.to_row()
    assert list(row) == [f.name for f in SelectionMeasurement.__dataclass_fields__.values()]
    assert list(HEADINGS) == list(row) and all(isinstance(v, float) for v in row.values())
