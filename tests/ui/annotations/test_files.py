"""The label files around the audio: a file changed by another program while open is detected
and offered to reload (undoably), the user's original is replaced only when they say so, Save
labels as… writes the chosen format and says why when it cannot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.model.annotations.formats import read_labels
from explorer.model.annotations.tiers import Label
from explorer.ui.annotations import actions as actions_mod


def _words(window):
    return [lab.label for _, lab in window.annotations.editor.annotations.labels()]


def test_a_label_file_changed_on_disk_is_offered_to_reload(qtbot, window_on, labelled):
    audio, txt = labelled
    window = window_on(audio)
    link = window.annotations
    assert link.check_disk() == []
    assert not link.panel.changed_bar.isVisible()
    txt.write_bytes(b"0.100000\t0.300000\tedited\n5.000000\t5.500000\telsewhere\n")
    # found by the watcher or the poll, within a few seconds, without asking
    qtbot.waitUntil(link.panel.changed_bar.isVisible, timeout=5000)
    assert txt.name in link.panel.changed_text.text()
    assert _words(window) == ["the", "word", "speech"]  # nothing changed until the user says
    qtbot.mouseClick(link.panel.reload_button, Qt.MouseButton.LeftButton)
    assert _words(window) == ["edited", "elsewhere"]
    assert not link.panel.changed_bar.isVisible()
    assert link.check_disk() == []  # taken as read: not offered again
    # the reload is one undoable step
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _words(window) == ["the", "word", "speech"]


def test_keep_mine_leaves_the_other_file_and_stops_asking(qtbot, window_on, labelled):
    audio, txt = labelled
    window = window_on(audio)
    link = window.annotations
    link.editor.add("interval", Label(3.0, 3.5, "mine"))
    theirs = b"0.100000\t0.300000\ttheirs\n"
    txt.write_bytes(theirs)
    assert link.check_disk() == [txt]
    assert link.panel.changed_bar.isVisible()
    qtbot.mouseClick(link.panel.keep_button, Qt.MouseButton.LeftButton)
    assert not link.panel.changed_bar.isVisible()
    assert link.check_disk() == []
    assert "mine" in _words(window)
    assert link.save()
    assert txt.read_bytes() == theirs  # theirs is theirs; ours went to the sidecar
    assert "mine" in link.editor.store.sidecar.read_text()


def test_save_as_over_the_original_asks_first(qtbot, window_on, labelled, save_dialog,
                                              monkeypatch):
    audio, txt = labelled
    before = txt.read_bytes()
    window = window_on(audio)
    link = window.annotations
    link.editor.rename("labels", Label(0.5, 0.9, "the"), "THE")
    asked: list[str] = []
    answer = {"value": QMessageBox.StandardButton.No}

    def question(parent, title, text, *args):
        asked.append(text)
        return answer["value"]

    monkeypatch.setattr(actions_mod.QMessageBox, "question", staticmethod(question))
    warnings = save_dialog(actions_mod, txt, "Audacity labels (*.txt)")
    assert link.actions.save_as() is None
    assert len(asked) == 1 and "read from" in asked[0]
    assert txt.read_bytes() == before  # the user said no
    answer["value"] = QMessageBox.StandardButton.Yes
    assert link.actions.save_as() == txt
    assert [lab.label for lab in read_labels(txt).tiers[0].labels] == ["THE", "word", "speech"]
    assert warnings == []


def test_save_as_a_textgrid_and_a_failure_in_words(qtbot, window_on, labelled, save_dialog,
                                                   tmp_path):
    audio, _txt = labelled
    window = window_on(audio)
    link = window.annotations
    out = tmp_path / "out" / "words.csv"
    out.parent.mkdir()
    warnings = save_dialog(actions_mod, out, "Labels table CSV (*.csv)")
    assert link.actions.save_as() == out
    assert [lab.label for lab in read_labels(out).tiers[0].labels] == ["the", "word", "speech"]
    assert warnings == []
    missing = tmp_path / "no-such-folder" / "words.csv"
    warnings = save_dialog(actions_mod, missing, "Labels table CSV (*.csv)")
    assert link.actions.save_as() is None
    assert len(warnings) == 1 and "no such folder" in warnings[0]
    assert "Traceback" not in warnings[0]


def test_save_labels_as_is_in_the_file_menu(window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.annotations.actions.actions["save_as"] in file_menu.actions()
    texts = [a.text() for a in window.menuBar().actions()]
    assert "&Labels" in texts
