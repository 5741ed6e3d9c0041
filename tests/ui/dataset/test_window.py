"""The Dataset view in the main window: opened with a folder, rows open files, and the current
file's transcript shows under the waveform and its flags in the info panel."""

from __future__ import annotations

from tests.ui.conftest import wait_loaded


def open_and_scan(qtbot, window, folder):
    view = window.dataset.view
    with qtbot.waitSignal(view.scanFinished, timeout=60000):
        window.open_paths([str(folder)])
    return view


def test_a_folder_opens_the_dataset_dock_and_is_scanned(qtbot, make_window, dataset_dir):
    window = make_window()
    assert not window.dataset.dock.isVisible()
    assert window.dataset.dock.toggleViewAction() in window.view_menu.actions()
    view = open_and_scan(qtbot, window, dataset_dir)
    assert window.dataset.dock.isVisible()
    assert sorted(view.model.paths) == sorted(window.browser.model.paths)
    assert all(r is not None for r in view.model.rows)


def test_a_picked_row_opens_the_file_with_transcript_and_flags(qtbot, make_window, dataset_dir):
    window = make_window()
    view = open_and_scan(qtbot, window, dataset_dir)
    clipped = dataset_dir / "clipped.wav"
    view.table.setCurrentIndex(view.model.index(view.model.shown_row_of(clipped), 0))
    wait_loaded(qtbot, window, clipped)
    assert window.browser.current_path() == clipped
    assert window.transcript.isVisible() and window.transcript.text() == "a very loud sentence"
    # under the waveform, in the same column of the window
    assert window.transcript.parent() is window.waveform.parent()
    assert window.transcript.geometry().top() >= window.waveform.geometry().bottom()
    info = window.info.text()
    assert "Dataset" in info and "clipped" in info.split("Dataset", 1)[1]
    silent = dataset_dir / "silent.wav"  # no transcript: the line goes away
    view.table.setCurrentIndex(view.model.index(view.model.shown_row_of(silent), 0))
    wait_loaded(qtbot, window, silent)
    assert not window.transcript.isVisible()
    assert "silent" in window.info.text().split("Dataset", 1)[1]
    # a file picked in the file list is selected in the dataset table too
    window.browser.select(dataset_dir / "dc.wav")
    wait_loaded(qtbot, window, dataset_dir / "dc.wav")
    assert view.model.path_at(view.table.currentIndex().row()) == dataset_dir / "dc.wav"
    assert "dc_offset" in window.info.text().split("Dataset", 1)[1]


def test_export_writes_the_shown_rows_as_csv_and_parquet(qtbot, make_window, dataset_dir,
                                                         tmp_path):
    import csv

    import pyarrow.parquet as pq

    from explorer.model.measure import COLUMNS  # what is exported: the measurements

    window = make_window()
    view = open_and_scan(qtbot, window, dataset_dir)
    action = window.export_menu.actions["dataset"]
    assert action in window.export_menu.menu.actions()
    window.dataset.update_enabled()
    assert action.isEnabled()
    out = window.dataset.export(tmp_path / "all.csv")
    with open(out, newline="") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == list(COLUMNS)
    assert sorted(r["path"] for r in table) == sorted(str(p) for p in view.model.paths)
    by_name = {r["path"].rsplit("/", 1)[1]: r for r in table}
    clipped = view.model.measurement(dataset_dir / "clipped.wav")
    assert float(by_name["clipped.wav"]["rms_dbfs"]) == clipped.rms_dbfs
    assert by_name["clipped.wav"]["transcript"] == "a very loud sentence"
    assert "clipped" in by_name["clipped.wav"]["flags"].split(";")
    assert by_name["broken.wav"]["error"] != ""
    view.flag_box.setCurrentIndex(view.flag_box.findData("duplicate"))  # the shown rows only
    table = pq.read_table(window.dataset.export(tmp_path / "dups.parquet")).to_pylist()
    assert [r["path"] for r in table] == [str(dataset_dir / "same_as_clean.wav")]
    assert table[0]["duplicate_of"] == str(dataset_dir / "clean.wav")
    assert not list(tmp_path.glob("*.tmp*"))  # the atomic writer left nothing behind


def test_the_start_folder_is_scanned_without_opening_the_dock(qtbot, make_window, dataset_dir,
                                                              samples_dir):
    window = make_window()
    view = window.dataset.view
    with qtbot.waitSignal(view.scanFinished, timeout=60000):
        window.open_initial([str(dataset_dir)])
    assert not window.dataset.dock.isVisible()  # the window starts with its layout
    assert all(r is not None for r in view.model.rows) and len(view.model.rows) == 8
    window.dataset.dock.toggleViewAction().trigger()  # View > Dataset
    assert window.dataset.dock.isVisible()
    window.dataset.dock.hide()
    with qtbot.waitSignal(view.scanFinished, timeout=60000):  # a file opened alone: its folder
        window.open_paths([str(samples_dir / "robin_44k_stereo.wav")])  # is scanned, not shown
    assert not window.dataset.dock.isVisible()
    assert view.model.root == samples_dir and all(r is not None for r in view.model.rows)
    window.dataset.view.set_folder([], None, scan=False)
    window.open_paths([str(samples_dir)])  # a folder opened later shows it (its next event)
    qtbot.waitUntil(window.dataset.dock.isVisible, timeout=5000)


def test_hidden_dataset_columns_are_remembered(qtbot, make_window, private_settings):
    from explorer.ui.dataset.rows import COLUMNS, DEFAULT_HIDDEN

    window = make_window()
    view = window.dataset.view
    assert set(view.hidden_columns()) == DEFAULT_HIDDEN  # a first start: the defaults
    for action in view.column_menu().actions():  # what (un)ticking in the header's menu does
        if action.text() == "rms_dbfs":
            action.setChecked(False)
        if action.text() == "frames":
            action.setChecked(True)
    wanted = [n for n in COLUMNS if n in DEFAULT_HIDDEN | {"rms_dbfs"} and n != "frames"]
    assert view.hidden_columns() == wanted
    window.close()
    again = make_window()
    table = again.dataset.view.table
    assert [name for c, name in enumerate(COLUMNS) if table.isColumnHidden(c)] == wanted
