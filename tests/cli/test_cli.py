"""The `audio-explorer` command as a user runs it: output, files written, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from explorer.model import SpectrogramParams, compute, load, make_tone
from tests.pngs import decode_png

COMMAND = [sys.executable, "-m", "explorer"]


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def assert_clean_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_console_scripts_are_installed():
    bindir = Path(sys.executable).parent
    for name in ("audio-explorer", "audio-explorer-gui"):
        assert (bindir / name).exists(), name
    out = subprocess.run([str(bindir / "audio-explorer"), "--version"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("audio-explorer ")


def test_info_json_one_object_per_line(speech_path, robin_path):
    result = run("info", speech_path, robin_path, "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["sample_rate"] for r in rows] == [16000, 44100]
    assert rows[0] == {"path": str(speech_path), "sample_rate": 16000, "frames": 222561,
                       "duration": 222561 / 16000, "channels": 1, "format": "WAV",
                       "subtype": "PCM_16", "warning": None}
    assert rows[1]["channels"] == 2


def test_info_text(trumpet_path):
    result = run("info", trumpet_path)
    assert result.returncode == 0
    assert "44100 Hz" in result.stdout and "PCM_24" in result.stdout and "2 ch" in result.stdout


def test_spectrogram_stats_json_equal_the_model(speech_path):
    result = run("spectrogram", speech_path, "--kind", "mel", "--power", "1", "--db-ref", "min",
                 "--stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    expected = compute(load(speech_path), SpectrogramParams.notebook()).stats
    assert stats["shape"] == list(expected.shape) == [128, 435]
    for key in ("min", "max", "mean"):
        assert stats[key] == pytest.approx(getattr(expected, key), rel=1e-6)


def test_spectrogram_npy_and_png(tmp_path, robin_path):
    npy, png = tmp_path / "r.npy", tmp_path / "r.png"
    common = ["--kind", "mel", "--n-mels", "64", "--hop-length", "256", "--sr", "22050"]
    for out in (npy, png):
        result = run("spectrogram", robin_path, *common, "-o", out)
        assert result.returncode == 0, result.stderr
    params = SpectrogramParams(kind="mel", n_mels=64, hop_length=256)
    expected = compute(load(robin_path, sr=22050), params).values
    array = np.load(npy)
    np.testing.assert_array_equal(array, expected)
    pixels = decode_png(png)
    assert pixels.shape == (64, expected.shape[1], 3)  # height = bins, width = frames
    # the loudest bin is drawn with the colour map's brightest colour, low frequencies at the bottom
    row, col = np.unravel_index(np.argmax(expected), expected.shape)
    from explorer.model.colormaps import lookup_table

    np.testing.assert_array_equal(pixels[63 - row, col], lookup_table("magma")[255])


def test_spectrogram_top_db_none_and_numeric_ref(speech_path):
    result = run("spectrogram", speech_path, "--power", "1", "--db-ref", "1.0", "--top-db", "none",
                 "--stats", "--json")
    stats = json.loads(result.stdout)
    expected = compute(load(speech_path), SpectrogramParams(power=1.0, db_ref=1.0, top_db=None))
    assert stats["min"] == pytest.approx(expected.stats.min, rel=1e-6)
    assert stats["max"] - stats["min"] > 80


def _strict_json(text: str):
    """JSON as the standard defines it: NaN and Infinity are not numbers there."""
    def refuse(name):
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def test_info_of_a_short_file_warns_and_exits_0(tmp_path, trumpet_path):
    path = tmp_path / "short.wav"
    path.write_bytes(trumpet_path.read_bytes()[:-3])
    result = run("info", path)
    assert result.returncode == 0, result.stderr
    assert "235200 frames" in result.stdout
    assert result.stderr == (f"audio-explorer: warning: {path}: the header promises 1,411,206 bytes "
                             f"of audio, the file holds 1,411,203: showing the 235,200 frames present\n")
    row = _strict_json(run("info", path, "--json").stdout)
    assert row["frames"] == 235200 and row["warning"].startswith("the header promises")


def test_spectrogram_of_nan_samples_is_valid_json_with_a_warning(tmp_path):
    x = 0.1 * np.sin(np.arange(16000, dtype=np.float32) * 0.05)
    x[100], x[200], x[300] = np.nan, np.inf, -np.inf
    path = tmp_path / "nan.wav"
    sf.write(path, x, 16000, subtype="FLOAT")
    result = run("spectrogram", path, "--stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = _strict_json(result.stdout)
    assert stats["shape"] == [1025, 32] and all(np.isfinite([stats["min"], stats["max"], stats["mean"]]))
    assert result.stderr == f"audio-explorer: warning: {path}: 3 NaN/inf samples replaced by 0\n"


def test_spectrogram_of_a_crashed_recording_exits_0(tmp_path, speech_path):
    from tests.model.mutants import set_data_size

    path = tmp_path / "crashed.wav"
    path.write_bytes(set_data_size(speech_path.read_bytes()[:1044], 0x7FFFFFFF))
    result = run("spectrogram", path, "--stats", "--json")
    assert result.returncode == 0, result.stderr
    assert _strict_json(result.stdout)["shape"] == [1025, 1 + 500 // 512]
    assert "header promises 2,147,483,647 bytes of audio, the file holds 1,000: showing the 500 " \
           "frames present" in result.stderr


def test_tone_writes_the_notebooks_tone(tmp_path):
    out = tmp_path / "t.wav"
    result = run("tone", "500", "5000", "--mix", "-o", out)
    assert result.returncode == 0, result.stderr
    data, sr = sf.read(out, dtype="float64")
    assert sr == 16000
    np.testing.assert_allclose(data, make_tone(500) + make_tone(5000), atol=1e-7)
    seq = tmp_path / "s.wav"
    assert run("tone", "500", "1000", "--sequence", "--duration", "0.5", "--sr", "8000",
               "-o", seq).returncode == 0
    info = sf.info(seq)
    assert (info.frames, info.samplerate) == (8000, 8000)


def test_tone_summary_without_output():
    result = run("tone", "440", "--wave", "square", "--amplitude", "0.25")
    assert result.returncode == 0
    assert "16000 samples" in result.stdout and "peak 0.2500" in result.stdout


@pytest.mark.parametrize("args,words", [
    (("info", "{missing}"), ("nope.wav", "no such file")),
    (("spectrogram", "{notaudio}"), ("notes.wav", "not an audio file")),
    (("spectrogram", "{empty}", "--stats"), ("empty.wav", "empty")),
    (("play", "{folder}"), ("is a folder",)),
    (("spectrogram", "{speech}", "-o", "{folder}/x.jpg"), ("x.jpg", ".png or .npy")),
    (("spectrogram", "{speech}", "--window", "nosuchwindow"), ("speech", "nosuchwindow")),
])
def test_errors_are_one_line_naming_the_file(tmp_path, speech_path, args, words):
    (tmp_path / "notes.wav").write_text("hello\n" * 100)
    (tmp_path / "empty.wav").write_bytes(b"")
    names = {"missing": tmp_path / "nope.wav", "notaudio": tmp_path / "notes.wav",
             "empty": tmp_path / "empty.wav", "folder": tmp_path, "speech": speech_path}
    result = run(*[a.format(**names) for a in args])
    assert_clean_error(result, *words)


def test_mistyped_subcommand_is_a_usage_error_not_a_window():
    result = run("spectrgram", "x")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_without_portaudio_the_cli_says_so(tmp_path, speech_path):
    """A stand-in `sounddevice` that fails as the real one does when libportaudio2 is missing."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    for args in (("play", str(speech_path)), ("devices",), ("tone", "440", "--play")):
        result = run(*args, env=env)
        assert_clean_error(result, "no sound device available")
