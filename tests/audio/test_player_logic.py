"""The player's callback driven by hand through a fake sounddevice: exact, and no sound card."""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.audio import Player, RingBuffer
from explorer.audio import devices as devices_module

BLOCK = 256


class CallbackStop(Exception):
    pass


class PortAudioError(Exception):
    pass


@dataclass
class FakeTime:
    currentTime: float  # PortAudio's names
    outputBufferDacTime: float


class FakeStream:
    def __init__(self, sd: FakeSD, **kwargs) -> None:
        self.sd = sd
        self.kwargs = kwargs
        self.callback = kwargs["callback"]
        self.finished_callback = kwargs["finished_callback"]
        self.samplerate = kwargs["samplerate"]
        self.channels = kwargs["channels"]
        self.latency = 0.1
        self.active = False
        self.closed = False
        self.clock = 0.0
        self.sent: list[np.ndarray] = []
        sd.streams.append(self)

    def start(self) -> None:
        self.active = True

    def abort(self) -> None:
        if self.active:
            self.active = False
            self.finished_callback()

    def close(self) -> None:
        self.closed = True

    def pump(self, blocks: int = 1, underflow: bool = False) -> bool:
        """Run the callback; False once it raised CallbackStop (then finished is called)."""
        for _ in range(blocks):
            if not self.active:
                return False
            out = np.full((BLOCK, self.channels), np.nan, np.float32)
            status = SimpleNamespace(output_underflow=underflow)
            try:
                self.callback(out, BLOCK, FakeTime(self.clock, self.clock + self.latency),
                              status)
            except CallbackStop:
                self.sent.append(out)
                self.active = False
                self.finished_callback()
                return False
            finally:
                self.clock += BLOCK / self.samplerate
            self.sent.append(out)
        return True

    def output(self) -> np.ndarray:
        return np.concatenate(self.sent) if self.sent else np.zeros((0, self.channels))


class FakeSD:
    """Just what devices.py and player.py use of sounddevice."""

    CallbackStop = CallbackStop
    PortAudioError = PortAudioError

    def __init__(self, out_channels: int = 2, refuse: tuple[int, ...] = ()) -> None:
        self.default = SimpleNamespace(device=[0, 0])
        self.devices = [{"index": 0, "name": "fake", "hostapi": 0, "max_input_channels": 0,
                         "max_output_channels": out_channels, "default_samplerate": 48000.0}]
        self.refuse = refuse
        self.streams: list[FakeStream] = []

    def query_hostapis(self, index=None):
        apis = ({"name": "Fake", "devices": [0], "default_input_device": -1,
                 "default_output_device": 0},)
        return apis if index is None else apis[index]

    def query_devices(self, device=None, kind=None):
        if device is None:
            return list(self.devices)
        for d in self.devices:
            if d["index"] == device or (isinstance(device, str) and device in d["name"]):
                return d
        raise ValueError(f"No device matching {device!r}")

    def check_output_settings(self, device=None, channels=None, dtype=None, samplerate=None):
        if round(samplerate) in self.refuse:
            raise PortAudioError("Invalid sample rate")

    def OutputStream(self, **kwargs):  # sounddevice's name
        return FakeStream(self, **kwargs)

    def get_portaudio_version(self):
        return (0, "PortAudio fake")

    @property
    def stream(self) -> FakeStream:
        return self.streams[-1]


def ramp(n: int) -> np.ndarray:
    return (np.arange(n, dtype=np.float32) + 1) / 10000


