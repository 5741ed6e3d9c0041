"""The habits users bring from Audacity and Sonic Visualiser: Space anywhere but in text fields,
Home/End/Escape, zoom commands and their history, the plots' right-click menu, the selection and
cursor read-outs, the shortcuts list, Reset layout, single files opened in their folder, and a
file table that never elides the rate or the duration."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDockWidget, QTableWidget

from tests.ui.conftest import wait_loaded
from tests.ui.shell.test_drop import drop


def activate(qtbot, window):
    """Window shortcuts only fire in the active window, as for a user."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def view_point(view, seconds):
    scene = view.viewbox.mapViewToScene(QPointF(seconds, 0.0))
    return view.plot_widget.mapFromScene(scene)


def hover(qtbot, view, seconds):
    """The mouse comes to rest over `seconds` (pyqtgraph drops moves closer than ~20 ms)."""
    viewport = view.plot_widget.viewport()
    point = view_point(view, seconds)
    qtbot.wait(40)
    qtbot.mouseMove(viewport, point + QPoint(0, 3))
    qtbot.wait(40)
    qtbot.mouseMove(viewport, point)


def x_range(window):
    (x0, x1), _ = window.waveform.viewbox.viewRange()
    return x0, x1


def test_space_plays_wherever_the_focus_is_except_in_text_fields(qtbot, window_on_samples,
                                                                 fake_player):
    window = window_on_samples
    activate(qtbot, window)
    plot = window.spectrogram.plot_widget
    plot.setFocus()
    qtbot.keyClick(plot, Qt.Key.Key_Space)
    assert window.playback.state == "playing"
    assert fake_player.called("play")[-1][1] == window.session.clip.frames
    window.transport.loop_box.setFocus()  # a check box: Space plays, as in Audacity
    qtbot.keyClick(window.transport.loop_box, Qt.Key.Key_Space)
    assert window.playback.state == "paused" and not window.transport.loop_box.isChecked()

    spin = window.controls.findChildren(QAbstractSpinBox)[0]
    text_fields = [window.browser.filter, spin, window.transport.rate_box.lineEdit()]
    for field in text_fields:  # typing a space there types a space; playback is left alone
        field.setFocus()
        calls = len(fake_player.calls)
        qtbot.keyClick(field, Qt.Key.Key_Space)
        assert window.playback.state == "paused", field
        assert len(fake_player.calls) == calls, field
    assert window.browser.filter.text() == " "
    window.info.view.setFocus()  # read-only text is not typed into: Space plays there
    qtbot.keyClick(window.info.view, Qt.Key.Key_Space)
    assert window.playback.state == "playing"


def test_home_end_and_escape(qtbot, window_on_samples):
    window = window_on_samples
    activate(qtbot, window)
    window.spectrogram.plot_widget.setFocus()
    duration = window.session.clip.duration
    window.playback.seek(1.0)
    qtbot.keyClick(window.spectrogram.plot_widget, Qt.Key.Key_End)
    assert window.playback.cursor == pytest.approx(duration)
    assert window.waveform.playhead.value() == pytest.approx(duration)
    qtbot.keyClick(window.spectrogram.plot_widget, Qt.Key.Key_Home)
    assert window.playback.cursor == 0.0 and window.waveform.playhead.value() == 0.0
    window.session.set_selection((0.5, 1.0))
    assert window.waveform.region.isVisible()
    qtbot.keyClick(window.spectrogram.plot_widget, Qt.Key.Key_Escape)
    assert window.session.selection is None and window.playback.selection is None
    assert not window.waveform.region.isVisible()
    assert window.selection_label.text() == ""


