"""The dataset scan: every flag where it should be and nowhere else, transcripts of the four
layouts, the cache (second scan decodes nothing, same report), the writers, and a Dask
LocalCluster giving the same report as the local run."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from explorer.model import scan_work
from explorer.model.dataset import scan_folder
from explorer.model.measure import COLUMNS, FileMeasurement
from explorer.model.reports import write_report
from explorer.model.scan import apply_dataset_flags, scan_dataset
from explorer.model.transcripts import find_transcripts
from tests import needs
from tests.model.scan_data import EXPECTED_FLAGS, noise, write_defects


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def defects(tmp_path_factory):
    folder = tmp_path_factory.mktemp("defects")
    write_defects(folder)
    return folder


def flags_by_name(report) -> dict[str, set[str]]:
    return {Path(r.path).name: set(r.flag_list) for r in report.rows}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_flag_where_it_should_be_and_nowhere_else(defects, jobs):
    report = scan_dataset(scan_folder(defects), root=defects, jobs=jobs, cache=False)
    assert [Path(r.path).name for r in report.rows] == [p.name for p in scan_folder(defects)]
    assert flags_by_name(report) == EXPECTED_FLAGS
    by_name = {Path(r.path).name: r for r in report.rows}
    original = str(defects / "n3.wav")
    assert by_name["z_copy.wav"].duplicate_of == by_name["z_copy.flac"].duplicate_of == original
    assert by_name["n3.wav"].duplicate_of == ""
    assert by_name["broken.wav"].error and by_name["broken.wav"].sample_rate is None
    summary = report.summary()
    assert summary.files == len(EXPECTED_FLAGS)
    assert summary.rates == {16000: 16, 22050: 1, 44100: 1}
    assert summary.channels == {1: 17, 2: 1}
    assert summary.flags["duplicate"] == 2 and summary.flags["unreadable"] == 1
    assert summary.unreadable == [(str(defects / "broken.wav"), by_name["broken.wav"].error)]
    readable = [r.duration for r in report.rows if not r.error]
    assert summary.total_seconds == pytest.approx(sum(readable))


def test_samples_raise_no_flag(samples_dir):
    report = scan_dataset(scan_folder(samples_dir), root=samples_dir, jobs=1, cache=False)
    assert len(report.rows) == 4
    assert {Path(r.path).name: r.flags for r in report.rows} == {
        p.name: "" for p in samples_dir.glob("*.wav")}  # rates and channels tie 2:2: no odd one


def test_dataset_flags_are_pure_and_idempotent():
    rows = [FileMeasurement(path=f"{i}.wav", sample_rate=16000, channels=1, duration=2.0 + i / 100,
                            audio_hash=f"h{i}") for i in range(6)]
    rows.append(FileMeasurement(path="odd.wav", sample_rate=8000, channels=2, duration=60.0,
                                audio_hash="h0"))
    once = apply_dataset_flags(rows)
    assert apply_dataset_flags(once) == once
    assert once[-1].flags == "rate_differs;channels_differ;duration_outlier;duplicate"
    assert once[-1].duplicate_of == "0.wav"
    assert all(r.flags == "" for r in once[:-1])
    assert rows[-1].flags == ""  # the input is left as it was
    # too few files for quartiles, and a 1:1 tie in rate: nothing to compare against
    assert [r.flags for r in apply_dataset_flags([once[0], once[-1]])] == ["", "duplicate"]


def test_four_transcript_layouts(tmp_path):
    def wav(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, noise(0.5), 16000, subtype="PCM_16")
        return path

    libri = wav(tmp_path / "LibriSpeech" / "19" / "198" / "19-198-0001.flac")
    (libri.parent / "19-198.trans.txt").write_text("19-198-0000 FIRST LINE\n19-198-0001 NORTHANGER ABBEY\n")
    lj = wav(tmp_path / "LJSpeech" / "wavs" / "LJ001-0002.wav")
    (tmp_path / "LJSpeech" / "metadata.csv").write_text(
        "LJ001-0001|Printing, in 1|Printing, in one\nLJ001-0002|in being comparatively modern.|"
        "in being comparatively modern.\n")
    cv = wav(tmp_path / "cv" / "clips" / "common_voice_en_42.wav")  # converted from the .mp3
    (tmp_path / "cv" / "validated.tsv").write_text(
        "client_id\tpath\tsentence\tup_votes\nabc\tcommon_voice_en_42.mp3\tHello there.\t2\n")
    side = wav(tmp_path / "mfa" / "utt1.wav")
    (tmp_path / "mfa" / "utt1.lab").write_text("a sidecar\nlabel\n")
    none = wav(tmp_path / "mfa" / "utt2.wav")
    plain = wav(tmp_path / "txt" / "utt3.wav")
    (tmp_path / "txt" / "utt3.txt").write_text("42\n")  # a transcript, though a number
    labelled = wav(tmp_path / "txt" / "utt4.wav")  # an Audacity label track: not a transcript
    (tmp_path / "txt" / "utt4.txt").write_text("0.100000\t0.400000\thello\n")
    texts = find_transcripts([libri, lj, cv, side, none, plain, labelled], tmp_path)
    assert texts == {libri: "NORTHANGER ABBEY", lj: "in being comparatively modern.",
                     cv: "Hello there.", side: "a sidecar label", plain: "42"}
    report = scan_dataset(sorted(tmp_path.rglob("*.wav")) + [libri], root=tmp_path, jobs=1)
    by_path = {Path(r.path): r.transcript for r in report.rows}
    assert by_path[lj] == "in being comparatively modern." and by_path[none] == ""
    assert by_path[libri] == "NORTHANGER ABBEY"


def test_second_scan_comes_from_the_cache_identical_and_fast(defects, monkeypatch):
    paths = scan_folder(defects)
    start = time.perf_counter()
    first = scan_dataset(paths, root=defects, jobs=1)
    first_seconds = time.perf_counter() - start
    assert first.cached == 0

    def no_decoding(path, *args):
        raise AssertionError(f"{path} decoded again")

    readable = [p for p in paths if p.name != "broken.wav"]
    monkeypatch.setattr(scan_work.measure, "measure_one", no_decoding)
    start = time.perf_counter()
    second = scan_dataset(readable, root=defects, jobs=1)
    seconds = time.perf_counter() - start
    assert second.cached == len(readable)
    assert second.rows == [r for r in first.rows if not r.error]  # transcripts, flags included
    assert seconds < max(0.2, first_seconds / 3)


def test_cache_remeasures_a_changed_file_and_no_cache_skips_it(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "a.wav"
    sf.write(path, noise(1.0), 16000, subtype="PCM_16")
    first = scan_dataset([path], root=folder, jobs=1)
    assert scan_dataset([path], root=folder, jobs=1).cached == 1
    assert scan_dataset([path], root=folder, jobs=1, cache=False).cached == 0
    sf.write(path, np.zeros((16000, 1)), 16000, subtype="PCM_16")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = scan_dataset([path], root=folder, jobs=1)
    assert changed.cached == 0 and changed.rows[0].flags == "silent"
    assert changed.rows[0].audio_hash != first.rows[0].audio_hash


def test_cancelled_scan_keeps_what_it_measured(defects):
    seen = []
    report = scan_dataset(scan_folder(defects), root=defects, jobs=1, cache=False,
                          progress=seen.append, cancelled=lambda: len(seen) >= 3)
    assert report.cancelled and len(report.rows) == 3
    assert [p.done for p in seen] == [1, 2, 3] and seen[-1].total == len(EXPECTED_FLAGS)
    assert seen[0].result.row.path == report.rows[0].path


def test_writers_round_trip(defects, tmp_path):
    report = scan_dataset(scan_folder(defects), root=defects, jobs=1, cache=False)
    rows = report.rows
    write_report(tmp_path / "r.csv", rows)
    with open(tmp_path / "r.csv", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == list(COLUMNS) and len(table) == len(rows) + 1
    silence = next(i for i, r in enumerate(rows) if r.flags == "silent")
    assert table[silence + 1][COLUMNS.index("peak_dbfs")] == "-inf"
    broken = next(i for i, r in enumerate(rows) if r.error)
    assert table[broken + 1][COLUMNS.index("sample_rate")] == ""
    assert float(table[2][COLUMNS.index("rms_dbfs")]) == rows[1].rms_dbfs

    write_report(tmp_path / "r.json", rows)
    lines = [json.loads(line) for line in (tmp_path / "r.json").read_text().splitlines()]
    assert [list(d) for d in lines] == [list(COLUMNS)] * len(rows)
    assert lines[silence]["peak_dbfs"] is None and lines[broken]["error"] == rows[broken].error
    assert lines[1]["loudness_lufs"] == rows[1].loudness_lufs is not None

    import pyarrow.parquet as pq

    write_report(tmp_path / "r.parquet", rows)
    back = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [list(d) for d in back] == [list(COLUMNS)] * len(rows)
    assert back[silence]["peak_dbfs"] == -math.inf and back[broken]["sample_rate"] is None
    assert [FileMeasurement.from_row(d) for d in back if not d["error"]] == [r for r in rows if not r.error]
    assert not list(tmp_path.glob(".*.part"))


DASK_SCRIPT = """
import sys
from pathlib import Path

import distributed

from explorer.model.dataset import scan_folder
from explorer.model.scan import scan_dataset

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    local = scan_dataset(scan_folder(folder), root=folder, jobs=1, cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        remote = scan_dataset(scan_folder(folder), root=folder, cache=False,
                              scheduler=cluster.scheduler_address)
    assert len(local.rows) == len(remote.rows) > 10
    print("same" if remote.rows == local.rows else f"differ: {local.rows} {remote.rows}")
"""


def test_dask_local_cluster_gives_the_same_report(defects, tmp_path):
    """In a process of its own: a LocalCluster leaves this one changed (later in-process
    spectrograms differ from a subprocess's in their last bits)."""
    needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    script = tmp_path / "dask_scan.py"
    script.write_text(DASK_SCRIPT)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, str(script), str(defects)], capture_output=True, text=True,
                            timeout=300, env=env, cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "same", result.stdout[-2000:]
