"""A folder that cannot be listed says why, whether clicked in the tree or dropped; nothing changes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.nobody import as_nobody, locked_folder
from tests.ui.shell.test_drop import drop

REASON = "permission denied"


def test_clicking_an_unreadable_folder_in_the_tree_says_why(qtbot, window_on_samples, samples_dir):
    window = window_on_samples
    browser = window.browser
    before = (browser.folder, browser.count_text(), window.session.path)
    with locked_folder(samples_dir / "robin_44k_stereo.wav") as folder:
        tree = browser.tree
        qtbot.waitUntil(lambda: browser.dirs.index(str(folder)).isValid(), timeout=5000)
        index = browser.dirs.index(str(folder))
        tree.scrollTo(index)
        qtbot.waitUntil(lambda: tree.visualRect(index).isValid(), timeout=5000)
        with as_nobody():
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                             pos=tree.visualRect(index).center())
        message = window.statusBar().currentMessage()
        assert message == f"Cannot open {folder}: {REASON}"
        assert (browser.folder, browser.count_text(), window.session.path) == before
        assert browser.dirs.filePath(tree.currentIndex()) == str(before[0])  # the tree points back


def test_dropping_an_unreadable_folder_says_why_and_changes_nothing(qtbot, window_on_samples,
                                                                      samples_dir):
    window = window_on_samples
    browser = window.browser
    with locked_folder(samples_dir / "robin_44k_stereo.wav") as folder:
        # only the folder's listing as 'nobody', who may not read Python's own files: every
        # module the drop needs is imported by a first drop of a folder that is there to list
        drop(window, [folder.parent])
        before = (browser.folder, browser.count_text(), window.session.path)
        with as_nobody():
            event = drop(window, [folder])
            refused = window.open_paths([str(folder)])  # the same, called directly
        assert event.isAccepted() and not refused  # handled, no exception out of the slot
        assert window.statusBar().currentMessage() == f"Cannot open {folder}: {REASON}"
        assert (browser.folder, browser.count_text(), window.session.path) == before