def test_zoom_commands_and_previous_zoom(qtbot, window_on_samples):
    window = window_on_samples
    activate(qtbot, window)
    target = window.waveform.plot_widget
    target.setFocus()
    duration = window.session.clip.duration
    assert x_range(window) == pytest.approx((0.0, duration), abs=1e-6)
    qtbot.keyClick(target, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    x0, x1 = x_range(window)
    assert x1 - x0 == pytest.approx(duration / 2, rel=1e-3)
    # the spectrogram follows (its x is linked)
    (s0, s1), _ = window.spectrogram.viewbox.viewRange()
    assert (s0, s1) == pytest.approx((x0, x1), abs=1e-6)
    qtbot.keyClick(target, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert x_range(window)[1] - x_range(window)[0] == pytest.approx(duration, rel=1e-3)
    window.session.set_selection((0.5, 1.0))
    qtbot.keyClick(target, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert x_range(window) == pytest.approx((0.5, 1.0), abs=1e-6)
    qtbot.keyClick(target, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # previous zoom
    assert x_range(window) == pytest.approx((0.0, duration), rel=1e-3)
    qtbot.keyClick(target, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(target, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # fit
    assert x_range(window) == pytest.approx((0.0, duration), abs=1e-6)
    qtbot.keyClick(target, Qt.Key.Key_Backspace)  # previous zoom, too
    assert x_range(window) == pytest.approx((0.5, 1.0), abs=1e-6)
    # the standard zoom keys (Ctrl++ / Ctrl+-) are there as well
    zoom_in = window.keys.actions["zoom_in"].shortcuts()
    zoom_out = window.keys.actions["zoom_out"].shortcuts()
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn):
        assert key in zoom_in
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut):
        assert key in zoom_out
    # Backspace in the filter field edits the text, it does not zoom
    window.browser.filter.setFocus()
    qtbot.keyClicks(window.browser.filter, "ab")
    qtbot.keyClick(window.browser.filter, Qt.Key.Key_Backspace)
    assert window.browser.filter.text() == "a"
    assert x_range(window) == pytest.approx((0.5, 1.0), abs=1e-6)


def test_right_click_menu_on_the_plots(qtbot, window_on_samples, fake_player):
    window = window_on_samples
    waveform = window.waveform
    qtbot.waitUntil(lambda: waveform.viewbox.width() > 100)
    window.session.set_selection((0.5, 1.0))
    for view in (waveform, window.spectrogram):
        window.keys.menu = None
        qtbot.mouseClick(view.plot_widget.viewport(), Qt.MouseButton.RightButton,
                         pos=view_point(view, 1.5))
        menu = window.keys.menu
        assert menu is not None and menu.isVisible()
        texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
        assert texts[:2] == ["Zoom to fit", "Zoom to selection"]
        assert "Play selection" in texts and "Export this view (PNG or SVG)…" in texts
        assert all(a.isEnabled() for a in menu.actions() if not a.isSeparator())
        menu.close()
    actions = {a.text().replace("&", ""): a for a in menu.actions()}
    actions["Zoom to selection"].trigger()
    assert x_range(window) == pytest.approx((0.5, 1.0), abs=1e-6)
    actions["Zoom to fit"].trigger()
    assert x_range(window) == pytest.approx((0.0, window.session.clip.duration), abs=1e-6)
    actions["Play selection"].trigger()
    rate = window.session.clip.sample_rate
    play = fake_player.called("play")[-1]
    assert play[4:] == (round(0.5 * rate), round(1.0 * rate), False)


def test_selection_read_out_and_play_plays_the_selection(qtbot, window_on_samples, fake_player):
    window = window_on_samples
    rate = window.session.clip.sample_rate
    assert rate == 44100
    window.session.set_selection((0.5, 1.25))
    assert window.selection_label.text() == (
        "selection 0.500 – 1.250 s, length 0.750 s   [samples 22050 – 55125, 33075]")
    window.playback.play()  # Play with a selection plays the selection, once
    assert fake_player.called("play")[-1][4:] == (22050, 55125, False)
    window.playback.stop()
    window.transport.loop_box.setChecked(True)  # Loop repeats it
    window.playback.play()
    assert fake_player.called("play")[-1][4:] == (22050, 55125, True)
    assert fake_player.loop == (22050, 55125)
    window.transport.loop_box.setChecked(False)
    window.playback.stop()
    window.playback.play()
    window.playback.seek(2.0)  # a click outside the selection while it plays: play on from there
    assert fake_player.called("play")[-1][4:] == (88200, None, False)
    assert window.playback.state == "playing"


def test_waveform_read_out_under_the_mouse(qtbot, window_on_samples):
    window = window_on_samples
    waveform = window.waveform
    qtbot.waitUntil(lambda: waveform.viewbox.width() > 100)
    waveform.viewbox.setXRange(1.0, 1.002, padding=0)  # close: one sample is several pixels
    qtbot.wait(50)
    hover(qtbot, waveform, 1.001)
    text = waveform.cursor_label.text()
    clip = window.session.clip
    index = int(text.split("sample ")[1].split()[0])
    assert abs(index - 1.001 * clip.sample_rate) <= 2
    mono = float(np.mean(clip.samples[index]))
    assert f"t = {index / clip.sample_rate:.4f} s" in text
    assert f"mono {mono:+.4f}" in text
    # zoomed out, a pixel spans many samples: its min and max are read out too
    window.keys.zoom.fit()
    qtbot.wait(50)
    hover(qtbot, waveform, 0.6)
    assert "pixel:" in waveform.cursor_label.text()


def test_help_lists_every_shortcut_and_none_is_ambiguous(qtbot, window_on_samples):
    window = window_on_samples
    rows = window.keys.shortcut_rows()
    registered = [a for a in window.findChildren(QAction) + window.actions() if a.shortcuts()]
    assert len(registered) >= 15
    seen: dict[str, str] = {}
    for action in set(registered):
        name = action.text().replace("&", "").rstrip("…").strip()
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        assert any(what == name and all(k in shown for k in keys) for what, shown in rows), name
        for key in keys:  # two actions on one key: Qt fires neither
            assert key not in seen or seen[key] == name, (key, name, seen.get(key))
            seen[key] = name
    for key in ("Space", "Home", "End", "Esc", "Ctrl+F", "Ctrl+1", "Ctrl+3", "Ctrl+E",
                "Alt+Left", "F1", "Ctrl+L", "Ctrl+O"):
        assert key in seen, key
    window.keys.actions["shortcuts"].trigger()
    dialog = window.keys.dialog
    assert dialog.isVisible()
    table = dialog.findChild(QTableWidget)
    assert table.rowCount() == len(rows)
    assert {table.item(i, 0).text() for i in range(table.rowCount())} == {r[0] for r in rows}
    dialog.close()


def test_reset_layout_restores_the_docks(qtbot, make_window):
    window = make_window()
    qtbot.wait(50)
    window.files_dock.hide()
    window.info_dock.setFloating(True)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.controls_dock)
    window.live_dock.show()
    window.splitter.setSizes([600, 100])
    window.keys.actions["reset_layout"].trigger()
    qtbot.wait(50)
    assert window.files_dock.isVisible() and not window.files_dock.isFloating()
    assert not window.info_dock.isFloating() and window.info_dock.isVisible()
    assert window.dockWidgetArea(window.files_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(window.info_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(window.controls_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not window.live_dock.isVisible()
    for dock in window.findChildren(QDockWidget):
        assert not dock.isFloating(), dock.windowTitle()
    assert window.files_dock.width() >= 250
    top, bottom = window.splitter.sizes()
    assert top < bottom  # the spectrogram gets the larger share again


@pytest.fixture
def folder_of_three(tmp_path, speech_path):
    folder = tmp_path / "three"
    folder.mkdir()
    for name in ("a.wav", "b.wav", "c.wav"):
        shutil.copy(speech_path, folder / name)
    return folder.resolve()


@pytest.mark.parametrize("how", ["menu", "drop", "launcher", "second launch"])
def test_a_single_file_opens_in_its_folder_and_down_steps_on(qtbot, make_window, folder_of_three,
                                                             how):
    from explorer.ui.shell.app import _bring_forward

    window = make_window()
    activate(qtbot, window)
    window.spectrogram.plot_widget.setFocus()  # wherever the focus was, the list gets it
    middle = folder_of_three / "b.wav"
    if how == "menu":  # what File > Open File… does with the chosen file
        window.open_paths([str(middle)])
    elif how == "drop":
        drop(window, [middle])
    elif how == "launcher":
        window.open_initial([str(middle)])
    else:
        _bring_forward(window, [str(middle)])
    wait_loaded(qtbot, window, middle)
    assert window.browser.folder == folder_of_three
    assert window.browser.count_text() == "3 files"
    assert window.browser.current_path() == middle
    qtbot.waitUntil(window.browser.table.hasFocus)
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Down)
    wait_loaded(qtbot, window, folder_of_three / "c.wav")
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Up)
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Up)
    wait_loaded(qtbot, window, folder_of_three / "a.wav")


def test_file_table_elides_names_not_rates_durations_or_errors(qtbot, make_window, tmp_path):
    folder = tmp_path / "table"
    folder.mkdir()
    long_name = "a_very_long_recording_name_from_the_field_station_north_2024-06-01_0600.wav"
    sf.write(folder / long_name, np.zeros(192000 * 2, np.float32), 192000, subtype="PCM_24")
    (folder / "broken.wav").write_bytes(b"this is not a wav file at all" * 10)
    window = make_window()
    window.open_paths([str(folder)])
    browser = window.browser
    model = browser.model
    qtbot.waitUntil(lambda: all(f is not None for f in model.facts))
    table = browser.table
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    rows = {model.paths[i].name: i for i in range(len(model.paths))}
    good, bad = rows[long_name], rows["broken.wav"]
    assert model.index(good, 2).data() == "192000"
    tip = model.index(good, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == long_name
    # the error row: a short reason in the table, the whole one in the tooltip
    assert model.index(bad, 1).data() == "⚠ not audio"
    assert "not an audio file" in model.index(bad, 0).data(Qt.ItemDataRole.ToolTipRole)
    header = table.horizontalHeader()
    for col in (1, 2):  # what the cells need fits in the column, whatever the dock's width
        assert table.sizeHintForColumn(col) <= header.sectionSize(col), col
    # the facts take what their values (or headers) need, no more: the name gets the rest
    for col in (1, 2, 3, 4):
        need = max(table.sizeHintForColumn(col), header.sectionSizeFromContents(col).width())
        assert header.sectionSize(col) <= need + 16, (col, header.sectionSize(col), need)
    window.files_dock.setFloating(True)
    window.files_dock.resize(240, 500)
    QApplication.processEvents()
    for col in (1, 2):
        assert table.sizeHintForColumn(col) <= header.sectionSize(col), col


def test_long_file_read_out_reads_the_file_only_close_up(qtbot, tmp_path):
    """A long file's samples are read from disk: far out the read-out gives the pixel's min and
    max from the summaries (no read on each mouse move); close up one block serves many moves."""
    from explorer.model.overview import Overview
    from explorer.ui.waveform.view import WaveformView

    rate = 8000
    signal = np.sin(np.arange(rate * 60) * 0.01).astype(np.float32)
    path = tmp_path / "minute.wav"
    sf.write(path, signal, rate, subtype="FLOAT")
    overview = Overview.from_file(path)
    reads = []
    read = overview._read
    overview._read = lambda a, b: reads.append((a, b)) or read(a, b)
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    view.set_overview(overview, rate, in_memory=False)
    qtbot.waitUntil(lambda: view.viewbox.width() > 100)
    reads.clear()
    for seconds in (10.0, 20.0, 30.0):
        hover(qtbot, view, seconds)
        assert "pixel:" in view.cursor_label.text() and "value" not in view.cursor_label.text()
    assert reads == []
    view.viewbox.setXRange(30.0, 30.005, padding=0)
    qtbot.wait(50)
    reads.clear()
    for seconds in (30.001, 30.002, 30.003):
        hover(qtbot, view, seconds)
        text = view.cursor_label.text()
        index = int(text.split("sample ")[1].split()[0])
        assert f"value {signal[index]:+.4f}" in text
    assert len(reads) == 1
