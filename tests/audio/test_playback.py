"""What really comes out of the (virtual) sound card: pitch, level and length."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import librosa
import numpy as np
import pytest

from explorer.audio import Player
from explorer.model import from_array, load, make_tone
from tests.soundcard import (
    SoundCard,
    active_region,
    dominant_frequency,
    play_and_record,
    rms,
    time_at_frequencies,
    trim,
)

pytestmark = pytest.mark.sound

SR = 16000
LEVEL_DB_TOLERANCE = 1.5


def _db(ratio: float) -> float:
    return 20 * np.log10(ratio)


def _length(rec) -> float:
    a, b = active_region(rec.samples, rec.rate)
    return b - a


def _centroid(samples: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(samples * np.hanning(samples.size))) ** 2
    freqs = np.fft.rfftfreq(samples.size, 1 / rate)
    return float(np.sum(freqs * spec) / np.sum(spec))


@pytest.fixture()
def player() -> Player:
    p = Player()
    yield p
    p.stop()


def test_tone_pitch_level_length(null_sink: SoundCard, player: Player) -> None:
    tone = make_tone(440, clip_length=1.0, sr=SR, amplitude=0.1)
    rec = play_and_record(null_sink, player, tone, SR)
    body = trim(rec.samples, rec.rate)
    assert dominant_frequency(body, rec.rate) == pytest.approx(440, rel=0.02)
    assert abs(_db(rms(body) / (0.1 / np.sqrt(2)))) < LEVEL_DB_TOLERANCE
    assert _length(rec) == pytest.approx(1.0, abs=0.05)
    assert player.state == "stopped"
    assert player.position == tone.size


def test_rate_two_is_an_octave_up_and_twice_as_fast(null_sink: SoundCard, player: Player) -> None:
    tone = make_tone(440, clip_length=1.0, sr=SR, amplitude=0.1)
    rec = play_and_record(null_sink, player, tone, SR, rate=2.0)
    assert player.stream_rate == 2 * SR
    body = trim(rec.samples, rec.rate)
    assert dominant_frequency(body, rec.rate) == pytest.approx(880, rel=0.02)
    assert _length(rec) == pytest.approx(0.5, abs=0.05)
    assert abs(_db(rms(body) / (0.1 / np.sqrt(2)))) < LEVEL_DB_TOLERANCE


def test_speech_at_half_rate_is_twice_as_long_and_an_octave_down(
    null_sink: SoundCard, player: Player, speech_path: Path
) -> None:
    clip = load(speech_path).slice(1.0, 3.0)
    assert clip.sample_rate == SR
    mono = clip.mono()
    rec = play_and_record(null_sink, player, clip.samples, clip.sample_rate, rate=0.5)
    assert player.stream_rate == SR // 2

    src_a, src_b = active_region(mono, SR)
    assert _length(rec) == pytest.approx(2 * (src_b - src_a), abs=0.06)

    body = trim(rec.samples, rec.rate)
    ratio = _centroid(body, rec.rate) / _centroid(trim(mono, SR), SR)
    assert ratio == pytest.approx(0.5, rel=0.08)

    # The recording is the slice itself, heard at 8 kHz: correlate with that reference.
    reference = librosa.resample(trim(mono, SR), orig_sr=SR // 2, target_sr=rec.rate)
    n = body.size + reference.size
    corr = np.fft.irfft(np.fft.rfft(body, n) * np.conj(np.fft.rfft(reference, n)), n)
    peak = float(np.max(np.abs(corr))) / (np.linalg.norm(body) * np.linalg.norm(reference))
    assert peak > 0.9


@pytest.mark.parametrize("new_rate", [8000, 44100])
def test_resampled_clip_keeps_pitch_and_length(
    null_sink: SoundCard, player: Player, new_rate: int
) -> None:
    clip = from_array(make_tone(440, clip_length=1.0, sr=SR, amplitude=0.1), SR).resample(new_rate)
    assert clip.sample_rate == new_rate
    rec = play_and_record(null_sink, player, clip.samples, clip.sample_rate)
    assert player.stream_rate == new_rate
    body = trim(rec.samples, rec.rate)
    assert dominant_frequency(body, rec.rate) == pytest.approx(440, rel=0.02)
    assert _length(rec) == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize(("sr", "rate", "freq", "seconds"), [(4000, 1.0, 440, 1.0),
                                                             (2000, 2.0, 880, 0.5)])
def test_device_refusing_the_rate_gets_software_conversion(
    null_sink: SoundCard, player: Player, monkeypatch: pytest.MonkeyPatch,
    sr: int, rate: float, freq: float, seconds: float,
) -> None:
    import sounddevice as sd

    real_check = sd.check_output_settings
    refused: list[float] = []

    def check(*args, samplerate=None, **kwargs):
        if samplerate is not None and round(samplerate) == 4000:
            refused.append(samplerate)
            raise sd.PortAudioError("Invalid sample rate [PaErrorCode -9997]")
        return real_check(*args, samplerate=samplerate, **kwargs)

    monkeypatch.setattr(sd, "check_output_settings", check)
    tone = make_tone(440, clip_length=1.0, sr=sr, amplitude=0.1)
    rec = play_and_record(null_sink, player, tone, sr, rate=rate)
    assert refused, "the player did not ask the device"
    assert player.stream_rate == round(player.device_info.default_samplerate)
    body = trim(rec.samples, rec.rate)
    assert dominant_frequency(body, rec.rate) == pytest.approx(freq, rel=0.02)
    assert _length(rec) == pytest.approx(seconds, abs=0.05)
    assert abs(_db(rms(body) / (0.1 / np.sqrt(2)))) < LEVEL_DB_TOLERANCE


def _tone_with_tail() -> np.ndarray:
    """0.5 s of 440 Hz, then a distinct last 50 ms at 2000 Hz."""
    return np.concatenate([make_tone(440, 0.5, SR, 0.1), make_tone(2000, 0.05, SR, 0.1)])


def _assert_tail_complete(rec) -> None:
    body = trim(rec.samples, rec.rate)
    times = time_at_frequencies(body, rec.rate, [440.0, 2000.0], frame=0.005)
    assert times[2000.0] == pytest.approx(0.05, abs=0.012), times
    assert dominant_frequency(body[-int(0.04 * rec.rate):], rec.rate) == pytest.approx(2000, rel=0.02)
    assert _length(rec) == pytest.approx(0.55, abs=0.03)


def test_tail_is_not_cut(null_sink: SoundCard, player: Player) -> None:
    rec = play_and_record(null_sink, player, _tone_with_tail(), SR)
    player.stop()  # would cut anything still queued, had wait() returned before the drain
    _assert_tail_complete(rec)


def test_tail_is_not_cut_when_the_process_exits_after_wait(null_sink: SoundCard) -> None:
    """The CLI's case: play, wait, exit at once."""
    script = textwrap.dedent(f"""
        import numpy as np
        from explorer.audio import Player
        sr = {SR}
        t = np.arange(int(0.5 * sr)) / sr
        tail = np.arange(int(0.05 * sr)) / sr
        y = np.concatenate([0.1 * np.sin(2 * np.pi * 440 * t), 0.1 * np.sin(2 * np.pi * 2000 * tail)])
        p = Player()
        p.play(y.astype(np.float32), sr)
        assert p.wait(10)
    """)
    root = Path(__file__).resolve().parents[2]
    with null_sink.recording() as rec:
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60, cwd=root,
                       env={**os.environ})
    _assert_tail_complete(rec)
