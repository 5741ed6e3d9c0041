"""What `features` writes: .npy is librosa's array, .csv its table, JSON its summary."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.model.analysis import compute_feature
from explorer.model.analysis.outputs import json_summary, write_result
from explorer.model.atomic import WriteError

SR = 22050


@pytest.fixture(scope="module")
def clicks() -> np.ndarray:
    y = np.zeros(SR * 3, np.float32)
    y[:: SR // 2] = 1.0
    return y


def test_event_csv_is_a_time_column(tmp_path, clicks):
    res = compute_feature("onsets", clicks, SR)
    write_result(res, tmp_path / "o.csv")
    lines = (tmp_path / "o.csv").read_text().splitlines()
    assert lines[0] == "time" and len(lines) == 1 + res.values.size >= 5
    assert [float(v) for v in lines[1:]] == list(res.values)


def test_npy_keeps_shape_and_dtype(tmp_path, clicks):
    for name in ("rms", "chroma", "yin"):
        res = compute_feature(name, clicks, SR)
        write_result(res, tmp_path / f"{name}.npy")
        back = np.load(tmp_path / f"{name}.npy")
        assert back.shape == res.values.shape and back.dtype == res.values.dtype
        np.testing.assert_array_equal(back, res.values)


def test_json_summary_has_no_nan(clicks):
    data = json.loads(json_summary(compute_feature("yin", np.zeros(SR, np.float32), SR)))
    assert data["shape"] == [1 + SR // 512] and data["feature"] == "yin"
    beats = json.loads(json_summary(compute_feature("beats", clicks, SR)))
    assert beats["tempo"] > 0 and len(beats["times"]) >= 3


def test_a_full_disk_says_why_and_leaves_nothing(small_disk, clicks):
    noise = np.random.default_rng(0).standard_normal(SR * 120).astype(np.float32)
    res = compute_feature("mfcc", noise, SR)  # ~1.5 MB of CSV on a 1 MiB disk
    with pytest.raises(WriteError, match="disk full"):
        write_result(res, small_disk.root / "m.csv")
    assert small_disk.files() == {}
    small_disk.read_only()
    with pytest.raises(WriteError, match="read-only file system"):
        write_result(compute_feature("rms", clicks, SR), small_disk.root / "r.npy")
