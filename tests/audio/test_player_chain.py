"""Chained buffers (`Player.queue_next`) through the fake sounddevice: exact, no sound card."""

from __future__ import annotations

import itertools
import tracemalloc
from types import SimpleNamespace

import librosa
import numpy as np
import pytest

from explorer.audio import Player
from tests.audio.test_player_logic import BLOCK, FakeSD, FakeTime, ramp


def pump_all(stream) -> None:
    while stream.pump(20):
        pass


def test_queued_buffer_follows_without_a_gap(fake_sd: FakeSD) -> None:
    data = ramp(2500)
    player = Player(blocksize=BLOCK)
    player.play(data[:1000], 8000, more=True)
    assert player.queued == 0
    assert player.queue_next(data[1000:1700], last=False)
    assert player.queue_next(data[1700:], last=True)  # a chain may be longer than two
    assert player.queued == 1500
    stream = fake_sd.stream
    stream.pump(5)  # 1280 frames: into the second buffer
    assert player.queued == 800
    pump_all(stream)
    out = stream.output()
    assert len(fake_sd.streams) == 1  # one stream throughout
    np.testing.assert_array_equal(out[:2500, 0], data)  # every sample, in order, no gap
    np.testing.assert_array_equal(out[:2500, 1], data)
    assert not np.any(out[2500:])
    assert player.wait(0) and player.state == "stopped"
    assert player.position == 2500
    assert not player.queue_next(data[:10])  # too late: playback ended


def test_queue_next_only_onto_the_play_it_names(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    player.play(ramp(1000), 8000, more=True)
    first = player.play_id
    player.play(ramp(500), 8000)  # something else now plays
    assert not player.queue_next(ramp(100), play_id=first)
    assert player.queued == 0
    assert player.queue_next(ramp(100), play_id=player.play_id)


def test_position_across_the_switch_counts_what_the_device_still_queues(
        fake_sd: FakeSD, monkeypatch) -> None:
    clock = [0.0]
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: clock[0])
    player = Player(blocksize=BLOCK)
    player.play(ramp(1000), 8000, more=True)
    player.queue_next(ramp(8000))
    stream = fake_sd.stream
    for _ in range(5):  # 1280 frames sent: 1000 of the first buffer, 280 of the second
        clock[0] = stream.clock
        stream.pump(1)
    # the last block (frames 1024..1280) is heard from 0.228 to 0.26 (latency 0.1 s)
    clock[0] = 0.2
    assert player.position == pytest.approx(1280 - 0.06 * 8000, abs=1)  # still the first one
    clock[0] = 0.25
    assert player.position == pytest.approx(1280 - 0.01 * 8000, abs=1)
    clock[0] = 1.0
    assert player.position == 1280


def test_seek_into_the_queued_buffer_and_not_back(fake_sd: FakeSD) -> None:
    data = ramp(3000)
    player = Player(blocksize=BLOCK)
    player.play(data[:1000], 8000, more=True)
    player.queue_next(data[1000:])
    stream = fake_sd.stream
    stream.pump(1)
    assert player.seek(2000)  # in the queued buffer
    assert player.position == 2000
    stream.pump(1)
    np.testing.assert_array_equal(stream.output()[BLOCK:, 0], data[2000:2000 + BLOCK])
    assert player.queued == 0
    assert not player.seek(500)  # the first buffer was played and let go
    assert player.seek(1500)  # within the playing one
    stream.pump(1)
    np.testing.assert_array_equal(stream.output()[2 * BLOCK:, 0], data[1500:1500 + BLOCK])


def test_rate_change_keeps_the_chain(fake_sd: FakeSD, monkeypatch) -> None:
    clock = [0.0]
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: clock[0])
    data = ramp(3000)
    player = Player(blocksize=BLOCK)
    player.play(data[:1000], 8000, more=True)
    player.queue_next(data[1000:2000], last=False)
    first = fake_sd.stream
    first.pump(2)
    clock[0] = 10.0  # all sent frames were heard
    player.set_rate(2.0)
    second = fake_sd.stream
    assert second is not first and second.samplerate == 16000
    assert player.queued == 1000
    assert player.queue_next(data[2000:])
    pump_all(second)
    np.testing.assert_array_equal(second.output()[:2488, 0], data[512:])
    assert player.position == 3000


def test_loop_stays_in_its_buffer_then_the_chain_goes_on(fake_sd: FakeSD) -> None:
    data = ramp(2000)
    player = Player(blocksize=BLOCK)
    player.play(data[:1000], 8000, loop=True, more=True)
    player.queue_next(data[1000:])
    stream = fake_sd.stream
    stream.pump(8)
    out = stream.output()[:, 0]
    np.testing.assert_array_equal(out, np.tile(data[:1000], 3)[:out.size])
    player.set_loop(None)
    pump_all(stream)
    out = stream.output()[:, 0]
    played = out[8 * BLOCK:]
    resume = (8 * BLOCK) % 1000
    np.testing.assert_array_equal(played[:2000 - resume], data[resume:])


def test_software_conversion_joins_chained_buffers(fake_sd: FakeSD) -> None:
    """A streaming resampler: windows converted one after the other equal one conversion of
    the whole (per-window conversion would leave a filter transient at each boundary)."""
    fake_sd.refuse = (4000,)
    sr = 4000
    tone = librosa.tone(440, sr=sr, length=3 * sr).astype(np.float32) * 0.1
    player = Player(blocksize=BLOCK)
    player.play(tone[:sr], sr, more=True)
    player.queue_next(tone[sr:2 * sr], last=False)
    stream = fake_sd.stream
    assert stream.samplerate == 48000
    stream.pump(100)
    player.queue_next(tone[2 * sr:], last=True)
    pump_all(stream)
    out = stream.output()[:, 0]
    whole = librosa.resample(tone, orig_sr=sr, target_sr=48000, res_type="soxr_hq")
    np.testing.assert_allclose(out[:whole.size], whole, atol=1e-6)
    assert not np.any(out[whole.size:])
    assert player.position == 3 * sr


def test_memory_stays_two_buffers(fake_sd: FakeSD, monkeypatch) -> None:
    """Windows chained one ahead: a played buffer is let go at the switch (also after a seek)."""
    ticks = itertools.count(0.0, 10.0)  # each reading 10 s later: all sent was heard
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: next(ticks))
    window, frames = 100_000, 4096  # 400 KB of float32 a window
    out = np.zeros((frames, 2), np.float32)
    status = SimpleNamespace(output_underflow=False)
    player = Player(blocksize=frames)
    held, alone = [], []
    tracemalloc.start()
    try:
        player.play(ramp(window), 48000, more=True)
        callback = fake_sd.stream.callback
        for k in range(8):
            player.seek(player.position + 10)  # a request that names the playing buffer
            player.queue_next(ramp(window), last=k == 7)
            held.append(tracemalloc.get_traced_memory()[0])  # the playing and the queued
            while player.queued:  # through the playing window into the queued one
                callback(out, frames, FakeTime(0.0, 0.0), status)
            alone.append(tracemalloc.get_traced_memory()[0])  # the played one was let go
    finally:
        tracemalloc.stop()
    assert max(held) < 2.5 * window * 4, held
    assert max(alone) < 1.5 * window * 4, alone
