"""`audio-explorer play` / `tone --play` through the virtual sound card: what came out is checked."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from explorer.model import make_tone
from tests.soundcard import active_region, dominant_frequency, rms

pytestmark = pytest.mark.sound


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *map(str, args)], capture_output=True,
                          text=True, timeout=60)


def played(card, *args):
    with card.recording() as rec:
        result = cli(*args)
    assert result.returncode == 0, result.stderr
    start, end = active_region(rec.samples, rec.rate)
    sound = rec.samples[int(start * rec.rate):int(end * rec.rate)]
    return sound, rec.rate, end - start


def test_tone_play_at_rate_two_is_an_octave_up_and_half_as_long(null_sink):
    sound, rate, length = played(null_sink, "tone", "440", "--play", "--rate", "2")
    assert dominant_frequency(sound, rate) == pytest.approx(880, rel=0.02)
    assert length == pytest.approx(0.5, abs=0.05)
    assert 20 * np.log10(rms(sound) / (0.1 / np.sqrt(2))) == pytest.approx(0, abs=1.5)


@pytest.fixture
def tone_file(tmp_path):
    path = tmp_path / "tone.wav"
    sf.write(path, make_tone(1000, 1.0, 16000, amplitude=0.3), 16000, subtype="PCM_16")
    return path


def test_play_file_at_half_rate_is_an_octave_down_and_twice_as_long(null_sink, tone_file):
    sound, rate, length = played(null_sink, "play", tone_file, "--rate", "0.5")
    assert dominant_frequency(sound, rate) == pytest.approx(500, rel=0.02)
    assert length == pytest.approx(2.0, abs=0.05)


def test_play_resampled_file_keeps_pitch_and_length(null_sink, tone_file):
    sound, rate, length = played(null_sink, "play", tone_file, "--resample", "8000")
    assert dominant_frequency(sound, rate) == pytest.approx(1000, rel=0.02)
    assert length == pytest.approx(1.0, abs=0.05)


def test_play_a_region_of_a_real_recording(null_sink, speech_path):
    sound, rate, length = played(null_sink, "play", speech_path, "--start", "1", "--end", "2.5")
    assert length == pytest.approx(1.5, abs=0.15)  # speech may start or end quietly in the region
    assert rms(sound) > 0.005


def test_devices_lists_an_output(null_sink):
    result = cli("devices")
    assert result.returncode == 0, result.stderr
    assert any(">" in line[:2] for line in result.stdout.splitlines())  # a default output marked


def test_play_a_crashed_recording_plays_what_is_there_and_warns(null_sink, tmp_path):
    from tests.model.mutants import set_data_size

    path = tmp_path / "crashed.wav"
    sf.write(path, make_tone(1000, 0.6, 16000, amplitude=0.3), 16000, subtype="FLOAT")
    path.write_bytes(set_data_size(path.read_bytes(), 0x7FFFFFFF))  # the size a crash leaves
    with null_sink.recording() as rec:
        result = cli("play", path)
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "header promises 2,147,483,647 bytes" in result.stderr
    start, end = active_region(rec.samples, rec.rate)
    sound = rec.samples[int(start * rec.rate):int(end * rec.rate)]
    assert dominant_frequency(sound, rec.rate) == pytest.approx(1000, rel=0.02)
    assert end - start == pytest.approx(0.6, abs=0.05)
