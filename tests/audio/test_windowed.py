"""Long files play window by window without a gap: the next window is chained onto the stream.

First exact checks through the fake sounddevice (every sample, one stream, what is held), then
the real thing: a continuous tone played through the null sink and recorded."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from explorer.audio import Player
from explorer.audio import devices as devices_module
from explorer.audio.windowed import WindowedPlayer
from explorer.model import info, make_tone
from explorer.ui.state.long_file import LongClip
from tests.audio.test_player_logic import BLOCK, FakeSD, ramp
from tests.soundcard import (
    SoundCard,
    dominant_frequency,
    level_frames,
    phase_steps,
    rms,
    trim,
)

SR = 8000
WINDOW = 400  # frames: WindowedPlayer(window_seconds=0.05) at 8 kHz
FRAMES = 2100  # five whole windows and a part


def _wav(path: Path, samples: np.ndarray, sr: int) -> LongClip:
    sf.write(path, samples, sr, subtype="FLOAT")  # float: the file's samples come back exactly
    return LongClip(info(path))


@pytest.fixture()
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> FakeSD:
    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    ticks = itertools.count(0.0, 10.0)  # each reading 10 s later: all sent was heard
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: next(ticks))
    return sd


@pytest.fixture()
def ramp_clip(tmp_path: Path) -> LongClip:
    return _wav(tmp_path / "ramp.wav", ramp(FRAMES), SR)


@pytest.fixture()
def windowed(fake_sd: FakeSD, ramp_clip: LongClip):
    wp = WindowedPlayer(Player(blocksize=BLOCK), ramp_clip, window_seconds=WINDOW / SR)
    yield wp
    wp.stop()


def _until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def _pump(wp: WindowedPlayer, stream, blocks: int = 10**6) -> None:
    """Run the callback block by block, each once the feeder has queued what follows (as it
    does a whole window ahead of need in real time); checks that at most two windows are held."""
    for _ in range(blocks):
        _until(lambda: wp.player.queued or wp.queued_to >= wp.end or wp.loop is not None)
        assert wp.queued_to - wp.position <= 2 * wp.window
        if not stream.pump():
            return


def test_windows_follow_each_other_sample_exact_on_one_stream(fake_sd, windowed) -> None:
    windowed.play(np.zeros((0, 1)), SR)
    stream = fake_sd.stream
    assert windowed.position == 0
    _pump(windowed, stream, 5)  # 1280 frames: in the fourth window
    assert windowed.position == 5 * BLOCK  # file frames
    _pump(windowed, stream)
    out = stream.output()[:, 0]
    assert len(fake_sd.streams) == 1  # never reopened
    np.testing.assert_array_equal(out[:FRAMES], ramp(FRAMES))  # every sample once, in order
    assert not np.any(out[FRAMES:])
    assert windowed.windows_read == 6
    assert windowed.state == "stopped" and windowed.wait(0)
    assert windowed.position == FRAMES


def test_seek_within_held_windows_keeps_the_stream(fake_sd, windowed) -> None:
    windowed.play(np.zeros((0, 1)), SR)
    stream = fake_sd.stream
    _pump(windowed, stream, 1)
    windowed.seek(450)  # in the window queued behind the playing one
    assert windowed.position == 450
    _pump(windowed, stream, 2)
    np.testing.assert_array_equal(stream.output()[BLOCK:, 0], ramp(FRAMES)[450:450 + 2 * BLOCK])
    assert len(fake_sd.streams) == 1
    windowed.seek(100)  # played and let go: read again, on a new stream
    assert len(fake_sd.streams) == 2 and windowed.position == 100
    windowed.seek(1900)  # beyond what is held: the same
    assert len(fake_sd.streams) == 3
    _pump(windowed, fake_sd.stream)
    np.testing.assert_array_equal(fake_sd.stream.output()[:200, 0], ramp(FRAMES)[1900:])
    assert windowed.position == FRAMES


def test_loop_then_play_on_without_a_gap(fake_sd, windowed) -> None:
    data = ramp(FRAMES)
    windowed.play(np.zeros((0, 1)), SR)
    windowed.set_loop((700, 1000))  # the loop region is played as one window
    stream = fake_sd.stream
    _pump(windowed, stream, 4)
    out = stream.output()[:, 0]
    np.testing.assert_array_equal(out, np.tile(data[700:1000], 4)[:out.size])
    windowed.set_loop(None)  # plays on to the region's end, then into the following windows
    _pump(windowed, stream)
    out = stream.output()[:, 0]
    assert len(fake_sd.streams) == 2
    wrapped = 4 * BLOCK % 300  # where the fourth block left the loop
    np.testing.assert_array_equal(out[4 * BLOCK:4 * BLOCK + FRAMES - 700 - wrapped],
                                  data[700 + wrapped:])
    assert windowed.position == FRAMES


def test_rate_change_keeps_the_file_position_and_the_chain(fake_sd, windowed) -> None:
    windowed.play(np.zeros((0, 1)), SR)
    _pump(windowed, fake_sd.stream, 3)
    windowed.set_rate(2.0)
    second = fake_sd.stream
    assert second.samplerate == 2 * SR and windowed.position == 3 * BLOCK
    _pump(windowed, second)
    np.testing.assert_array_equal(second.output()[:FRAMES - 3 * BLOCK, 0],
                                  ramp(FRAMES)[3 * BLOCK:])
    assert len(fake_sd.streams) == 2 and windowed.position == FRAMES


def test_pause_and_end_region(fake_sd, windowed) -> None:
    windowed.play(np.zeros((0, 1)), SR, start=300, end=1500)
    stream = fake_sd.stream
    _pump(windowed, stream, 2)
    windowed.pause()
    assert windowed.state == "paused"
    _pump(windowed, stream, 2)
    assert windowed.position == 300 + 2 * BLOCK
    windowed.resume()
    _pump(windowed, stream)
    out = stream.output()[:, 0]
    sound = out[out != 0]
    np.testing.assert_array_equal(sound, ramp(FRAMES)[300:1500])
    assert windowed.position == 1500 and windowed.state == "stopped"


def _feeders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "long-playback-feeder"]


def test_feeder_leaves_a_player_that_plays_something_else(fake_sd, windowed) -> None:
    windowed.play(np.zeros((0, 1)), SR)
    _until(lambda: windowed.player.queued)
    (feeder,) = _feeders()
    windowed.player.play(ramp(5000), SR)  # e.g. a short file, on the same real player
    feeder.join(2.0)
    assert not feeder.is_alive()  # it saw the other play() and ended, instead of polling forever
    assert windowed.player.queued == 0  # and queued nothing onto the short file


# ----- through the null sink -------------------------------------------------------------------
TONE_SR = 16000
TONE_SECONDS = 3.0
AMPLITUDE = 0.1


def _assert_one_continuous_tone(rec, freq: float, seconds: float) -> dict:
    body = trim(rec.samples, rec.rate)
    tone_level = AMPLITUDE / np.sqrt(2)
    levels = level_frames(body, rec.rate, 0.01)[1:-1] / tone_level  # 10 ms frames
    steps = phase_steps(body, rec.rate, freq)[1:-1]  # 25 ms frames at 440 Hz
    facts = {"length": body.size / rec.rate, "pitch": dominant_frequency(body, rec.rate),
             "min_level": float(levels.min()), "max_phase_step": float(steps.max()),
             "level_db": float(20 * np.log10(rms(body) / tone_level))}
    assert facts["pitch"] == pytest.approx(freq, rel=0.02), facts
    assert facts["length"] == pytest.approx(seconds, abs=0.05), facts
    assert facts["min_level"] > 0.8, facts  # no dropout anywhere (a reopened stream: 0)
    # no jump of phase: not one sample dropped or repeated (one sample would be 0.17 rad)
    assert facts["max_phase_step"] < 0.08, facts
    assert abs(facts["level_db"]) < 1.5, facts
    return facts


def _assert_position_steady(track: np.ndarray, frames_per_second: float) -> float:
    """The polled position (file frames) moves on at the playing rate through every window
    boundary: never back, never a jump; returns the largest deviation in seconds."""
    t, pos = track[:, 0], track[:, 1]
    moving = (pos > 0) & (pos < pos.max())  # not before the first sound nor after the last
    t, pos = t[moving], pos[moving]
    assert np.all(np.diff(pos) >= 0)
    deviation = (pos - pos[0]) / frames_per_second - (t - t[0])
    worst = float(np.max(np.abs(deviation - np.median(deviation))))
    assert worst < 0.06, worst  # a block and timer jitter; a reopened stream would be > 0.06
    return worst


@pytest.fixture(scope="module")
def tone_clip(tmp_path_factory) -> LongClip:
    path = tmp_path_factory.mktemp("gapless") / "tone.wav"
    return _wav(path, make_tone(440, TONE_SECONDS, TONE_SR, AMPLITUDE), TONE_SR)


class CountingPlayer(Player):
    """A Player that counts the streams it was asked to start."""

    plays = 0

    def play(self, *args, **kwargs) -> None:
        self.plays += 1
        super().play(*args, **kwargs)


@pytest.mark.sound
@pytest.mark.parametrize(("rate", "freq", "seconds"), [(1.0, 440.0, TONE_SECONDS),
                                                       (2.0, 880.0, TONE_SECONDS / 2)])
def test_long_file_plays_gapless_across_windows(null_sink: SoundCard, tone_clip: LongClip,
                                                rate: float, freq: float, seconds: float) -> None:
    player = CountingPlayer()
    wp = WindowedPlayer(player, tone_clip, window_seconds=0.5)
    track = []  # (time, position) as Playback polls them, ~60 Hz
    try:
        with null_sink.recording() as rec:
            wp.play(np.zeros((0, 1)), TONE_SR, rate=rate)
            deadline = time.monotonic() + 20
            while wp.state != "stopped" and time.monotonic() < deadline:
                track.append((time.monotonic(), wp.position))
                time.sleep(0.016)
            assert wp.wait(1)
    finally:
        wp.stop()
    assert player.plays == 1 and wp.windows_read == 6  # six windows, one stream
    assert player.stream_rate == int(TONE_SR * rate)
    _assert_one_continuous_tone(rec, freq, seconds)
    assert wp.position == tone_clip.frames
    _assert_position_steady(np.array(track, dtype=np.float64), TONE_SR * rate)


@pytest.mark.sound
def test_a_short_first_window_then_whole_windows_play_gapless(
        null_sink: SoundCard, tone_clip: LongClip, monkeypatch: pytest.MonkeyPatch) -> None:
    """play() reads only a short first window (it runs on the GUI thread); the feeder chains the
    whole windows that follow before it runs out."""
    from explorer.audio import windowed as long_playback

    monkeypatch.setattr(long_playback, "FIRST_WINDOW_SECONDS", 0.25)
    player = CountingPlayer()
    wp = WindowedPlayer(player, tone_clip, window_seconds=1.0)
    assert wp.first == TONE_SR // 4 and wp.window == TONE_SR
    try:
        with null_sink.recording() as rec:
            wp.play(np.zeros((0, 1)), TONE_SR)
            assert wp.wait(20)
    finally:
        wp.stop()
    assert player.plays == 1 and wp.windows_read == 4  # 0.25 s, then 1 s, 1 s and 0.75 s
    _assert_one_continuous_tone(rec, 440.0, TONE_SECONDS)


@pytest.mark.sound
def test_gapless_through_the_software_resampler(null_sink: SoundCard, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A device refusing the file's rate: windows are converted by one streaming resampler."""
    import sounddevice as sd

    real_check = sd.check_output_settings

    def check(*args, samplerate=None, **kwargs):
        if samplerate is not None and round(samplerate) == 8000:
            raise sd.PortAudioError("Invalid sample rate [PaErrorCode -9997]")
        return real_check(*args, samplerate=samplerate, **kwargs)

    monkeypatch.setattr(sd, "check_output_settings", check)
    clip = _wav(tmp_path / "tone8k.wav", make_tone(440, 2.0, 8000, AMPLITUDE), 8000)
    player = CountingPlayer()
    wp = WindowedPlayer(player, clip, window_seconds=0.5)
    try:
        with null_sink.recording() as rec:
            wp.play(np.zeros((0, 1)), 8000)
            assert wp.wait(20)
    finally:
        wp.stop()
    assert player.stream_rate == round(player.device_info.default_samplerate) != 8000
    assert player.plays == 1 and wp.windows_read == 4
    _assert_one_continuous_tone(rec, 440.0, 2.0)


