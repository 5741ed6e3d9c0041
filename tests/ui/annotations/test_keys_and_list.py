"""The smaller habits: Escape in the prompt makes nothing, Tab in a text field moves the focus
(not the playhead), double-clicking a label renames it, the list plays a label, snapping puts
edges on zero crossings, a mel axis moves the boxes with it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.model.annotations.tiers import Label
from explorer.ui.annotations.overlay import LabelBox, LabelRegion
from explorer.ui.spectrogram.axes import axis_coordinates
from tests.ui.annotations.conftest import double_click, type_label, view_point


def _words(window):
    return [lab.label for _, lab in window.annotations.editor.annotations.labels()]


def test_escape_in_the_prompt_adds_nothing(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    window.session.set_selection((3.0, 3.5))
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_L)
    prompt = window.annotations.prompt
    qtbot.waitUntil(prompt.isVisible)
    qtbot.keyClicks(prompt, "nope")
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert not prompt.isVisible()
    assert _words(window) == ["the", "word", "speech"]
    assert not window.annotations.editor.undo_stack.canUndo()


def test_l_without_a_selection_says_what_to_do(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_L)
    assert not window.annotations.prompt.isVisible()
    assert "Select a stretch first" in window.statusBar().currentMessage()


def test_tab_in_a_text_field_moves_the_focus_not_the_playhead(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    window.playback.seek(0.0)
    field = window.browser.findChildren(QLineEdit)[0]  # the file list's filter box
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert window.playback.cursor == 0.0
    assert not field.hasFocus()


def test_double_click_on_a_label_renames_it(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    wave = window.waveform
    double_click(qtbot, wave, view_point(wave, 1.3, -0.5))
    prompt = window.annotations.prompt
    qtbot.waitUntil(prompt.isVisible)
    assert prompt.text() == "word"
    type_label(qtbot, window, "bird")
    assert _words(window) == ["the", "bird", "speech"]


def test_the_list_plays_a_label(qtbot, window_on, labelled, fake_player):
    audio, _ = labelled
    window = window_on(audio)
    panel = window.annotations.panel
    panel.table.setCurrentIndex(panel.model.index(2, 0))  # "speech", 2.0 - 2.7 s
    assert window.playback.cursor == 2.0
    fake_player.calls.clear()
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    plays = [c for c in fake_player.calls if c[0] == "play"]
    rate = window.session.clip.sample_rate
    assert plays and plays[-1][4] == round(2.0 * rate) and plays[-1][5] == round(2.7 * rate)
    assert window.session.selection == (2.0, 2.7)


def test_snapping_puts_new_edges_on_zero_crossings(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    window.annotations.panel.snap_box.setChecked(True)
    assert window.annotations.actions.snap_action.isChecked()
    window.session.set_selection((3.0031, 3.5017))
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_L)
    type_label(qtbot, window, "snapped")
    (label,) = [lab for _, lab in window.annotations.editor.annotations.labels()
                if lab.label == "snapped"]
    clip = window.session.clip
    x = clip.samples[:, 0] if clip.samples.ndim == 2 else clip.samples
    for t in (label.start, label.end):
        i = int(round(t * clip.sample_rate))
        assert abs(i / clip.sample_rate - t) < 1e-9  # on a sample
        near = x[i - 1:i + 2]
        assert near.min() <= 0 <= near.max(), (t, near)  # the signal crosses zero there
    assert (label.start, label.end) != (3.0031, 3.5017)


def test_boxes_follow_the_frequency_axis(qtbot, window_on, labelled):
    audio, _ = labelled
    window = window_on(audio)
    window.annotations.editor.add("box", Label(1.0, 1.5, "f", low_hz=500.0, high_hz=2000.0))
    for mode in ("mel", "log", "Hz"):
        window.controls.axisModeChanged.emit(mode)  # as the controls' axis choice does
        y0, y1 = axis_coordinates(np.array([500.0, 2000.0]), mode)

        def placed(y0=y0, y1=y1):
            (box,) = [i for i in window.annotations.spectrogram_overlay.items
                      if isinstance(i, LabelBox)]
            assert abs(box.pos().y() - y0) < 1e-6
            assert abs(box.pos().y() + box.size().y() - y1) < 1e-6

        qtbot.waitUntil(placed)
    assert any(isinstance(i, LabelRegion) for i in window.annotations.waveform_overlay.items)


def test_new_rename_and_delete_tier_are_undoable(qtbot, window_on, labelled, monkeypatch):
    from explorer.ui.annotations import actions as actions_mod

    audio, _ = labelled
    window = window_on(audio)
    acts = window.annotations.actions
    editor = window.annotations.editor
    answers = iter([("calls", True), ("box", True), ("renamed", True)])
    monkeypatch.setattr(actions_mod.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: next(answers)))
    monkeypatch.setattr(actions_mod.QInputDialog, "getItem",
                        staticmethod(lambda *a, **k: next(answers)))
    before = editor.annotations.copy()
    assert acts.new_tier()
    assert [(t.name, t.kind) for t in editor.annotations.tiers][-1] == ("calls", "box")
    assert window.annotations.panel.tier_name() == "calls"
    # a box drawn now goes to the chosen box tier
    editor.add("box", Label(0.2, 0.4, "x", low_hz=100.0, high_hz=900.0),
               window.annotations.panel.tier_name())
    assert len(editor.annotations.tier("calls").labels) == 1
    assert acts.rename_tier()
    assert editor.annotations.has_tier("renamed") and not editor.annotations.has_tier("calls")
    assert acts.delete_tier()
    assert not editor.annotations.has_tier("renamed")
    for _ in range(4):
        editor.undo_stack.undo()
    assert editor.annotations.same_content(before)
