"""Drag and drop with real QDropEvents carrying file URLs, delivered through the window."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_loaded


def drop(window, paths, target=None, proposed=Qt.DropAction.CopyAction):
    """Drag-enter then drop onto a point inside `target` (a child widget), like a file manager;
    returns the drop event (its dropAction() is what the drag source is told)."""
    target = target or window.spectrogram.plot_widget
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = target.mapTo(window, QPoint(target.width() // 2, target.height() // 2))
    handle = window.windowHandle()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:  # PySide6 >= 6.12 takes a QPointF, earlier releases a QPoint
        enter = QDragEnterEvent(QPointF(point), *args)
    except TypeError:
        enter = QDragEnterEvent(point, *args)
    enter.setDropAction(proposed)
    QApplication.sendEvent(handle, enter)
    event = QDropEvent(QPointF(point), actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.setDropAction(proposed)
    QApplication.sendEvent(handle, event)
    return event


def test_drop_folder_browses_it_and_shows_first_file(qtbot, make_window, samples_dir, tmp_path):
    window = make_window()
    folder = tmp_path / "dataset"
    folder.mkdir()
    for name in ("speech_198-209-0000.wav", "trumpet_44k_stereo_24bit.wav"):
        shutil.copy(samples_dir / name, folder / name)
    event = drop(window, [folder])
    assert event.isAccepted()
    assert window.browser.folder == folder.resolve()
    assert window.browser.count_text() == "2 files"
    wait_loaded(qtbot, window, folder.resolve() / "speech_198-209-0000.wav")
    assert window.windowTitle() == "Audio Explorer — speech_198-209-0000.wav"


def test_drop_files_lists_them_and_shows_the_first(qtbot, make_window, speech_path, robin_path):
    window = make_window()
    drop(window, [robin_path, speech_path], target=window.waveform.plot_widget)
    assert window.browser.count_text() == "2 files"
    wait_loaded(qtbot, window, robin_path.resolve())
    assert window.windowTitle().endswith("robin_44k_stereo.wav")


def test_drop_non_audio_says_so_and_changes_nothing(qtbot, make_window, samples_dir, tmp_path):
    window = make_window()
    window.open_paths([str(samples_dir)])
    first = sorted(samples_dir.glob("*.wav"))[0]
    wait_loaded(qtbot, window, first)
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    before = (window.browser.folder, window.browser.count_text(), window.session.path,
              window.windowTitle())
    drop(window, [notes], target=window.browser.table.viewport())
    message = window.statusBar().currentMessage()
    assert "notes.txt" in message and "not an audio file" in message
    assert "nothing changed" in message
    after = (window.browser.folder, window.browser.count_text(), window.session.path,
             window.windowTitle())
    assert after == before


def test_a_proposed_move_is_taken_as_a_copy_and_a_refused_drop_is_ignored(
        qtbot, make_window, speech_path, tmp_path):
    """A file manager deletes what it moved: the window only ever accepts a copy."""
    window = make_window()
    wav = tmp_path / "mine.wav"
    wav.write_bytes(speech_path.read_bytes())
    event = drop(window, [wav], proposed=Qt.DropAction.MoveAction)
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    wait_loaded(qtbot, window, wav.resolve())
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    event = drop(window, [notes], proposed=Qt.DropAction.MoveAction)
    assert not event.isAccepted()
    assert event.dropAction() != Qt.DropAction.MoveAction
    assert wav.is_file() and notes.is_file()
