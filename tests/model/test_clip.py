"""Loading: every PCM/float WAV subtype, FLAC/OGG, mono mix equal to librosa, errors that name the file."""

from __future__ import annotations

import shutil
import struct
import tempfile
from pathlib import Path

import librosa
import numpy as np
import pytest
import soundfile as sf

from explorer.model import AudioFileError, from_array, info, load
from tests.nobody import as_nobody

SR = 8000


def _signal(frames: int = 4000, channels: int = 1) -> np.ndarray:
    t = np.arange(frames) / SR
    cols = [0.5 * np.sin(2 * np.pi * (300 + 100 * c) * t) for c in range(channels)]
    return np.stack(cols, axis=1).astype(np.float32)


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
@pytest.mark.parametrize("channels", [1, 2, 6])
def test_every_wav_subtype_and_channel_count_loads_like_librosa(tmp_path, subtype, channels):
    path = tmp_path / f"x_{subtype}_{channels}.wav"
    sf.write(path, _signal(channels=channels), SR, subtype=subtype)
    clip = load(path)
    assert clip.samples.shape == (4000, channels)
    assert clip.samples.dtype == np.float32
    assert (clip.sample_rate, clip.format, clip.subtype) == (SR, "WAV", subtype)
    y, sr = librosa.load(path, sr=None)
    assert sr == SR
    np.testing.assert_array_equal(clip.mono(), y)
    tolerance = {"PCM_U8": 1 / 64, "PCM_16": 1e-4}.get(subtype, 1e-6)
    np.testing.assert_allclose(clip.samples, _signal(channels=channels), atol=tolerance)


@pytest.mark.parametrize("fmt,ext", [("FLAC", "flac"), ("OGG", "ogg")])
def test_flac_and_ogg_load(tmp_path, fmt, ext):
    path = tmp_path / f"x.{ext}"
    sf.write(path, _signal(channels=2), SR, format=fmt)
    clip = load(path)
    assert clip.format == fmt and clip.channels == 2 and clip.sample_rate == SR
    np.testing.assert_array_equal(clip.mono(), librosa.load(path, sr=None)[0])


@pytest.mark.parametrize("name", ["speech_198-209-0000.wav", "robin_44k_stereo.wav",
                                  "trumpet_44k_stereo_24bit.wav"])
def test_real_recordings_mono_mix_equals_librosa(samples_dir, name):
    path = samples_dir / name
    clip = load(path)
    y, sr = librosa.load(path, sr=None)
    assert clip.sample_rate == sr
    np.testing.assert_array_equal(clip.mono(), y)


def test_info_reads_header_facts(speech_path, trumpet_path):
    facts = info(speech_path)
    assert (facts.sample_rate, facts.channels, facts.format, facts.subtype) == (16000, 1, "WAV", "PCM_16")
    assert facts.frames == sf.info(speech_path).frames == 222561
    assert facts.duration == pytest.approx(13.91, abs=0.01)
    d = info(trumpet_path).to_dict()
    assert d["channels"] == 2 and d["subtype"] == "PCM_24" and d["sample_rate"] == 44100
    assert set(d) == {"path", "sample_rate", "frames", "duration", "channels", "format", "subtype",
                      "warning"}
    assert d["warning"] is None


@pytest.mark.parametrize("target", [8000, 22050, 44100])
def test_resample_equals_librosa_load_with_sr(speech_path, target):
    clip = load(speech_path, sr=target)
    y, _ = librosa.load(speech_path, sr=target)
    assert clip.sample_rate == target
    assert clip.frames == len(y)
    np.testing.assert_allclose(clip.mono(), y, atol=1e-6)


def test_resample_stereo_mono_mix_matches_librosa(robin_path):
    clip = load(robin_path).resample(16000)
    y, _ = librosa.load(robin_path, sr=16000)
    assert clip.channels == 2
    np.testing.assert_allclose(clip.mono(), y, atol=1e-5)


def test_resample_keeps_pitch_and_length():
    t = np.arange(SR) / SR
    clip = from_array(0.3 * np.sin(2 * np.pi * 440 * t), SR).resample(44100)
    assert clip.frames == 44100
    spectrum = np.abs(np.fft.rfft(clip.mono()))
    assert np.argmax(spectrum) * 44100 / clip.frames == pytest.approx(440, abs=1)


def test_slice_and_levels():
    clip = from_array(np.full(SR, 0.5), SR)
    part = clip.slice(0.25, 0.5)
    assert part.frames == SR // 4
    assert clip.peak_dbfs() == pytest.approx(-6.0206, abs=1e-3)
    assert clip.rms_dbfs() == pytest.approx(-6.0206, abs=1e-3)


# --- errors: one exception type whose message names the file and says what is wrong ---

def _expect_error(path, words):
    with pytest.raises(AudioFileError) as err:
        load(path)
    message = str(err.value)
    assert str(path) in message
    assert words in message
    with pytest.raises(AudioFileError):
        info(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    _expect_error(path, "empty")


def test_not_audio(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is not a recording\n" * 20)
    _expect_error(path, "not an audio file")


def test_folder(tmp_path):
    _expect_error(tmp_path, "folder")


def test_missing(tmp_path):
    _expect_error(tmp_path / "nope.wav", "no such file")


def test_no_frames(tmp_path):
    path = tmp_path / "silent.wav"
    sf.write(path, np.zeros((0, 1), dtype=np.float32), SR)
    _expect_error(path, "no audio frames")


def test_cut_inside_the_header(tmp_path):
    path = tmp_path / "cut.wav"
    sf.write(path, _signal(), SR, subtype="PCM_16")
    path.write_bytes(path.read_bytes()[:30])
    _expect_error(path, "unreadable audio")


def test_unreadable():
    folder = Path(tempfile.mkdtemp(prefix="explorer-locked-"))  # not under root's private tmp_path
    try:
        folder.chmod(0o755)
        path = folder / "locked.wav"
        sf.write(path, _signal(), SR)
        path.chmod(0)
        with as_nobody():
            _expect_error(path, "cannot be read (permission denied)")
    finally:
        shutil.rmtree(folder)


def test_streaming_wav_with_open_size_is_not_called_truncated(tmp_path):
    path = tmp_path / "stream.wav"
    sf.write(path, _signal(), SR, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    pos = data.index(b"data")
    data[pos + 4:pos + 8] = struct.pack("<I", 0xFFFFFFFF)
    path.write_bytes(bytes(data))
    assert info(path).frames == 4000


def test_non_finite_samples_are_reported_and_replaced(tmp_path):
    x = _signal()
    x[10, 0], x[20, 0], x[30, 0] = np.nan, np.inf, -np.inf
    path = tmp_path / "nan.wav"
    sf.write(path, x, SR, subtype="FLOAT")
    clip = load(path)
    assert clip.non_finite == 3
    assert np.all(np.isfinite(clip.samples))
    assert clip.samples[10, 0] == 0.0
    memory = from_array(np.array([0.1, np.nan, 0.2]), SR)
    assert memory.non_finite == 1 and np.all(np.isfinite(memory.samples))
