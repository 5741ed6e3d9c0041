"""A/B switching on the (virtual) sound card: what came out turns from A's tone to B's once, with
no silence in between, and B goes on from the frame A had reached (its phase says where)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from explorer.audio import Player
from explorer.model import make_tone
from tests.soundcard import SoundCard, level_frames

pytestmark = pytest.mark.sound

SR = 48000  # the null sink's rate
BLOCK = 1024
FA, FB = 440.0, 660.0
AMP = 0.2


def _phase(x: np.ndarray, first: int, freq: float) -> float:
    """Phase of `freq` in x, measured against a sine that starts at recording frame `first`."""
    m = np.arange(x.size)
    return float(np.angle(np.sum(x * np.exp(-2j * np.pi * freq * (m - first) / SR))))


def test_switch_from_a_440_to_a_660_hz_tone_without_a_gap(null_sink: SoundCard) -> None:
    a = make_tone(FA, clip_length=1.5, sr=SR, amplitude=AMP).astype(np.float32)
    b = make_tone(FB, clip_length=1.5, sr=SR, amplitude=AMP).astype(np.float32)
    player = Player(blocksize=BLOCK)
    try:
        with null_sink.recording(rate=SR) as rec:
            player.play(a, SR)
            time.sleep(0.6)
            assert player.swap(b)
            assert player.wait(10)
    finally:
        player.stop()
    x = rec.samples.astype(np.float64)
    sound = np.flatnonzero(np.abs(x) > 1e-4)
    assert sound.size, "nothing came out"
    first, last = int(sound[0]), int(sound[-1])
    assert (last - first) / SR == pytest.approx(1.5, abs=0.01)  # not a frame lost or added
    # no gap: every 5 ms holds the tone's level (a silent block of 21 ms would show as ~4)
    levels = level_frames(x[first + 48:last - 48], SR, frame=0.005)
    assert levels.min() > 0.6 * AMP / np.sqrt(2), levels.min()
    # which tone each 10 ms holds: A's, then B's from one switch on
    n = SR // 100
    frames = x[first:first + (last - first) // n * n].reshape(-1, n)
    t = np.arange(n) / SR
    energy = [np.abs(frames @ np.exp(-2j * np.pi * f * t)) for f in (FA, FB)]
    is_b = energy[1] > energy[0]
    k = int(np.argmax(is_b))
    assert k > 0 and is_b[k:].all() and not is_b[:k].any(), is_b.astype(int)
    switch = first + k * n
    assert 0.5 < k * n / SR < 1.0
    # same position: B's phase (against a sine from `first`) is A's scaled by FB/FA, i.e. B's
    # frame n plays where A's frame n would have; one frame off would turn it by 0.086 rad
    seg_a = x[:switch - 2 * n].copy()
    seg_a[:first + 960] = 0
    seg_b = x[:last - 960].copy()
    seg_b[:switch + 2 * n] = 0
    # a sine is a cosine turned by -pi/2; what is left is the delay from `first`, in radians
    pa, pb = (_phase(seg_a, first, FA) + np.pi / 2, _phase(seg_b, first, FB) + np.pi / 2)
    step = 2 * np.pi * FB / SR  # one frame of B in radians
    off = np.angle(np.exp(1j * (pb - pa * FB / FA)))
    assert abs(off) < step / 2, (pa, pb, off / step)
