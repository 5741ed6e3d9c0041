"""`Player.swap` (A/B comparison) through the fake sounddevice: the other buffer goes on from the
very frame the playing one had reached, at the next block, on the same stream."""

from __future__ import annotations

import numpy as np

from explorer.audio import Player
from tests.audio.test_player_logic import BLOCK, FakeSD, ramp


def test_swap_goes_on_from_the_same_frame_at_the_next_block(fake_sd: FakeSD) -> None:
    a = ramp(5000)
    b = -ramp(5000)  # frame n of B is -(frame n of A): any jump or repeat shows
    player = Player(blocksize=BLOCK)
    player.play(a, 8000)
    stream = fake_sd.stream
    stream.pump(3)
    assert player.swap(b)
    stream.pump(2)
    assert player.swap(a)  # and back
    while stream.pump():
        pass
    out = stream.output()[:, 0]
    assert len(fake_sd.streams) == 1  # the same stream throughout: no reopening gap
    expected = np.concatenate([a[:3 * BLOCK], b[3 * BLOCK:5 * BLOCK], a[5 * BLOCK:]])
    np.testing.assert_array_equal(out[:5000], expected)
    assert not np.any(out[5000:])
    assert player.position == 5000


def test_swap_keeps_the_position_and_the_loop(fake_sd: FakeSD) -> None:
    a, b = ramp(4000), ramp(4000) * 2
    player = Player(blocksize=BLOCK)
    player.play(a, 8000, start=1000, end=3000, loop=True)
    stream = fake_sd.stream
    stream.pump(9)  # 2304 frames: looped once (2000 frames), 304 into the second round
    before = player.position
    assert player.swap(b)
    assert abs(player.position - before) <= BLOCK  # what is heard moves on by a block at most
    stream.pump(12)
    out = stream.output()[:, 0]
    played = out[9 * BLOCK:]
    start = 1000 + (9 * BLOCK - 2000)
    k = 3000 - start  # frames to the loop's end, then around again within the same region
    np.testing.assert_array_equal(played[:k], b[start:3000])
    np.testing.assert_array_equal(played[k:k + 500], b[1000:1500])


def test_swap_while_paused_is_heard_on_resume(fake_sd: FakeSD) -> None:
    a, b = ramp(3000), ramp(3000) + 1
    player = Player(blocksize=BLOCK)
    player.play(a, 8000)
    stream = fake_sd.stream
    stream.pump(2)
    player.pause()
    assert player.swap(b)
    stream.pump(2)  # silence while paused
    player.resume()
    stream.pump(1)
    out = stream.output()[:, 0]
    assert not np.any(out[2 * BLOCK:4 * BLOCK])
    np.testing.assert_array_equal(out[4 * BLOCK:5 * BLOCK], b[2 * BLOCK:3 * BLOCK])


def test_swap_refused_when_nothing_plays_or_another_play_started(fake_sd: FakeSD) -> None:
    player = Player(blocksize=BLOCK)
    assert not player.swap(ramp(100))  # stopped
    player.play(ramp(1000), 8000)
    first = player.play_id
    player.play(ramp(1000), 8000)
    assert not player.swap(ramp(1000), play_id=first)
    assert player.swap(ramp(1000), play_id=player.play_id)
    player.play(ramp(1000), 8000, more=True)
    player.queue_next(ramp(1000))
    assert not player.swap(ramp(2000))  # a chain (a long file's windows) is not swapped


def test_swap_through_the_software_resampler(fake_sd: FakeSD) -> None:
    """A device that refuses the clip's rate: the swapped buffer is converted whole, as the
    first one was, and joins at the same output frame."""
    fake_sd.refuse = (8000,)
    a = np.sin(np.arange(8000) * 2 * np.pi * 440 / 8000).astype(np.float32) * 0.1
    b = np.sin(np.arange(8000) * 2 * np.pi * 660 / 8000).astype(np.float32) * 0.1
    player = Player(blocksize=BLOCK)
    player.play(a, 8000)
    stream = fake_sd.stream
    assert stream.samplerate == 48000
    stream.pump(10)
    assert player.swap(b)
    while stream.pump():
        pass
    out = stream.output()[:, 0]
    import librosa

    ra = librosa.resample(a, orig_sr=8000, target_sr=48000, res_type="soxr_hq")
    rb = librosa.resample(b, orig_sr=8000, target_sr=48000, res_type="soxr_hq")
    np.testing.assert_allclose(out[:10 * BLOCK], ra[:10 * BLOCK], atol=1e-6)
    np.testing.assert_allclose(out[10 * BLOCK:rb.size], rb[10 * BLOCK:], atol=1e-6)
