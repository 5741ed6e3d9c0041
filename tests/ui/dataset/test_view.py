"""The Dataset view on a synthetic dataset with known defects: its rows are the model's
measurements, and the flag, text and histogram filters show exactly the rows they should."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.model.dataset import scan_folder
from explorer.model.measure import measure_one
from explorer.model.scan import apply_dataset_flags
from explorer.ui.dataset.rows import COLUMNS, display
from tests.heartbeat import Heartbeat

from .conftest import TRANSCRIPTS, make_dataset


@pytest.fixture(scope="module")
def _shared_dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("dataset")
    return make_dataset(root / "data"), root / "scan-cache"


@pytest.fixture
def dataset_dir(_shared_dataset, monkeypatch):
    """This module's tests only read the dataset: one folder, and one scan cache, so that the
    first test's scan measures it and the others' read the cache (scanning itself is tested
    on folders of their own below)."""
    folder, cache = _shared_dataset
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(cache))
    return folder


def expected_rows(folder: Path) -> dict[Path, object]:
    """The model's own rows for the folder: measure_one per file, then the dataset flags."""
    rows = apply_dataset_flags([measure_one(p) for p in scan_folder(folder)])
    return {Path(r.path): r for r in rows}


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return a == b


def shown_paths(view) -> list[Path]:
    return [view.model.path_at(r) for r in range(view.model.rowCount())]


def test_rows_and_cells_are_the_models_measurements(scanned_view, dataset_dir):
    model = scanned_view.model
    expected = expected_rows(dataset_dir)
    assert sorted(model.paths) == sorted(expected)
    assert model.rowCount() == len(expected) == 8
    for path, want in expected.items():
        got = model.measurement(path)
        assert got is not None, path
        for name in COLUMNS:
            if name not in ("transcript", "labels"):  # labels: not a measurement (labels.py)
                assert same(getattr(got, name), getattr(want, name)), (path.name, name)
        # and the table shows them as text
        row = model.shown_row_of(path)
        for column, name in enumerate(COLUMNS):
            if name in ("transcript", "labels"):
                continue
            text = model.data(model.index(row, column))
            assert text == display(name, getattr(want, name), dataset_dir), (path.name, name)
    # the defects are where they are
    flags = {p.name: set(r.flag_list) for p, r in expected.items()}
    assert "clipped" in flags["clipped.wav"] and "clipped" not in flags["clean.wav"]
    assert "silent" in flags["silent.wav"]
    assert "unreadable" in flags["broken.wav"]
    assert "rate_differs" in flags["other_rate.wav"]
    assert "duplicate" in flags["same_as_clean.wav"]
    # transcripts found beside the audio
    t = COLUMNS.index("transcript")
    for name, text in TRANSCRIPTS.items():
        row = model.shown_row_of(dataset_dir / f"{name}.wav")
        assert model.data(model.index(row, t)) == text
    assert "8 files" in scanned_view.summary.text()


def test_flag_and_text_filters_narrow_the_rows(scanned_view, dataset_dir):
    view, expected = scanned_view, expected_rows(dataset_dir)
    for i in range(1, view.flag_box.count()):
        flag = view.flag_box.itemData(i)
        view.flag_box.setCurrentIndex(i)
        want = sorted(p for p, r in expected.items() if r.has_flag(flag))
        assert sorted(shown_paths(view)) == want, flag
    view.flag_box.setCurrentIndex(0)
    assert len(shown_paths(view)) == 8
    view.text_filter.setText("brown FOX")  # words of a transcript, any case
    assert shown_paths(view) == [dataset_dir / "clean.wav"]
    view.text_filter.setText("rate")  # a name or a transcript or a flag
    assert sorted(p.name for p in shown_paths(view)) == ["other_rate.wav"]
    view.text_filter.setText("")
    view.flag_box.setCurrentIndex(view.flag_box.findData("duplicate"))
    view.text_filter.setText("clean")
    assert shown_paths(view) == [dataset_dir / "same_as_clean.wav"]
    assert "showing 1" in view.summary.text()


def test_dragging_a_histogram_range_filters_the_table(scanned_view, dataset_dir):
    view, expected = scanned_view, expected_rows(dataset_dir)
    plot = view.histograms.plots["duration"]
    lo, hi = plot.span
    assert lo <= 1.0 and hi >= 9.0  # the region covers the data
    plot.drag_to(0.9, 1.05)
    want = sorted(p for p, r in expected.items()
                  if r.duration is not None and 0.9 <= r.duration <= 1.05)
    assert len(want) == 5
    assert sorted(shown_paths(view)) == want
    assert view.clear_ranges.isVisible()
    rates = view.histograms.plots["sample_rate"]
    rates.drag_to(40000, rates.span[1])  # and the 44.1 kHz file is not 1.0 s long
    assert shown_paths(view) == []
    rates.reset()
    view.clear_ranges.click()
    assert len(shown_paths(view)) == 8 and not view.clear_ranges.isVisible()


