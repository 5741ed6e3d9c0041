"""LiveInput: sources open off the caller's thread, failures become messages, xruns are counted.

Fake streams (no sound card) cover opening failures, vanishing devices and status flags; the
sound tests record a PulseAudio null sink's monitor through PortAudio's "pulse" device.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.audio import devices
from explorer.audio.live import PLAYBACK, LiveInput, SourceSpec, StampedRing, list_sources
from explorer.model import make_tone
from tests.soundcard import dominant_frequency

OK = SimpleNamespace(input_overflow=False, input_underflow=False)
OVERFLOW = SimpleNamespace(input_overflow=True, input_underflow=False)


class FakeStream:
    """An input stream the test drives: `feed()` calls the callback as PortAudio would."""

    instances: list[FakeStream] = []

    def __init__(self, **kwargs) -> None:
        self.kwargs = kwargs
        self.callback = kwargs["callback"]
        self.finished_callback = kwargs["finished_callback"]
        self.started = self.closed = False
        FakeStream.instances.append(self)

    def start(self) -> None:
        self.started = True

    def abort(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def feed(self, samples: np.ndarray, status=OK) -> None:
        block = np.asarray(samples, np.float32).reshape(-1, 1)
        self.callback(block, block.shape[0], None, status)

    def vanish(self) -> None:
        self.finished_callback()


class FakePlayer:
    def __init__(self, rate: int = 48000) -> None:
        self.tap = None
        self.stream_rate = rate
        self.state = "stopped"
        self.underflows = 0


@pytest.fixture
def fake_streams():
    FakeStream.instances = []
    return FakeStream.instances


def wait_for(predicate, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        time.sleep(0.005)


MIC = SourceSpec("input", "fake mic", 3)


def open_fake(fake_streams, **kwargs) -> tuple[LiveInput, FakeStream]:
    live = LiveInput(stream_factory=FakeStream, **kwargs)
    live.select(MIC)
    wait_for(lambda: live.state == "running")
    return live, fake_streams[-1]


def test_input_samples_arrive_through_the_ring(fake_streams):
    live, stream = open_fake(fake_streams)
    assert stream.kwargs["channels"] == 1 and stream.kwargs["samplerate"] == 48000
    tone = make_tone(1000, 0.2, 48000).astype(np.float32)
    for start in range(0, tone.size, 256):
        stream.feed(tone[start:start + 256])
    chunk = live.read()
    assert chunk.rate == 48000
    np.testing.assert_array_equal(chunk.samples, tone)
    assert chunk.end_frame == tone.size
    assert live.time_of(tone.size - 1) is not None
    assert live.read().samples.size == 0  # nothing new
    live.close()
    assert stream.closed


def test_a_device_that_fails_to_open_gives_a_message_not_an_exception():
    def broken(**_kwargs):
        raise RuntimeError("Error opening InputStream: Device unavailable [PaErrorCode -9985]")

    live = LiveInput(stream_factory=broken)
    live.select(MIC)
    wait_for(lambda: live.state != "opening")
    assert live.state == "failed"
    assert "fake mic" in live.message and "Device unavailable" in live.message
    assert live.read() is None
    live.close()


def test_a_device_that_disappears_stops_the_source_with_a_message(fake_streams):
    live, stream = open_fake(fake_streams)
    stream.feed(np.zeros(512))
    live.read()
    stream.vanish()  # PortAudio ended the stream by itself
    assert live.read() is None
    assert live.state == "failed" and "disconnected" in live.message
    wait_for(lambda: stream.closed)
    live.close()


def test_a_stalled_device_is_noticed(fake_streams):
    live, stream = open_fake(fake_streams, stall_timeout=0.1)
    stream.feed(np.zeros(512))
    live.read()
    time.sleep(0.15)
    assert live.read() is None
    assert live.state == "failed" and "no audio" in live.message
    live.close()


def test_overflow_flags_and_ring_overruns_are_counted(fake_streams):
    live, stream = open_fake(fake_streams)
    stream.feed(np.zeros(256), OVERFLOW)
    stream.feed(np.zeros(256), OK)
    assert live.input_overflows == 1
    for _ in range(2):  # more than the ring holds, unread
        stream.feed(np.zeros(live.ring.capacity))
    assert live.overruns >= 1
    assert live.xruns == live.input_overflows + live.overruns
    live.close()


def test_switching_closes_the_old_stream_and_a_late_open_is_dropped(fake_streams):
    live, first = open_fake(fake_streams)
    live.select(SourceSpec("input", "other", 4))
    wait_for(lambda: live.state == "running" and len(fake_streams) == 2)
    assert first.closed and not fake_streams[1].closed
    assert fake_streams[1].kwargs["device"] == 4
    live.select(None)
    wait_for(lambda: fake_streams[1].closed)
    assert live.state == "stopped" and live.read() is None
    live.close()


def test_playback_taps_the_player_and_scrolls_on_with_silence_when_stopped():
    player = FakePlayer(44100)
    live = LiveInput(player)
    live.select(PLAYBACK)
    assert isinstance(player.tap, StampedRing) and live.state == "running"
    player.state = "playing"
    player.tap.write(np.ones(1024, np.float32))
    chunk = live.read()
    assert chunk.rate == 44100 and chunk.samples.size == 1024
    player.state = "stopped"
    time.sleep(0.05)
    silence = live.read()
    assert silence.end_frame is None and 0 < silence.samples.size <= 0.25 * 44100
    assert not silence.samples.any()
    generation = live.generation
    player.stream_rate = 48000  # the next play opened at another rate
    assert live.read().rate == 48000 and live.generation != generation
    player.underflows += 2
    assert live.underflows == 2 and live.xruns == 2
    live.select(MIC)
    assert player.tap is None
    live.close()


def test_list_sources_never_raises(monkeypatch):
    def boom():
        raise devices.AudioUnavailable("no PortAudio")

    monkeypatch.setattr(devices, "input_devices", boom)
    assert list_sources() == [PLAYBACK]
    assert list_sources(playback=False) == []


def test_stamped_ring_knows_when_each_frame_arrived():
    ring = StampedRing(1000)
    ring.write(np.zeros(100, np.float32))
    t1 = time.monotonic()
    time.sleep(0.01)
    ring.write(np.zeros(100, np.float32))
    assert ring.time_of(50) <= t1 < ring.time_of(150)
    assert ring.time_of(200) is None


@pytest.mark.sound
def test_a_null_sink_monitor_is_an_input(null_sink):
    from explorer.audio import Player

    live = LiveInput()
    pulse = [s for s in list_sources() if s.pulse_source == null_sink.monitor]
    assert pulse, "the private sink's monitor is offered as a source"
    live.select(pulse[0])
    wait_for(lambda: live.state != "opening")
    assert live.state == "running", live.message
    player = Player()
    player.play(make_tone(1000, 1.0, 48000, 0.5), 48000)
    got = []
    end = time.monotonic() + 5
    while time.monotonic() < end and sum(c.size for c in got) < 48000 * 1.5:
        chunk = live.read()
        if chunk is not None:
            got.append(chunk.samples)
        time.sleep(0.02)
    player.stop()
    live.close()
    samples = np.concatenate(got)
    loud = samples[np.abs(samples) > 0.1]
    assert loud.size > 0.5 * 48000
    assert dominant_frequency(samples, 48000) == pytest.approx(1000, abs=5)
    assert live.input_overflows == 0


def test_a_stereo_only_device_is_mixed_to_mono(fake_streams):
    live, stream = open_fake(fake_streams)
    block = np.stack([np.full(256, 0.5, np.float32), np.full(256, -0.25, np.float32)], axis=1)
    stream.callback(block, 256, None, OK)
    np.testing.assert_allclose(live.read().samples, np.full(256, 0.125, np.float32))
    live.close()
