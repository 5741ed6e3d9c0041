"""`audio-explorer features` and `measure` as a user runs them: librosa's arrays in .npy, the CSV
table, the JSON summaries, a folder with resume, a long file block by block, one-line errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import librosa
import numpy as np
import pytest
import soundfile as sf

from tests.model.test_export import write_clips

COMMAND = [sys.executable, "-m", "explorer"]


def run(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env)


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def librosa_in_a_child(tmp_path, path, expression: str) -> np.ndarray:
    """librosa called directly in a fresh process, as the command is: the mel filter bank's
    product is BLAS's, whose float32 sums depend on its thread count (this test process may
    have limited it)."""
    out = tmp_path / "direct.npy"
    code = ("import sys, numpy as np, librosa; y, sr = librosa.load(sys.argv[1], sr=None, mono=True); "
            f"np.save(sys.argv[2], {expression})")
    subprocess.run([sys.executable, "-c", code, str(path), str(out)], check=True, timeout=300)
    return np.load(out)


def test_npy_is_librosas_array_and_csv_its_table(tmp_path, speech_path):
    y, sr = librosa.load(speech_path, sr=None, mono=True)
    npy, table = tmp_path / "m.npy", tmp_path / "m.csv"
    for out in (npy, table):
        r = run("features", speech_path, "--feature", "mfcc", "--n-mfcc", 13, "--hop-length", 256, "-o", out)
        assert r.returncode == 0, r.stderr
    expected = librosa_in_a_child(tmp_path, speech_path,
                                  "librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, hop_length=256)")
    got = np.load(npy)
    assert got.shape == expected.shape == (13, 1 + y.size // 256) and got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    with open(table, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["time"] + [f"mfcc_{i}" for i in range(13)]
    data = np.array(rows[1:], dtype=np.float64)
    np.testing.assert_array_equal(data[:, 0], librosa.times_like(expected, sr=sr, hop_length=256))
    np.testing.assert_array_equal(data[:, 1:].T.astype(np.float32), expected)  # 9 digits: exact


def test_pyin_csv_columns_and_nan_where_unvoiced(tmp_path, speech_path):
    y, sr = librosa.load(speech_path, sr=None, mono=True, duration=3.0)
    r = run("features", speech_path, "-f", "pyin", "--duration", 3, "-o", tmp_path / "p.npy")
    assert r.returncode == 0, r.stderr
    f0, flag, prob = librosa.pyin(y, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=sr)
    np.testing.assert_array_equal(np.load(tmp_path / "p.npy"), f0)
    r = run("features", speech_path, "-f", "pyin", "--duration", 3, "-o", tmp_path / "p.csv")
    with open(tmp_path / "p.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["time", "f0", "voiced_flag", "voiced_prob"]
    assert [r[2] for r in rows[1:]] == [str(int(v)) for v in flag]
    assert all((r[1] == "nan") == (not v) for r, v in zip(rows[1:], flag, strict=True))


def test_beats_json_is_tempo_and_times(tmp_path, trumpet_path):
    tempo_beats = librosa_in_a_child(
        tmp_path, trumpet_path, "np.concatenate(librosa.beat.beat_track(y=y, sr=sr, units='time'))")
    tempo, beats = tempo_beats[0], tempo_beats[1:]
    r = run("features", trumpet_path, "--feature", "beats", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["tempo"] == pytest.approx(float(tempo))
    assert data["times"] == pytest.approx(list(beats), abs=1e-6) and len(beats) > 3


def test_json_summary_of_a_frame_feature_and_sr(robin_path):
    y, sr = librosa.load(robin_path, sr=22050, mono=True)
    expected = librosa.feature.spectral_centroid(y=y, sr=sr)
    r = run("features", robin_path, "-f", "centroid", "--sr", 22050, "--json")
    data = json.loads(r.stdout)
    assert data["shape"] == list(expected.shape) and data["sr"] == 22050
    assert data["median"] == pytest.approx(float(np.median(expected)))


def test_onsets_npy_are_times(tmp_path, trumpet_path):
    r = run("features", trumpet_path, "-f", "onsets", "-o", tmp_path / "o.npy")
    assert r.returncode == 0, r.stderr
    expected = librosa_in_a_child(tmp_path, trumpet_path,
                                  "librosa.onset.onset_detect(y=y, sr=sr, units='time')")
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"), expected)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-f", "rms", "--n-mfcc", "3", "-o", "x.npy"],
         ["--n-mfcc", "not a parameter of rms", "--frame-length"]),
        (["-f", "rms", "-o", "x.txt"], ["must end in .npy or .csv"]),
        (["-f", "rms"], ["-o OUT.npy or OUT.csv, or --json"]),
        (["-f", "cqt", "--fmin", "-5", "--json"], ["cqt: frequencies must be strictly positive"]),
    ],
)
def test_usage_errors_are_one_line(tmp_path, speech_path, args, words):
    args = [a if a != "x.npy" and a != "x.txt" else tmp_path / a for a in args]
    one_line_error(run("features", speech_path, *args), *words)


def test_a_long_file_is_read_block_by_block_with_the_same_values(tmp_path):
    rng = np.random.default_rng(0)
    sr = 8000
    y = (0.2 * rng.standard_normal((sr * 40, 2))).astype(np.float32)
    path = tmp_path / "long.wav"
    sf.write(path, y, sr, subtype="FLOAT")
    env = {**os.environ, "AUDIO_EXPLORER_LONG_SECONDS": "5"}  # 40 s counts as long
    r = run("features", path, "-f", "rms", "-o", tmp_path / "r.npy", env=env)
    assert r.returncode == 0, r.stderr
    mono, _ = librosa.load(path, sr=None, mono=True)
    np.testing.assert_array_equal(np.load(tmp_path / "r.npy"), librosa.feature.rms(y=mono))
    r = run("features", path, "-f", "pyin", "--duration", 1, "-o", tmp_path / "p.npy", env=env)
    assert r.returncode == 0 and np.load(tmp_path / "p.npy").shape == (1 + sr // 512,)


def test_pyin_of_a_long_file_is_read_block_by_block_too(tmp_path, speech_path):
    y, sr = librosa.load(speech_path, sr=None, mono=True)
    path = tmp_path / "long.wav"
    sf.write(path, y, sr, subtype="FLOAT")
    env = {**os.environ, "AUDIO_EXPLORER_LONG_SECONDS": "5"}  # counts as long: no more refusal
    r = run("features", path, "-f", "pyin", "--hop-length", 1024, "-o", tmp_path / "p.npy", env=env)
    assert r.returncode == 0, r.stderr
    f0, _, _ = librosa.pyin(y, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=sr,
                            hop_length=1024)
    np.testing.assert_array_equal(np.load(tmp_path / "p.npy"), f0)


def test_a_folder_gives_one_output_per_file_and_resumes(tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 3)
    write_clips(src / "sub", speech_path, 1)
    out = tmp_path / "out"
    first = run("features", src, "-f", "zcr", "--frame-length", 1024, "-o", out, "-r", "--format", "csv",
                "--jobs", 2)
    assert first.returncode == 0, first.stderr
    assert "4 written, 0 skipped (already done), 0 failed" in first.stdout
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.csv"))
    assert names == ["clip0.csv", "clip1.csv", "clip2.csv", "sub/clip0.csv"]
    y, sr = librosa.load(src / "clip1.wav", sr=None, mono=True)
    with open(out / "clip1.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["time", "zcr"]
    expected = librosa.feature.zero_crossing_rate(y, frame_length=1024)[0]
    np.testing.assert_array_equal(np.array([r[1] for r in rows[1:]], dtype=np.float64), expected)
    params = json.loads((out / "params.json").read_text())
    assert params["feature"] == "zcr" and params["params"] == {"frame_length": 1024}

    (out / "clip2.csv").unlink()  # resume: only the missing one is redone
    again = run("features", src, "-f", "zcr", "--frame-length", 1024, "-o", out, "-r", "--format", "csv")
    assert again.returncode == 0 and "1 written, 3 skipped (already done)" in again.stdout

    changed = run("features", src, "-f", "zcr", "-o", out, "-r", "--format", "csv")
    one_line_error(changed, "frame_length: 1024 -> None", "--force")


def test_measure_json_and_table(tmp_path):
    sr = 16000
    t = np.arange(2 * sr) / sr
    y = np.where((t > 0.5) & (t < 1.5), 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0).astype(np.float32)
    path = tmp_path / "tone.wav"
    sf.write(path, y, sr, subtype="FLOAT")
    r = run("measure", path, "--start", 0.25, "--end", 1.75, "--low", 500, "--high", 4000, "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert abs(m["peak_freq_hz"] - 1000) <= sr / 2048 and abs(m["center_freq_hz"] - 1000) <= sr / 2048
    bounds = (m["begin_s"], m["end_s"], m["duration_s"], m["low_hz"], m["high_hz"])
    assert bounds == (0.25, 1.75, 1.5, 500, 4000)
    assert m["median_f0_hz"] == pytest.approx(1000, rel=0.01)
    assert 0.5 <= m["peak_time_s"] <= 1.5
    table = run("measure", path, "--start", 0.25, "--end", 1.75)
    assert table.returncode == 0 and "Peak Freq (Hz)" in table.stdout and "Center Freq (Hz)" in table.stdout
    one_line_error(run("measure", path, "--start", 1, "--end", 0.5), "--end", "after --start")
    one_line_error(run("measure", tmp_path / "none.wav", "--start", 0, "--end", 1), "no such file")
