"""A file whose name is not UTF-8 in the window: listed with U+FFFD, and selecting it loads it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_loaded


def test_a_latin1_name_is_shown_and_opens(qtbot, make_window, tmp_path, speech_path, robin_path):
    folder = tmp_path / "names"
    folder.mkdir()
    shutil.copyfile(robin_path, folder / "a.wav")
    shutil.copyfile(speech_path, os.path.join(os.fsencode(folder), b"caf\xe9.wav"))
    window = make_window()
    window.open_paths([str(folder)])
    wait_loaded(qtbot, window, folder / "a.wav")
    latin1 = Path(os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9.wav")))
    model = window.browser.model
    row = model.row_of(latin1)
    assert row >= 0
    assert model.index(row, 0).data(Qt.ItemDataRole.DisplayRole) == "caf\ufffd.wav"
    assert window.browser.select(latin1)
    wait_loaded(qtbot, window, latin1)
    assert window.session.original.frames == 222561 and window.session.error is None
    assert window.session.original.name == "caf\ufffd.wav"
    qtbot.waitUntil(lambda: model.facts[row] is not None and not isinstance(model.facts[row], str),
                    timeout=5000)
    assert model.facts[row].subtype == "PCM_16"
