"""Batch export (model part): outputs equal the model's arrays, params.json reproduces them, and the
resume rules, atomic writes, bad files, worker processes and cancellation behave (the pool itself:
tests/runner/)."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import struct
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from explorer.model import colormaps, images
from explorer.model import export as ex
from explorer.model.spectrogram import SpectrogramParams, compute_file
from tests.pngs import decode_png

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="no fork on this platform")


def write_clips(folder: Path, speech_path: Path, count: int, seconds: float = 1.0) -> list[Path]:
    """count short clips cut from the bundled speech (distinct slices)."""
    y, sr = sf.read(speech_path, dtype="float32")
    n = int(seconds * sr)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        start = (i * 3517) % (len(y) - n)
        path = folder / f"clip{i}.wav"
        sf.write(path, y[start:start + n], sr, subtype="PCM_16")
        paths.append(path)
    return paths


def write_bad_files(folder: Path, speech_path: Path) -> dict[str, str]:
    """Empty, not audio, a WAV cut inside its header (libsndfile refuses it: a WAV cut in its
    audio opens, with a warning): name -> a word its reason contains."""
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.wav").write_text("not a recording\n" * 50)
    data = speech_path.read_bytes()
    (folder / "cut.wav").write_bytes(data[:30])
    return {"empty.wav": "empty", "notes.wav": "not an audio file", "cut.wav": "unreadable"}


def assert_same_files(one: Path, two: Path, pattern: str) -> None:
    """Every file of `one` matching `pattern` has a byte-identical twin in `two`."""
    paths = sorted(one.glob(pattern))
    assert paths
    for path in paths:
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".part")]


@pytest.fixture
def dataset(tmp_path, speech_path, robin_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 3)
    (src / "birds").mkdir()
    shutil.copy(robin_path, src / "birds" / "robin.wav")  # 44.1 kHz stereo, in a sub-folder
    return src


def test_png_has_the_arrays_size_and_grey16_round_trips(tmp_path, dataset):
    settings = ex.ExportSettings(SpectrogramParams(kind="mel", n_mels=64), "png", "gray", 16)
    out = tmp_path / "out"
    summary = ex.export_folder(dataset, out, settings, recursive=True, jobs=1)
    assert (summary.written, summary.failed, summary.up_to_date) == (4, 0, 0)
    src = dataset / "birds" / "robin.wav"
    values = compute_file(src, settings.params).values
    pixels = decode_png(out / "birds" / "robin.png")
    assert pixels.dtype == np.uint16
    assert pixels.shape == values.shape == (64, values.shape[1])  # height = mels, width = frames
    back = pixels[::-1].astype(np.float64) / 65535
    assert np.max(np.abs(back - colormaps.normalise(values))) <= 0.5 / 65535 + 1e-12


def test_colour_png_is_rgb_one_pixel_per_bin_and_frame(tmp_path, dataset):
    settings = ex.ExportSettings()  # mel, dB re max, magma
    out = tmp_path / "out"
    ex.export_folder(dataset, out, settings, jobs=1)
    values = compute_file(dataset / "clip0.wav", settings.params).values
    pixels = decode_png(out / "clip0.png")
    assert pixels.shape == (128, values.shape[1], 3)
    np.testing.assert_array_equal(pixels, images.spectrogram_pixels(values, "magma"))


@pytest.mark.parametrize("sr", [None, 22050])
def test_npy_equals_compute_file_and_params_json_reproduces_it(tmp_path, dataset, sr):
    params = SpectrogramParams(kind="mel", n_mels=40, hop_length=256, power=1.0, db_ref="min")
    settings = ex.ExportSettings(params, "npy", sr=sr)
    out = tmp_path / "out"
    summary = ex.export_folder(dataset, out, settings, recursive=True, jobs=2, workers_threshold=0)
    assert summary.written == 4 and summary.failed == 0
    recorded = json.loads((out / "params.json").read_text())
    assert recorded["params"] == params.to_dict() and recorded["sr"] == sr
    assert recorded["format"] == "npy" and recorded["colormap"] is None
    assert set(recorded["versions"]) >= {"audio-explorer", "numpy", "librosa", "soundfile", "python"}
    loaded = ex.load_params_json(out / "params.json")
    assert loaded == settings
    for src in (dataset / "clip1.wav", dataset / "birds" / "robin.wav"):
        array = np.load(ex.output_path(dataset, out, src, "npy"))
        assert array.dtype == np.float32
        # Equal but for the last float bits: workers use one BLAS thread, this process more,
        # and OpenBLAS's sgemm (the mel projection) splits its sums by thread count.
        expected = compute_file(src, params, sr=sr).values
        np.testing.assert_allclose(array, expected, rtol=1e-6, atol=1e-4)
        np.testing.assert_array_equal(compute_file(src, loaded.params, sr=loaded.sr).values,
                                      expected)


def test_output_path_mirrors_the_tree(tmp_path):
    assert ex.output_path(tmp_path / "a", tmp_path / "o", tmp_path / "a" / "x" / "clip.wav", "png") \
        == tmp_path / "o" / "x" / "clip.png"


def test_settings_validation():
    with pytest.raises(ValueError, match="gray"):
        ex.ExportSettings(depth=16)
    with pytest.raises(ValueError, match="format"):
        ex.ExportSettings(format="jpg")
    npy = ex.ExportSettings(format="npy", colormap="viridis", depth=16)
    assert (npy.colormap, npy.depth) == (None, None)  # no picture settings for the array itself


def test_resume_rules(tmp_path, dataset):
    settings = ex.ExportSettings(format="npy")
    out = tmp_path / "out"
    ex.export_folder(dataset, out, settings, recursive=True, jobs=1)
    tasks = ex.plan(dataset, out, settings, recursive=True)
    assert all(t.done for t in tasks)
    summary = ex.run_export(tasks, settings, jobs=2)
    assert (summary.written, summary.up_to_date) == (0, 4)

    # a source changed after its output was written: only that one is redone
    src = dataset / "clip1.wav"
    future = (out / "clip1.npy").stat().st_mtime + 10
    os.utime(src, (future, future))
    assert [t.src.name for t in ex.plan(dataset, out, settings, recursive=True) if not t.done] \
        == ["clip1.wav"]
    # a missing output is redone
    (out / "clip2.npy").unlink()
    assert {t.src.name for t in ex.plan(dataset, out, settings, recursive=True) if not t.done} \
        == {"clip1.wav", "clip2.wav"}

    # other settings: refused, with the differences, unless force
    other = ex.ExportSettings(SpectrogramParams(kind="mel", n_mels=64), format="npy")
    with pytest.raises(ex.ParamsChanged, match="n_mels: 128 -> 64"):
        ex.plan(dataset, out, other, recursive=True)
    forced = ex.plan(dataset, out, other, recursive=True, force=True)
    assert not any(t.done for t in forced)
    # a forced run that was interrupted right after params.json was rewritten: the old outputs
    # predate the new params.json, so a plain rerun still redoes them
    ex.prepare_output(out, other, force=True)
    for path in out.glob("*.npy"):
        os.utime(path, (1e9, 1e9))
    tasks = ex.plan(dataset, out, other, recursive=True)
    assert not any(t.done for t in tasks)


def test_bad_files_fail_with_reasons_and_the_rest_is_written(tmp_path, dataset, speech_path):
    expected = write_bad_files(dataset, speech_path)
    seen = []
    summary = ex.export_folder(dataset, tmp_path / "out", ex.ExportSettings(), jobs=2,
                               progress=seen.append, workers_threshold=0)
    assert (summary.written, summary.failed) == (3, 3)
    reasons = {r.src.name: r.reason for r in summary.failures}
    for name, word in expected.items():
        assert word in reasons[name], reasons
        assert not (tmp_path / "out" / name).with_suffix(".png").exists()
    assert [p.done for p in seen] == list(range(1, 7)) and seen[-1].total == 6
    assert no_temp_files(tmp_path / "out")


def test_two_sources_with_one_output_name(tmp_path, dataset, speech_path):
    y, sr = sf.read(speech_path)
    sf.write(dataset / "clip0.flac", y[:sr], sr)
    summary = ex.export_folder(dataset, tmp_path / "out", ex.ExportSettings(format="npy"), jobs=1)
    assert summary.failed == 1 and "same output as clip0." in summary.failures[0].reason


def test_pool_output_is_byte_identical_to_in_process(tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 24)
    settings = ex.ExportSettings()
    one = ex.export_folder(src, tmp_path / "one", settings, jobs=1)
    two = ex.export_folder(src, tmp_path / "two", settings, jobs=2, workers_threshold=0)
    assert one.written == two.written == 24
    assert_same_files(tmp_path / "one", tmp_path / "two", "*.png")


@needs_fork
def test_forked_workers_do_all_the_work_with_identical_output(tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 24)
    settings = ex.ExportSettings()
    one = ex.export_folder(src, tmp_path / "one", settings, jobs=1)
    children = []
    two = ex.export_folder(src, tmp_path / "two", settings, jobs=2, start_method="fork",
                           progress=lambda p: children.append(len(multiprocessing.active_children())))
    assert one.written == two.written == 24 and two.failed == 0
    assert max(children) == 2  # forked at once, even for this little work
    assert not multiprocessing.active_children()
    assert_same_files(tmp_path / "one", tmp_path / "two", "*.png")


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_stops_cleanly(tmp_path, speech_path, jobs):
    src = tmp_path / "src"
    write_clips(src, speech_path, 60)
    out = tmp_path / "out"
    seen = []
    summary = ex.export_folder(src, out, ex.ExportSettings(), jobs=jobs, progress=seen.append,
                               cancelled=lambda: len(seen) >= 5, workers_threshold=0)
    assert summary.cancelled
    assert 5 <= summary.written < 60
    assert no_temp_files(out)
    for path in out.glob("*.png"):  # whatever is there under a final name is complete
        decode_png(path)
    rest = ex.export_folder(src, out, ex.ExportSettings(), jobs=jobs)
    assert rest.up_to_date + rest.written == 60 and not rest.cancelled


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / ".clip.png.999999999.0123abcd.part"
    mine = out / f".clip.png.{os.getpid()}.0123abcd.part"
    other = out / ".notes.part"
    for p in (dead, mine, other):
        p.write_bytes(b"x")
    ex.prepare_output(out, ex.ExportSettings())
    assert not dead.exists() and mine.exists() and other.exists()


def test_truncated_helper_is_really_truncated(tmp_path, speech_path):
    write_bad_files(tmp_path, speech_path)
    data = (tmp_path / "cut.wav").read_bytes()
    assert data[:4] == b"RIFF" and struct.unpack("<I", data[4:8])[0] > len(data)
    with pytest.raises(sf.LibsndfileError):
        sf.info(tmp_path / "cut.wav")


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_stops_the_run_once(small_disk, tmp_path, speech_path, jobs):
    src = tmp_path / "src"
    write_clips(src, speech_path, 12)
    settings = ex.ExportSettings(format="npy")
    out = small_disk.root / "out"
    ex.prepare_output(out, settings)
    before = small_disk.files()
    small_disk.fill()
    seen = []
    summary = ex.run_export(ex.plan(src, out, settings), settings, jobs=jobs, progress=seen.append,
                            start_method="fork", workers_threshold=0)
    assert summary.stopped == f"cannot write {out / 'clip0.npy'}: disk full" or (
        jobs > 1 and summary.stopped.endswith(".npy: disk full"))
    assert (summary.written, summary.failed, summary.left) == (0, 0, 12)
    assert not summary.cancelled and not summary.failures
    assert not [p for p in seen if p.result is not None and not p.result.ok]  # said once: here
    assert small_disk.files() == before


def test_interrupted_runs_count_what_is_on_disk(tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 4)
    settings = ex.ExportSettings(format="npy")
    out = tmp_path / "out"
    tasks = ex.plan(src, out, settings)
    ex.prepare_output(out, settings)
    ex.export_one(tasks[0].src, tasks[0].dst, settings)  # an older output: not this run's
    time.sleep(0.05)  # a clock tick later (file times are coarse), as a previous run would be
    since = ex.file_clock_ns()
    for task in tasks[2:]:
        ex.export_one(task.src, task.dst, settings)
    assert ex.written_since(tasks, since) == 2
