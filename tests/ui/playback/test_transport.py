"""Pause, resume, seek, loop, rate, volume and the tap, checked on what the sink received."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

import numpy as np
import pytest

from explorer.audio import Player, RingBuffer
from explorer.model import make_tone
from tests.soundcard import (
    SoundCard,
    active_region,
    play_and_record,
    rms,
    time_at_frequencies,
    trim,
)

pytestmark = pytest.mark.sound

SR = 16000


@pytest.fixture()
def player() -> Player:
    p = Player()
    yield p
    p.stop()


def _two_tones(first: float, second: float, f1: float = 440.0, f2: float = 880.0) -> np.ndarray:
    return np.concatenate([make_tone(f1, first, SR, 0.1), make_tone(f2, second, SR, 0.1)])


def _sound_time(samples: np.ndarray, rate: int) -> float:
    """Seconds of sound (10 ms frames above -30 dB of the loudest)."""
    times = time_at_frequencies(samples, rate, [440.0, 880.0])
    return times[440.0] + times[880.0]


def test_pause_holds_the_position_and_resume_continues(null_sink: SoundCard,
                                                       player: Player) -> None:
    tone = make_tone(440, 1.0, SR, 0.1)
    with null_sink.recording() as rec:
        player.play(tone, SR)
        time.sleep(0.3)
        player.pause()
        assert player.state == "paused"
        time.sleep(0.3)  # what was queued in the device plays out; the position follows it
        held = player.position
        assert 0.25 * SR < held < 0.5 * SR
        time.sleep(0.2)
        assert player.position == held
        assert not player.wait(0.01)
        player.resume()
        assert player.state == "playing"
        assert player.wait(5)
    assert player.state == "stopped"
    assert player.position == tone.size
    # Every sample was heard once; the pause left a gap of about 0.4 s.
    assert _sound_time(rec.samples, rec.rate) == pytest.approx(1.0, abs=0.05)
    a, b = active_region(rec.samples, rec.rate)
    assert b - a == pytest.approx(1.5, abs=0.1)


def test_seek_while_paused_and_while_playing(null_sink: SoundCard, player: Player) -> None:
    signal = _two_tones(0.5, 0.5)
    with null_sink.recording() as rec:
        player.play(signal, SR)
        player.pause()
        player.seek(SR // 2)  # the 880 Hz half
        assert player.position == SR // 2
        time.sleep(0.2)
        assert player.position == SR // 2
        player.resume()
        assert player.wait(5)
    times = time_at_frequencies(trim(rec.samples, rec.rate), rec.rate, [440.0, 880.0])
    assert times[880.0] == pytest.approx(0.5, abs=0.04), times
    assert times[440.0] < 0.25, times  # only what the device had queued before the pause

    with null_sink.recording() as rec:
        player.play(signal, SR)
        time.sleep(0.1)
        player.seek(SR // 2)
        assert player.position >= SR // 2
        assert player.wait(5)
    times = time_at_frequencies(trim(rec.samples, rec.rate), rec.rate, [440.0, 880.0])
    assert times[880.0] == pytest.approx(0.5, abs=0.04), times
    assert times[440.0] < 0.4, times


def test_loop_region_repeats_until_cleared(null_sink: SoundCard, player: Player) -> None:
    signal = _two_tones(0.2, 0.3)
    a, b = 0, int(0.2 * SR)
    positions: list[int] = []
    with null_sink.recording() as rec:
        player.play(signal, SR)
        player.set_loop((a, b))
        assert player.loop_region == (a, b)
        deadline = time.monotonic() + 0.9
        while time.monotonic() < deadline:
            positions.append(player.position)
            time.sleep(0.01)
        player.set_loop(None)
        assert player.wait(5)
    assert max(positions) <= b
    assert any(later < earlier for earlier, later in pairwise(positions)), \
        "the position never jumped back to the loop start"
    times = time_at_frequencies(trim(rec.samples, rec.rate), rec.rate, [440.0, 880.0])
    assert times[440.0] > 0.7, times  # 0.2 s of source heard again and again
    assert times[880.0] == pytest.approx(0.3, abs=0.04), times


def test_play_with_loop_repeats_the_played_range(null_sink: SoundCard, player: Player) -> None:
    tone = make_tone(440, 1.0, SR, 0.1)
    with null_sink.recording() as rec:
        player.play(tone, SR, start=int(0.2 * SR), end=int(0.4 * SR), loop=True)
        assert player.loop_region == (int(0.2 * SR), int(0.4 * SR))
        assert not player.wait(0.8)
        assert int(0.2 * SR) <= player.position <= int(0.4 * SR)
        player.stop()
    assert player.wait(0)
    assert _sound_time(rec.samples, rec.rate) > 0.6


def test_volume_half_is_minus_six_db(null_sink: SoundCard, player: Player) -> None:
    tone = make_tone(440, 0.4, SR, 0.1)
    levels = []
    for volume in (1.0, 0.5):
        player.set_volume(volume)
        assert player.volume == volume
        rec = play_and_record(null_sink, player, tone, SR)
        levels.append(rms(trim(rec.samples, rec.rate)))
    assert 20 * np.log10(levels[1] / levels[0]) == pytest.approx(-6.02, abs=0.2)
    player.set_volume(5.0)
    assert player.volume == 2.0


def test_set_rate_while_playing_continues_from_the_position(null_sink: SoundCard,
                                                           player: Player) -> None:
    tone = make_tone(440, 1.0, SR, 0.1)
    with null_sink.recording() as rec:
        player.play(tone, SR)
        time.sleep(0.4)
        player.set_rate(2.0)
        assert player.rate == 2.0
        assert player.stream_rate == 2 * SR
        assert player.state == "playing"
        assert player.wait(5)
    times = time_at_frequencies(trim(rec.samples, rec.rate), rec.rate, [440.0, 880.0])
    # Source time is conserved: seconds at 440 Hz + 2 x seconds at 880 Hz == 1 s.
    assert times[440.0] + 2 * times[880.0] == pytest.approx(1.0, abs=0.08), times
    assert 0.25 < times[440.0] < 0.55, times


def test_stop_silences_at_once_and_skips_on_finished(null_sink: SoundCard,
                                                     player: Player) -> None:
    finished = threading.Event()
    player.on_finished = finished.set
    tone = make_tone(440, 1.0, SR, 0.1)
    with null_sink.recording() as rec:
        player.play(tone, SR)
        time.sleep(0.3)
        player.stop()
        assert player.state == "stopped"
        assert player.wait(0)
    assert not finished.wait(0.2)
    assert _sound_time(rec.samples, rec.rate) < 0.55


def test_on_finished_after_a_natural_end(null_sink: SoundCard, player: Player) -> None:
    finished = threading.Event()
    player.on_finished = finished.set
    player.play(make_tone(440, 0.2, SR, 0.1), SR)
    assert player.wait(5)
    assert finished.wait(1)
    assert player.state == "stopped"
    assert player.position == int(0.2 * SR)


def test_tap_gets_the_mono_mix_after_volume(null_sink: SoundCard) -> None:
    tap = RingBuffer(4 * SR)
    player = Player(tap=tap)
    left = make_tone(440, 0.5, SR, 0.1).astype(np.float32)
    right = make_tone(880, 0.5, SR, 0.1).astype(np.float32)
    player.set_volume(0.5)
    player.play(np.stack([left, right], axis=1), SR)
    assert player.wait(5)
    player.stop()
    assert player.stream_rate == SR
    got = tap.read_new()
    expected = (left * 0.5 + right * 0.5) * 0.5
    assert got.size >= expected.size
    np.testing.assert_allclose(got[: expected.size], expected, atol=1e-6)
    assert not np.any(got[expected.size:])  # then only the silence sent while draining


def test_empty_range_finishes_at_once(player: Player) -> None:
    player.play(np.zeros(100, np.float32), SR, start=50, end=50)
    assert player.wait(0)
    assert player.state == "stopped"