class SlowClip:
    """A long clip whose reads take a while, as 5 minutes of a long file do (~120 ms)."""

    def __init__(self, frames: int, sample_rate: int, delay: float) -> None:
        self.frames, self.sample_rate, self.channels = frames, sample_rate, 1
        self.name, self.delay, self.reads = "slow.wav", delay, []

    def read(self, start: int, stop: int) -> np.ndarray:
        self.reads.append((start, stop))
        if stop - start > self.sample_rate:  # only long reads are slow
            time.sleep(self.delay)
        return np.zeros((max(0, stop - start), 1), np.float32)


def test_a_long_loop_region_is_read_off_the_calling_thread(fake_player) -> None:
    """Turning on a loop of minutes must not hold the GUI thread while it is read: the call
    returns at once, playback reads as playing (and where it will start), then the region plays
    looping; stopping meanwhile drops the read."""
    sr = 1000
    clip = SlowClip(3600 * sr, sr, delay=0.3)
    wp = WindowedPlayer(fake_player, clip, window_seconds=30)
    wp.play(np.zeros((0, 1)), sr, start=1000 * sr)
    t0 = time.perf_counter()
    wp.set_loop((1000 * sr, 1200 * sr))  # 200 s
    assert time.perf_counter() - t0 < 0.05
    assert wp.state == "playing" and wp.position == 1000 * sr
    wp.pause()
    assert wp.state == "paused"
    deadline = time.monotonic() + 5
    while fake_player.called("play")[-1][6] is not True and time.monotonic() < deadline:
        time.sleep(0.01)
    play = fake_player.called("play")[-1]
    assert play[1] == 200 * sr and play[6] is True  # the whole region, looping
    assert fake_player.state == "paused" and wp.state == "paused"
    # again, stopped before the read ends: nothing plays afterwards
    wp.resume()
    wp.set_loop((2000 * sr, 2100 * sr))
    plays = len(fake_player.called("play"))
    wp.stop()
    time.sleep(0.5)
    assert len(fake_player.called("play")) == plays and wp.state == "stopped"
