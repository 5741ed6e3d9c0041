"""Compare from the main window: multi-select in the file list or the Dataset table, then the
Compare menu, Ctrl+K or the right-click menu; the current clip with its copies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from explorer.model import SpectrogramParams
from tests.ui.conftest import wait_loaded


def select_rows(table, rows):
    model = table.selectionModel()
    model.clearSelection()
    for row in rows:
        index = table.model().index(row, 0)
        model.select(index, QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)


@pytest.fixture
def window(window_on_samples):
    yield window_on_samples
    if window_on_samples.compare.compare is not None:
        window_on_samples.compare.compare.shutdown()


def test_ctrl_k_compares_the_files_selected_in_the_file_list(qtbot, window):
    table = window.browser.table
    paths = [window.browser.model.paths[i] for i in range(window.browser.model.rowCount())]
    select_rows(table, [1, 2])
    table.setFocus()
    link = window.compare
    assert link.selected_paths() == [paths[1], paths[2]]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    compare = link.compare
    assert compare is not None and compare.isVisible()
    qtbot.waitUntil(lambda: len(compare.tracks) == 2, timeout=30000)
    assert [t.clip.path for t in compare.tracks] == [paths[1], paths[2]]
    assert compare.params == window.session.params


def test_right_click_menu_of_both_tables(qtbot, window):
    link = window.compare
    select_rows(window.browser.table, [0])
    menu = link.table_menu(window.browser.table)
    first = menu.actions()[0]
    assert not first.isEnabled() and "select 2 to 4" in first.text()
    dataset = window.dataset.view
    qtbot.waitUntil(lambda: dataset.model.rowCount() >= 3, timeout=30000)
    select_rows(dataset.table, [0, 1, 2])
    menu = link.table_menu(dataset.table)
    first = menu.actions()[0]
    assert first.isEnabled() and first.text() == "Compare the 3 selected files"
    first.trigger()
    compare = link.compare
    qtbot.waitUntil(lambda: len(compare.tracks) == 3, timeout=30000)
    assert [t.clip.path for t in compare.tracks] == [dataset.model.path_at(r) for r in range(3)]


def test_fewer_than_two_files_says_what_to_do(qtbot, window):
    select_rows(window.browser.table, [0])
    window.browser.table.setFocus()
    assert not window.compare.compare_selected()
    assert "select 2 to 4 files" in window.statusBar().currentMessage()
    assert window.compare.compare is None


def test_current_clip_with_itself_at_half_and_double_rate(qtbot, window):
    clip = window.session.original
    assert window.compare.compare_rates()
    compare = window.compare.compare
    qtbot.waitUntil(lambda: len(compare.tracks) == 3, timeout=30000)
    assert [t.clip.sample_rate for t in compare.tracks] == [clip.sample_rate,
                                                            clip.sample_rate // 2,
                                                            clip.sample_rate * 2]
    assert all(t.clip.samples is clip.samples for t in compare.tracks)
    # the session's parameters are the comparison's, and stay so
    params = SpectrogramParams(n_fft=1024, hop_length=256)
    with qtbot.waitSignal(compare.loaded, timeout=30000):
        window.session.set_params(params)
    assert compare.params == params
    assert all(t.spectrogram.spec.params == params for t in compare.tracks)


def test_current_clip_with_a_resampled_copy(qtbot, window, speech_path):
    window.browser.select(speech_path)
    wait_loaded(qtbot, window, speech_path)
    link = window.compare
    link._fill_copy_menu()
    texts = [a.text() for a in link.copy_menu.actions()]
    assert "8000 Hz" in texts and "16000 Hz" not in texts  # not its own rate
    next(a for a in link.copy_menu.actions() if a.text() == "8000 Hz").trigger()
    compare = link.compare
    qtbot.waitUntil(lambda: len(compare.tracks) == 2, timeout=30000)
    assert [t.clip.sample_rate for t in compare.tracks] == [16000, 8000]
    assert not compare.difference.isVisible()  # two rates: no difference, said why
    assert "16000 and 8000 Hz" in compare.note.text()


def test_main_playback_and_the_comparison_never_play_together(qtbot, window, fake_player):
    assert window.compare.compare_rates()
    compare = window.compare.compare
    qtbot.waitUntil(lambda: len(compare.ab.buffers) == 3, timeout=30000)
    window.playback.play()
    assert window.playback.state == "playing"
    compare.ab.play()
    assert compare.ab.state == "playing" and window.playback.state == "stopped"
    window.playback.play()
    assert compare.ab.state == "stopped"


def test_the_compare_window_closes_with_the_main_window(qtbot, window):
    assert window.compare.compare_rates()
    compare = window.compare.compare
    assert compare.isVisible() and compare.isWindow()
    window.close()
    assert not compare.isVisible()


def test_the_comparison_plays_on_the_transport_s_device(qtbot, window, fake_player, monkeypatch):
    """Its own player (the main one belongs to the transport), on the device chosen there."""
    from explorer.ui.compare import link as link_module
    from tests.conftest import FakePlayer

    own = FakePlayer()
    monkeypatch.setattr(link_module.CompareLink, "_compare_player", lambda self: own)
    assert window.compare.compare_rates()
    compare = window.compare.compare
    assert compare.ab.player is own
    qtbot.waitUntil(lambda: len(compare.ab.buffers) == 3, timeout=30000)
    fake_player.device = "the second card"
    compare.ab.play()
    assert own.device == "the second card" and own.called("play")
