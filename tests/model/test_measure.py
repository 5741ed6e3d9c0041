"""One file's measurements equal an independent computation (numpy in float64, pyloudnorm), and
the file-level flags are raised where the defect is and nowhere else."""

from __future__ import annotations

import itertools
import math
from dataclasses import fields

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from explorer.model import measure
from explorer.model.measure import COLUMNS, FileMeasurement, measure_one
from tests.model.scan_data import EXPECTED_FLAGS, write_defects

ISSUE_COLUMNS = ("path, sample_rate, channels, frames, duration, format, subtype, peak_dbfs, rms_dbfs, "
                 "loudness_lufs, dc_offset, clipped_fraction, silence_fraction, bandwidth_hz, audio_hash, "
                 "duplicate_of, transcript, flags, error").split(", ")


@pytest.fixture(scope="module")
def defects(tmp_path_factory):
    return write_defects(tmp_path_factory.mktemp("defects"))


def db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


def reference(path) -> dict:
    """The measurements written out plainly from soundfile's float64 samples."""
    data, rate = sf.read(path, always_2d=True)
    data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    mono = data.mean(axis=1)
    peak = np.max(np.abs(data))
    rms = math.sqrt(np.mean(data ** 2))
    clipped = 0
    for ch in range(data.shape[1]):
        for hot, run in itertools.groupby(np.abs(data[:, ch]) >= 0.999):
            length = len(list(run))
            if hot and length >= 3:
                clipped += length
    size = round(0.05 * rate)
    frames = [mono[i:i + size] for i in range(0, len(mono), size)]
    silent = sum(math.sqrt(np.mean(f ** 2)) < 10 ** (-60 / 20) for f in frames)
    n = 2048
    count = len(mono) // n
    pick = sorted(set(np.linspace(0, count - 1, min(count, measure.BANDWIDTH_FRAMES)).astype(int)))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
    power = np.mean([np.abs(np.fft.rfft(mono[k * n:(k + 1) * n] * window)) ** 2 for k in pick], axis=0)
    band = np.flatnonzero(power >= power.max() * 1e-7)[-1] * rate / n if power.max() > 0 else 0.0
    lufs = pyloudnorm.Meter(rate).integrated_loudness(data) if len(data) >= 0.4 * rate else None
    return {"sample_rate": rate, "channels": data.shape[1], "frames": len(data),
            "duration": len(data) / rate, "peak_dbfs": db(peak), "rms_dbfs": db(rms),
            "loudness_lufs": lufs, "dc_offset": float(np.mean(data)),
            "clipped_fraction": clipped / data.size, "silence_fraction": silent / len(frames),
            "bandwidth_hz": band}


def test_columns_are_the_issues_in_order():
    assert list(COLUMNS) == ISSUE_COLUMNS
    assert [f.name for f in fields(FileMeasurement)] == ISSUE_COLUMNS
    row = FileMeasurement(path="x.wav", sample_rate=8000, flags="silent")
    assert list(row.to_row()) == ISSUE_COLUMNS
    assert FileMeasurement.from_row(row.to_row()) == row


@pytest.mark.parametrize("name", [n for n in EXPECTED_FLAGS if n != "broken.wav"])
def test_numbers_equal_an_independent_computation(defects, name):
    row = measure_one(defects[name])
    ref = reference(defects[name])
    for key in ("sample_rate", "channels", "frames"):
        assert getattr(row, key) == ref[key], key
    for key, tol in (("duration", 1e-12), ("peak_dbfs", 1e-5), ("rms_dbfs", 1e-4),
                     ("dc_offset", 1e-7), ("clipped_fraction", 0), ("silence_fraction", 0)):
        assert getattr(row, key) == pytest.approx(ref[key], abs=tol), key
    if name == "silence.wav":
        assert row.loudness_lufs == ref["loudness_lufs"] == -math.inf
        assert row.bandwidth_hz == 0.0 and row.peak_dbfs == -math.inf
    else:
        assert row.loudness_lufs == pytest.approx(ref["loudness_lufs"], abs=1e-6)
        bin_hz = row.sample_rate / 2048
        assert abs(row.bandwidth_hz - ref["bandwidth_hz"]) <= bin_hz
    assert row.path == str(defects[name]) and not row.error


def test_samples_equal_pyloudnorm_and_raise_no_file_flag(samples_dir):
    for path in sorted(samples_dir.glob("*.wav")):
        row = measure_one(path)
        ref = reference(path)
        assert row.loudness_lufs == pytest.approx(ref["loudness_lufs"], abs=1e-6), path
        assert row.rms_dbfs == pytest.approx(ref["rms_dbfs"], abs=1e-4), path
        assert row.flags == "", (path, row.flags)


def test_file_flags_are_where_the_defect_is(defects):
    for name, expected in EXPECTED_FLAGS.items():
        row = measure_one(defects[name])
        file_level = expected & set(measure.FILE_FLAGS)
        assert set(row.flag_list) == file_level, (name, row.flags)


def test_the_defects_measure_as_built(defects):
    assert measure_one(defects["clipped.wav"]).clipped_fraction > 0.3
    assert measure_one(defects["mostly_silent.wav"]).silence_fraction == pytest.approx(0.7, abs=0.03)
    assert measure_one(defects["dc.wav"]).dc_offset == pytest.approx(0.05, abs=0.005)
    phone = measure_one(defects["phone_at_44k.wav"])
    assert 3700 <= phone.bandwidth_hz <= 4100  # 8 kHz content stored at 44.1 kHz ends near 4 kHz
    assert measure_one(defects["n1.wav"]).bandwidth_hz == 8000.0


def test_unreadable_file_is_a_row_with_its_reason(defects, tmp_path):
    row = measure_one(defects["broken.wav"])
    assert row.flags == "unreadable" and row.error and "\n" not in row.error
    assert row.sample_rate is None and row.peak_dbfs is None
    missing = measure_one(tmp_path / "gone.wav")
    assert missing.flags == "unreadable" and "no such file" in missing.error


def test_hash_is_of_the_samples_not_the_file(defects):
    original = measure_one(defects["n3.wav"])
    assert measure_one(defects["z_copy.wav"]).audio_hash == original.audio_hash
    assert measure_one(defects["z_copy.flac"]).audio_hash == original.audio_hash
    assert measure_one(defects["n4.wav"]).audio_hash != original.audio_hash


def test_too_short_for_a_loudness_block(tmp_path):
    path = tmp_path / "short.wav"
    sf.write(path, 0.1 * np.ones(int(0.39 * 16000)), 16000, subtype="PCM_16")
    row = measure_one(path)
    assert row.loudness_lufs is None and row.duration == pytest.approx(0.39)


def test_clip_runs_of_two_are_peaks_not_clipping():
    x = np.zeros((100, 1), np.float32)
    x[10:12] = 1.0   # two: a legal peak
    x[50:53] = -1.0  # three: clipped
    assert measure.clipped_fraction(x) == pytest.approx(3 / 100)
