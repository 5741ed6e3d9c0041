"""File > Recent folders: what it lists (newest first, no repeats, at most MAX_RECENT, kept across
runs) and what choosing one opens."""

from __future__ import annotations

import shutil

from explorer.ui.shell.main_window import MAX_RECENT
from tests.ui.conftest import wait_loaded


def _listed(window) -> list[str]:
    return [action.text() for action in window.recent_menu.actions()]


def test_recent_folders_lists_and_opens(qtbot, make_window, samples_dir, tmp_path):
    folders = []
    for name in ("birds", "speech", "music"):
        folder = tmp_path / name
        folder.mkdir()
        folders.append(folder.resolve())
    shutil.copy(samples_dir / "robin_44k_stereo.wav", folders[0])
    shutil.copy(samples_dir / "speech_198-209-0000.wav", folders[1])
    birds, speech, music = folders
    window = make_window()
    assert _listed(window) == [] and not window.recent_menu.isEnabled()
    for folder in (birds, speech, music, speech):
        window.open_paths([str(folder)])
    assert _listed(window) == [str(speech), str(music), str(birds)]  # newest first, once each
    assert window.recent_menu.isEnabled()

    # choosing one opens it: its files listed, the first shown
    [action] = [a for a in window.recent_menu.actions() if a.text() == str(birds)]
    action.trigger()
    assert window.browser.folder == birds and window.browser.count_text() == "1 file"
    wait_loaded(qtbot, window, birds / "robin_44k_stereo.wav")
    assert _listed(window)[0] == str(birds)

    # the next run lists the same
    again = make_window()
    assert _listed(again) == [str(birds), str(speech), str(music)]

    # a folder since deleted: says so, changes nothing
    shutil.rmtree(music)
    [gone] = [a for a in again.recent_menu.actions() if a.text() == str(music)]
    gone.trigger()
    assert "music" in again.statusBar().currentMessage()
    assert "does not exist" in again.statusBar().currentMessage()
    assert again.browser.folder is None


def test_recent_folders_keeps_the_newest(make_window, tmp_path):
    window = make_window()
    folders = []
    for i in range(MAX_RECENT + 3):
        folder = tmp_path / f"take{i}"
        folder.mkdir()
        folders.append(str(folder.resolve()))
        window.open_paths([folder])
    assert _listed(window) == folders[::-1][:MAX_RECENT]