def test_plays_every_sample_then_pads_until_heard(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    data = ramp(1000)
    player.play(data, 8000)
    stream = fake_sd.stream
    assert stream.kwargs["samplerate"] == 8000 and stream.channels == 2
    assert player.state == "playing"
    while stream.pump():
        pass
    out = stream.output()
    np.testing.assert_array_equal(out[:1000, 0], data)
    np.testing.assert_array_equal(out[:1000, 1], data)  # mono goes to both channels
    assert not np.any(out[1000:])
    # Silence continued until the last sample's DAC time (latency 0.1 s) plus the margin.
    assert (out.shape[0] - 1000) / 8000 >= stream.latency
    assert player.wait(0)
    assert player.state == "stopped"
    assert player.position == 1000


def test_rate_and_volume(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    player.set_volume(0.5)
    player.play(ramp(600), 8000, rate=2.0)
    stream = fake_sd.stream
    assert stream.samplerate == 16000 and player.stream_rate == 16000
    stream.pump(3)
    np.testing.assert_allclose(stream.output()[:600, 0], ramp(600) * 0.5)


def test_start_end_and_loop(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    data = ramp(1000)
    player.play(data, 8000, start=100, end=200, loop=True)
    stream = fake_sd.stream
    stream.pump(4)
    out = stream.output()[:, 0]
    np.testing.assert_array_equal(out, np.tile(data[100:200], 11)[: out.size])
    assert 100 <= player.position <= 200
    player.set_loop(None)
    while stream.pump():
        pass
    out = stream.output()[:, 0]
    assert out[out != 0][-1] == data[199]  # ended at `end`, not at the clip's end


def test_loop_with_start_before_the_region(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    data = ramp(1000)
    player.play(data, 8000)
    player.set_loop((300, 400))
    stream = fake_sd.stream
    stream.pump(3)
    out = stream.output()[:, 0]
    expected = np.concatenate([data[:400]] + [data[300:400]] * 5)
    np.testing.assert_array_equal(out, expected[: out.size])
    with pytest.raises(ValueError):
        player.set_loop((400, 300))


def test_seek_and_pause(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    data = ramp(2000)
    player.play(data, 8000)
    stream = fake_sd.stream
    stream.pump(1)
    player.pause()
    assert player.state == "paused"
    player.seek(1500)
    assert player.position == 1500
    stream.pump(2)
    assert player.position == 1500
    assert not np.any(stream.output()[BLOCK:])  # silence while paused
    player.resume()
    stream.pump(1)
    np.testing.assert_array_equal(stream.output()[3 * BLOCK:, 0], data[1500:1500 + BLOCK])
    player.seek(99999)  # clamped to the end
    assert player.position == 2000


def test_position_follows_what_is_heard(fake_sd: FakeSD, monkeypatch) -> None:
    """Position = frames sent minus what waits in the device's queue (latency 0.1 s)."""
    clock = [0.0]
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: clock[0])
    player = Player(blocksize=BLOCK)
    player.play(ramp(8000), 8000)
    stream = fake_sd.stream
    assert player.position == 0
    for _ in range(4):  # 1024 frames sent; the last block is heard from 0.196 to 0.228
        clock[0] = stream.clock
        stream.pump(1)
    clock[0] = 0.096
    assert player.position == 0  # nothing sent is audible yet (never before the start)
    clock[0] = 0.2
    assert player.position == pytest.approx(1024 - 0.028 * 8000, abs=1)
    clock[0] = 0.3  # the queue has drained
    assert player.position == 1024


def test_set_rate_reopens_at_the_position(fake_sd: FakeSD, monkeypatch) -> None:
    clock = [0.0]
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: clock[0])
    player = Player(blocksize=BLOCK)
    data = ramp(4000)
    player.play(data, 8000)
    first = fake_sd.stream
    first.pump(4)
    clock[0] = 10.0  # long after: all sent frames were heard
    player.set_rate(0.5)
    second = fake_sd.stream
    assert first.closed and second is not first
    assert second.samplerate == 4000 and player.rate == 0.5
    second.pump(1)
    np.testing.assert_array_equal(second.output()[:BLOCK, 0], data[1024:1024 + BLOCK])


def test_software_conversion_when_the_rate_is_refused(fake_sd: FakeSD) -> None:
    fake_sd.refuse = (4000,)
    player = Player(blocksize=BLOCK)
    sr = 4000
    t = np.arange(sr) / sr
    tone = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    player.play(tone, sr)
    stream = fake_sd.stream
    assert stream.samplerate == 48000 and player.stream_rate == 48000
    while stream.pump(50):
        pass
    out = stream.output()[:, 0]
    loud = np.flatnonzero(np.abs(out) > 1e-3)
    assert loud[-1] - loud[0] == pytest.approx(48000, abs=50)
    spec = np.abs(np.fft.rfft(out[:48000]))
    assert np.argmax(spec) * 48000 / 48000 == pytest.approx(440, abs=2)
    player.seek(2000)  # source frames map to device frames x 12
    assert player.position == 2000


def test_stereo_to_a_mono_device_and_tap(monkeypatch) -> None:
    sd = FakeSD(out_channels=1)
    monkeypatch.setattr(devices_module, "_sd", sd)
    tap = RingBuffer(4096)
    player = Player(blocksize=BLOCK, tap=tap)
    left, right = ramp(300), -ramp(300) * 3
    player.play(np.stack([left, right], axis=1), 8000)
    assert sd.stream.channels == 1
    sd.stream.pump(2)
    np.testing.assert_allclose(sd.stream.output()[:300, 0], (left + right) / 2, atol=1e-7)
    np.testing.assert_array_equal(tap.read_new(), sd.stream.output()[:, 0])


def test_underflows_are_counted(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    player.play(ramp(3000), 8000)
    fake_sd.stream.pump(2, underflow=True)
    assert player.underflows == 2


def test_stop_calls_no_on_finished_and_natural_end_does(fake_sd: FakeSD) -> None:
    calls = []
    player = Player(blocksize=BLOCK)
    player.on_finished = lambda: calls.append("done")
    player.play(ramp(3000), 8000)
    fake_sd.stream.pump(1)
    player.stop()
    assert player.state == "stopped" and player.wait(0)
    player.play(ramp(100), 8000)
    while fake_sd.stream.pump():
        pass
    deadline = time.monotonic() + 2
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == ["done"]


def test_callback_does_not_allocate(fake_sd: FakeSD) -> None:
    frames = 4096  # a block is 32 KiB: any per-block array would stand out
    tap = RingBuffer(48000)
    player = Player(blocksize=frames, tap=tap)
    player.play(np.stack([ramp(400000)] * 2, axis=1), 48000)
    player.set_loop((1000, 350000))
    stream = fake_sd.stream
    out = np.zeros((frames, 2), np.float32)
    status = SimpleNamespace(output_underflow=False)
    times = [FakeTime(i / 10, i / 10 + 0.1) for i in range(200)]
    stream.callback(out, frames, times[0], status)
    peaks = []
    for _ in range(3):  # tracemalloc sees every thread: keep the quietest of three runs
        tracemalloc.start()
        try:
            for t in times[1:]:
                stream.callback(out, frames, t, status)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert min(peaks) < 16384, peaks  # small Python objects only


def test_bad_arguments(fake_sd: FakeSD) -> None:
    player = Player()
    with pytest.raises(ValueError):
        player.play(np.zeros((2, 2, 2), np.float32), 8000)
    with pytest.raises(ValueError):
        player.play(ramp(10), 8000, rate=0)
    with pytest.raises(ValueError):
        player.set_rate(float("nan"))
    with pytest.raises(ValueError):
        player.play(ramp(10), 0)


def test_watchdog_declares_a_silent_stream_lost(fake_sd: FakeSD,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.audio import stream as stream_module

    monkeypatch.setattr(stream_module, "LOST_AFTER", 0.2)
    monkeypatch.setattr(stream_module, "STEADY_AFTER", 0.05)
    player = Player(blocksize=BLOCK)
    player.play(ramp(80000), 8000)
    stream = fake_sd.stream
    for _ in range(4):  # callbacks over 0.09 s: steady
        stream.pump()
        assert player.check() is None
        time.sleep(0.03)
    t0 = time.monotonic()
    assert not player.wait(0.1)  # still calling back recently: not lost yet
    assert player.wait(2.0)  # no more callbacks: wait() returns once the watchdog fires
    assert 0.2 <= time.monotonic() - t0 < 1.0
    assert player.lost is not None and player.lost.startswith("sound device lost: 'fake'")
    assert player.state == "stopped" and 0 < player.position <= 4 * BLOCK  # where it was
    deadline = time.monotonic() + 2
    while not stream.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.closed  # the lost stream was left to close on its own thread
    player.play(ramp(800), 8000)  # a new play starts afresh
    assert player.lost is None and player.state == "playing"


def test_a_stream_that_ends_by_itself_is_a_lost_device(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    player.play(ramp(80000), 8000)
    stream = fake_sd.stream
    stream.pump(3)
    stream.active = False
    stream.finished_callback()  # what PortAudio does when the sound server dies
    assert player.wait(0)
    assert "stopped with an error" in (player.lost or "")
    assert player.state == "stopped"


def test_watchdog_gives_a_new_stream_time_to_wake_the_sink(
        fake_sd: FakeSD, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.audio import stream as stream_module

    monkeypatch.setattr(stream_module, "LOST_AFTER", 0.2)
    monkeypatch.setattr(stream_module, "START_GRACE", 1.0)
    player = Player(blocksize=BLOCK)
    player.play(ramp(80000), 8000)
    fake_sd.stream.pump(3)  # the buffer filled at once, then PulseAudio wakes the sink
    assert not player.wait(0.6)  # longer than LOST_AFTER, but the stream has not gone steady
    assert player.lost is None and player.state == "playing"
    assert player.wait(2.0)  # ... and a stream that never does is lost after START_GRACE
    assert "no audio for 1." in (player.lost or "")