def test_sorting_puts_values_in_order_and_unmeasured_last(scanned_view, dataset_dir):
    view = scanned_view
    column = COLUMNS.index("duration")
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    durations = [view.model.measurement(p).duration for p in shown_paths(view)]
    filled = [d for d in durations if d is not None]
    assert filled == sorted(filled, reverse=True) and filled[0] == pytest.approx(9.0)
    assert durations[-1] is None  # the broken file, last whichever way
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    durations = [view.model.measurement(p).duration for p in shown_paths(view)]
    assert durations[:-1] == sorted(durations[:-1]) and durations[-1] is None


def test_header_menu_hides_and_shows_columns(scanned_view):
    view = scanned_view
    menu = view.column_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == set(COLUMNS)
    assert not actions["path"].isEnabled()
    assert "audio_hash" in view.hidden_columns()
    actions["audio_hash"].setChecked(True)
    actions["duration"].setChecked(False)
    assert "audio_hash" not in view.hidden_columns()
    assert view.table.isColumnHidden(COLUMNS.index("duration"))


def test_a_picked_row_asks_for_its_file(scanned_view, qtbot, dataset_dir):
    view = scanned_view
    row = view.model.shown_row_of(dataset_dir / "dc.wav")
    with qtbot.waitSignal(view.fileActivated) as blocker:
        view.table.setCurrentIndex(view.model.index(row, 0))
    assert blocker.args == [dataset_dir / "dc.wav"]


def test_a_scan_can_be_cancelled_and_started_again(qtbot, tmp_path):
    import numpy as np
    import soundfile as sf

    from explorer.ui.dataset.view import DatasetView

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        sf.write(folder / f"f{i:03d}.wav", np.full(4000, 0.01 * (i % 50), np.float32), 16000)
    view = DatasetView()
    view.jobs = 1  # measured one by one in the scan thread: the cancel lands mid-folder
    qtbot.addWidget(view)
    view.set_folder(scan_folder(folder), folder)
    qtbot.waitUntil(lambda: any(r is not None for r in view.model.rows), timeout=30000)
    with qtbot.waitSignal(view.scanFinished, timeout=30000) as blocker:
        view.scan_button.click()
    assert blocker.args[0].cancelled
    done = sum(r is not None for r in view.model.rows)
    assert 0 < done < 300
    assert view.progress_label.text() == f"cancelled: {done} of 300 measured"
    assert view.scan_button.text() == "Scan again"
    with qtbot.waitSignal(view.scanFinished, timeout=60000) as blocker:
        view.scan_button.click()
    assert not blocker.args[0].cancelled
    assert len(blocker.args[0].rows) == 300 - done  # only the rest was measured
    assert all(r is not None for r in view.model.rows)
    assert view.progress_label.text().startswith("300 files measured")
    row, want = view.model.measurement(folder / "f007.wav"), measure_one(folder / "f007.wav")
    assert (row.rms_dbfs, row.duration, row.audio_hash) == (want.rms_dbfs, want.duration,
                                                            want.audio_hash)
    view.shutdown()


def test_the_gui_thread_keeps_beating_while_a_folder_is_scanned(qtbot, tmp_path):
    """A 10 ms heartbeat QTimer never waits more than 50 ms (+ its own 10) while 600 files are
    listed, measured and shown (histograms and summary redrawn as they arrive)."""

    import numpy as np
    import soundfile as sf

    from explorer.ui.dataset.view import DatasetView

    folder = tmp_path / "beat"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(600):
        sf.write(folder / f"b{i:03d}.wav", (0.1 * rng.standard_normal(2000)).astype(np.float32),
                 16000, subtype="PCM_16")
    view = DatasetView()
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    paths = scan_folder(folder)
    beat = Heartbeat()
    qtbot.wait(100)
    beat.reset()
    with qtbot.waitSignal(view.scanFinished, timeout=120000):
        view.set_folder(paths, folder)
    qtbot.wait(200)
    beat.stop()
    gaps = beat.gaps
    assert all(r is not None for r in view.model.rows)
    assert len(gaps) > 20
    # 50 ms is the target (bench/dataset_gui.py measures it); CI machines are shared and noisy,
    # so the test allows what the long-file stall tests allow: 3x
    assert max(gaps) <= 0.050 * 3, sorted(gaps)[-5:]
    view.shutdown()
