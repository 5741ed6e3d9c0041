"""Comparing recordings (explorer.model.compare): difference, alignment, A/B buffers, stats."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.model import SpectrogramParams, load
from explorer.model.clip import from_array
from explorer.model.compare import (
    align,
    difference,
    diverging_table,
    measurements,
    playback_buffer,
    playback_buffers,
    reinterpret,
    shift,
    symmetric_limit,
    with_gain,
)
from explorer.model.measure import measure_one


def test_difference_of_a_file_with_itself_is_exactly_zero(speech_path) -> None:
    clip = load(speech_path)
    for params in (SpectrogramParams(), SpectrogramParams.notebook()):
        diff = difference(clip, load(speech_path), params)
        assert diff.values.shape[0] == (1025 if params.kind == "stft" else 128)
        assert diff.values.shape[1] > 100
        assert np.all(diff.values == 0.0)
        assert symmetric_limit(diff.values) == 0.0
    assert diff.unit == "dB"


def test_difference_shows_a_gain_as_its_db_everywhere_and_a_missing_band(speech_path) -> None:
    clip = load(speech_path)
    louder = with_gain(clip, 6.0)
    diff = difference(louder, clip, SpectrogramParams())
    # absolute dB reference, no top_db: +6 dB of gain is +6 dB in every cell above the floor
    audible = difference(clip, clip.resample(8000).resample(16000), SpectrogramParams())
    sound = diff.values[np.abs(diff.values) > 1e-3]
    assert np.allclose(np.median(sound), 6.0, atol=0.01)
    top = audible.frequencies > 4200  # the round trip through 8 kHz lost the band above 4 kHz
    low = (audible.frequencies > 200) & (audible.frequencies < 3500)
    assert np.median(audible.values[top]) > 20.0
    assert abs(np.median(audible.values[low])) < 1.0


def test_difference_needs_the_same_rate(speech_path) -> None:
    clip = load(speech_path)
    with pytest.raises(ValueError, match="same sample rate"):
        difference(clip, clip.resample(8000), SpectrogramParams())


def test_alignment_finds_a_known_shift_of_a_real_recording(speech_path) -> None:
    clip = load(speech_path)
    rng = np.random.default_rng(18)
    for lag in (1234, -777):
        moved = shift(clip, lag)
        noisy = from_array(moved.samples + rng.normal(0, 0.01, moved.samples.shape), 16000)
        found = align(clip, noisy)
        # b delayed by lag lines up: noisy is clip delayed by `lag`, so it lines up advanced
        assert abs(found.lag + lag) <= 1, found
        assert found.seconds == pytest.approx(found.lag / 16000)
        assert found.score > 0.9
        realigned = shift(noisy, found.lag)
        n = min(realigned.frames, clip.frames) - 2000
        err = realigned.samples[:n, 0] - clip.samples[:n, 0]
        assert np.sqrt(np.mean(err ** 2)) < 0.012  # only the added noise is left


def test_alignment_bounded_and_text(speech_path) -> None:
    clip = load(speech_path)
    found = align(shift(clip, 400), clip, max_lag=0.1)
    assert found.lag == 400
    assert "+400 samples" in found.text() and "+25.00 ms" in found.text()
    with pytest.raises(ValueError, match="same sample rate"):
        align(clip, clip.resample(8000))


def test_reinterpret_keeps_the_samples_at_another_rate(speech_path) -> None:
    clip = load(speech_path)
    half, double = reinterpret(clip, 0.5), reinterpret(clip, 2.0)
    assert half.sample_rate == 8000 and double.sample_rate == 32000
    assert half.samples is clip.samples and double.samples is clip.samples
    assert half.duration == pytest.approx(2 * clip.duration)
    assert "x0.5" in half.name and "x2" in double.name


def test_playback_buffers_share_one_rate_and_length(speech_path) -> None:
    clip = load(speech_path)
    clips = [clip, reinterpret(clip, 0.5), reinterpret(clip, 2.0)]
    rate, buffers = playback_buffers(clips, [0.0, -6.0, 0.0])
    assert rate == 32000
    frames = int(round(2 * clip.duration * rate))
    assert all(b.shape == (frames, 1) for b in buffers)
    # x2 at 32 kHz is the file's samples as they are, then silence to the common end
    np.testing.assert_array_equal(buffers[2][:clip.frames], clip.samples)
    assert not np.any(buffers[2][clip.frames:])
    # -6 dB halves the amplitude: the x0.5 copy (resampled 8 -> 32 kHz) at half its peak
    alone = playback_buffer(clips[1], rate, frames)
    np.testing.assert_allclose(buffers[1], alone * np.float32(10 ** (-6 / 20)), rtol=1e-6)
    assert np.max(np.abs(alone)) > 0.1


def test_stats_equal_the_dataset_measurements(speech_path, robin_path) -> None:
    clips = [load(speech_path), load(robin_path)]
    rows = measurements(clips)
    assert rows == [measure_one(speech_path), measure_one(robin_path)]
    half = measurements([reinterpret(clips[0], 0.5)])[0]
    assert half.sample_rate == 8000 and half.peak_dbfs == rows[0].peak_dbfs
    assert half.duration == pytest.approx(2 * rows[0].duration)


def test_diverging_table_is_symmetric_and_light_in_the_middle() -> None:
    table = diverging_table()
    assert table.shape == (256, 3) and table.dtype == np.uint8
    assert table[0, 2] > table[0, 0] and table[-1, 0] > table[-1, 2]  # blue low, red high
    assert table[127:129].min() > 235  # near-white around 0 dB
