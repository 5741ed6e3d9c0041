"""Keyboard navigation in the file list: Down loads the next file; stale results are dropped."""

from __future__ import annotations

import shutil
import time

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_loaded


def test_down_loads_next_and_space_plays(qtbot, window_on_samples, samples_dir, fake_player):
    window = window_on_samples
    files = sorted(samples_dir.glob("*.wav"))
    table = window.browser.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.session.path == files[1]
    wait_loaded(qtbot, window, files[1])
    assert window.windowTitle() == f"Audio Explorer — {files[1].name}"
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert window.playback.state == "playing"
    play = fake_player.called("play")[-1]
    assert play[1] == window.session.clip.frames and play[2] == 16000
    qtbot.keyClick(table, Qt.Key.Key_Return)  # toggles: pause
    assert window.playback.state == "paused"
    qtbot.keyClick(table, Qt.Key.Key_Up)
    wait_loaded(qtbot, window, files[0])
    assert window.playback.state == "stopped"


def test_holding_down_drops_stale_results(qtbot, make_window, speech_path, tmp_path, monkeypatch):
    from explorer.ui.state import session as session_module

    load = session_module._load_job

    def slow_load(*args, **kwargs):  # a load slower than key repeat, as on a network drive:
        time.sleep(0.05)  # the results of keys already left behind must then be dropped
        return load(*args, **kwargs)

    monkeypatch.setattr(session_module, "_load_job", slow_load)
    folder = tmp_path / "many"
    folder.mkdir()
    count = 40
    for i in range(count):
        shutil.copy(speech_path, folder / f"clip{i:03d}.wav")
    window = make_window()
    window.open_paths([str(folder)])
    paths = sorted(folder.glob("*.wav"))
    wait_loaded(qtbot, window, paths[0].resolve())
    shown = []
    window.session.clipChanged.connect(lambda loaded: shown.append(loaded.original.path))
    table = window.browser.table
    table.setFocus()
    slowest = 0.0
    for _ in range(30):  # key repeat: events keep coming while earlier loads are in flight
        start = time.perf_counter()
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.wait(5)
        slowest = max(slowest, time.perf_counter() - start)
    target = paths[30].resolve()
    assert window.session.path == target
    wait_loaded(qtbot, window, target)
    assert slowest < 0.25, f"a key press took {slowest:.3f} s on the GUI thread"
    # nothing was shown after the user had moved on: only ever the newest request
    assert shown[-1] == target
    indices = [paths.index(p) for p in shown]
    assert indices == sorted(indices)
    assert len(shown) < 30
    assert window.spectrogram.spec is window.session.spectrogram
    assert window.session.spectrogram.times[-1] <= window.session.clip.duration + 0.1
