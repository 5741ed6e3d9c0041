"""Labelling in the window through its real widgets: labels beside the audio load and show,
L labels the selection (a box after a Ctrl+drag), Ctrl+M a point, edges drag, Delete deletes,
and undo / redo go back and forth through exactly the same states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.model.annotations.tiers import Label
from explorer.ui.annotations.overlay import LabelBox, LabelLine, LabelRegion
from tests.ui.annotations.conftest import drag, type_label, view_point


def _labels(window, tier="labels"):
    ann = window.annotations.editor.annotations
    return list(ann.tier(tier).labels) if ann.has_tier(tier) else []


def _regions(overlay):
    return [i for i in overlay.items if isinstance(i, LabelRegion)]


def test_labels_beside_the_audio_load_and_show(window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    ann = window.annotations.editor.annotations
    assert [t.kind for t in ann.tiers] == ["interval"]
    tier = ann.tiers[0]
    assert [(lab.start, lab.end, lab.label) for lab in tier.labels] == [
        (0.5, 0.9, "the"), (1.1, 1.6, "word"), (2.0, 2.7, "speech")]
    # drawn on both plots, listed in the dock
    assert sorted(r.getRegion() for r in _regions(window.annotations.waveform_overlay)) == [
        (0.5, 0.9), (1.1, 1.6), (2.0, 2.7)]
    assert len(_regions(window.annotations.spectrogram_overlay)) == 3
    panel = window.annotations.panel
    assert panel.model.rowCount() == 3
    assert panel.model.index(1, 2).data() == "word"
    assert "never overwritten" in panel.where_label.text()


def test_label_the_selection_with_l_then_undo_redo(qtbot, window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    # drag on the waveform to select 3.0 - 3.5 s
    wave = window.waveform
    drag(qtbot, wave, view_point(wave, 3.0, 0.0), view_point(wave, 3.5, 0.0))
    a, b = window.session.selection
    assert abs(a - 3.0) < 0.02 and abs(b - 3.5) < 0.02
    wave.plot_widget.setFocus()
    qtbot.keyClick(wave.plot_widget, Qt.Key.Key_L)
    type_label(qtbot, window, "hello")
    tier = window.annotations.editor.current[0]
    added = [lab for lab in _labels(window, tier) if lab.label == "hello"]
    assert len(added) == 1 and (added[0].start, added[0].end) == (a, b)
    assert len(_regions(window.annotations.waveform_overlay)) == 4

    qtbot.keyClick(wave.plot_widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [lab.label for lab in _labels(window, tier)] == ["the", "word", "speech"]
    qtbot.keyClick(wave.plot_widget, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [lab.label for lab in _labels(window, tier)] == ["the", "word", "speech", "hello"]


def test_drag_an_edge_rename_inline_and_delete(qtbot, window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    wave = window.waveform
    link = window.annotations
    # the right edge of "word" (1.6 s) dragged to 1.8 s
    y = 0.0
    drag(qtbot, wave, view_point(wave, 1.6, y), view_point(wave, 1.8, y))
    word = [lab for lab in _labels(window) if lab.label == "word"][0]
    assert word.start == 1.1 and abs(word.end - 1.8) < 0.01
    # rename it in the list: double-click the text, type, Enter
    panel = link.panel
    row = panel.model.row_of(word)
    index = panel.model.index(row, 2)
    panel.table.setCurrentIndex(index)
    panel.table.edit(index)
    (editor,) = panel.table.viewport().findChildren(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "WORD")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [lab.label for lab in _labels(window)] == ["the", "WORD", "speech"])
    # Delete deletes the current label (the renamed one)
    assert link.editor.current[1].label == "WORD"
    wave.plot_widget.setFocus()
    qtbot.keyClick(wave.plot_widget, Qt.Key.Key_Delete)
    assert [lab.label for lab in _labels(window)] == ["the", "speech"]


def test_point_at_the_playhead_and_a_box_by_ctrl_drag(qtbot, window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    window.playback.seek(1.25)
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    type_label(qtbot, window, "click")
    assert _labels(window, "points") == [Label(1.25, None, "click")]
    assert any(isinstance(i, LabelLine) for i in window.annotations.waveform_overlay.items)

    spec = window.spectrogram
    drag(qtbot, spec, view_point(spec, 0.6, 1000.0), view_point(spec, 1.4, 3000.0),
         Qt.KeyboardModifier.ControlModifier)
    # the box is the time-frequency selection (Measure measures it); L labels it as a box
    assert window.analysis.box.box is not None
    window.waveform.plot_widget.setFocus()
    qtbot.keyClick(window.waveform.plot_widget, Qt.Key.Key_L)
    type_label(qtbot, window, "formant")
    (box,) = _labels(window, "boxes")
    assert box.label == "formant"
    assert abs(box.start - 0.6) < 0.02 and abs(box.end - 1.4) < 0.02
    assert abs(box.low_hz - 1000) < 40 and abs(box.high_hz - 3000) < 40
    boxes = [i for i in window.annotations.spectrogram_overlay.items if isinstance(i, LabelBox)]
    assert len(boxes) == 1
    assert not any(isinstance(i, LabelBox) for i in window.annotations.waveform_overlay.items)


def test_undo_redo_sequences_restore_exact_states(qtbot, window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    link = window.annotations
    editor = link.editor
    states = [editor.annotations.copy()]
    word = _labels(window)[1]
    steps = [
        lambda: editor.add("interval", Label(3.0, 3.4, "new")),
        lambda: editor.rename("labels", word, "werd"),
        lambda: editor.change("labels", Label(0.5, 0.9, "the"), Label(0.45, 0.95, "the")),
        lambda: editor.add("point", Label(2.2, None, "p")),
        lambda: editor.remove("labels", Label(2.0, 2.7, "speech")),
    ]
    for step in steps:
        assert step()
        states.append(editor.annotations.copy())
    key = window.waveform.plot_widget
    key.setFocus()
    for expected in reversed(states[:-1]):
        qtbot.keyClick(key, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert editor.annotations.same_content(expected)
    for expected in states[1:]:
        qtbot.keyClick(key, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        assert editor.annotations.same_content(expected)
    # undo part way, then a new edit drops the redo branch
    for _ in range(2):
        qtbot.keyClick(key, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.annotations.same_content(states[3])
    editor.add("interval", Label(4.0, 4.2, "branch"))
    assert not editor.undo_stack.canRedo()
    qtbot.keyClick(key, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.annotations.same_content(states[3])


def test_tab_goes_to_the_next_label_and_shift_tab_back(qtbot, window_on, labelled):
    audio, _txt = labelled
    window = window_on(audio)
    plot = window.waveform.plot_widget
    plot.setFocus()
    window.playback.seek(0.0)
    starts = []
    for _ in range(3):
        qtbot.keyClick(plot, Qt.Key.Key_Tab)
        starts.append(window.playback.cursor)
        assert plot.hasFocus()  # Tab was not taken by focus navigation
    assert starts == [0.5, 1.1, 2.0]
    assert window.annotations.editor.current[1].label == "speech"
    qtbot.keyClick(plot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.playback.cursor == 1.1
    assert window.annotations.panel.chosen()[1].label == "word"


def test_original_label_file_stays_byte_identical(qtbot, window_on, labelled):
    audio, txt = labelled
    before = txt.read_bytes()
    window = window_on(audio)
    editor = window.annotations.editor
    editor.add("interval", Label(3.0, 3.4, "new"))
    editor.rename("labels", Label(0.5, 0.9, "the"), "THE")
    assert window.annotations.save()
    sidecar = editor.store.sidecar
    assert sidecar.is_file() and sidecar != txt
    window.annotations.open_file(None)
    assert txt.read_bytes() == before
    assert "THE" in sidecar.read_text()


def test_a_drag_inside_a_label_selects_time_and_leaves_the_label(qtbot, window_on, labelled):
    """A drag inside a label's body selects time (the label stays where it is)."""
    audio, _txt = labelled
    window = window_on(audio)
    wave = window.waveform
    drag(qtbot, wave, view_point(wave, 2.2, 0.0), view_point(wave, 2.5, 0.0))
    assert _labels(window)[2] == Label(2.0, 2.7, "speech")
    a, b = window.session.selection
    assert abs(a - 2.2) < 0.02 and abs(b - 2.5) < 0.02


TEXTGRID = '''File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 13.9
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "words"
        xmin = 0
        xmax = 13.9
        intervals: size = 3
        intervals [1]:
            xmin = 0
            xmax = 0.7
            text = ""
        intervals [2]:
            xmin = 0.7
            xmax = 1.25
            text = "über"
        intervals [3]:
            xmin = 1.25
            xmax = 13.9
            text = ""
    item [2]:
        class = "TextTier"
        name = "events"
        xmin = 0
        xmax = 13.9
        points: size = 1
        points [1]:
            number = 2.5
            mark = "breath"
'''


def test_a_textgrid_beside_the_audio_loads_with_its_tiers(window_on, labelled):
    audio, txt = labelled
    txt.unlink()
    textgrid = audio.with_suffix(".TextGrid")
    textgrid.write_text(TEXTGRID, encoding="utf-8")
    window = window_on(audio)
    ann = window.annotations.editor.annotations
    assert [(t.name, t.kind) for t in ann.tiers] == [("words", "interval"), ("events", "point")]
    assert Label(0.7, 1.25, "über") in ann.tier("words").labels
    assert ann.tier("events").labels == [Label(2.5, None, "breath")]
    lines = [i for i in window.annotations.waveform_overlay.items if isinstance(i, LabelLine)]
    assert [line.value() for line in lines] == [2.5]
    # the tier chooser lists both; choosing one lists its labels
    panel = window.annotations.panel
    assert [panel.tier_box.itemData(i) for i in range(panel.tier_box.count())] == ["words",
                                                                                  "events"]
    panel.tier_box.setCurrentIndex(1)
    assert panel.model.rowCount() == 1 and panel.model.index(0, 2).data() == "breath"


def test_a_label_value_has_one_colour_in_every_view_and_file(window_on, labelled):
    from PySide6.QtCore import Qt as _Qt

    audio, _txt = labelled
    window = window_on(audio)
    link = window.annotations

    def region_colour(overlay, text):
        (region,) = [r for r in _regions(overlay) if r.label.label == text]
        return region.brush.color().rgb()

    wave = {t: region_colour(link.waveform_overlay, t) for t in ("the", "word", "speech")}
    spec = {t: region_colour(link.spectrogram_overlay, t) for t in ("the", "word", "speech")}
    assert wave == spec  # same hue (alpha differs: the spectrogram's is fainter)
    listed = {link.panel.model.index(r, 2).data(): link.panel.model.index(r, 2).data(
        _Qt.ItemDataRole.ForegroundRole).color().rgb() for r in range(3)}
    assert listed == wave
    # a new label with an existing value takes that value's colour
    link.editor.add("interval", Label(5.0, 5.5, "word"))
    words = [r for r in _regions(link.waveform_overlay) if r.label.label == "word"]
    assert len(words) == 2 and len({r.brush.color().rgb() for r in words}) == 1
    assert len(set(wave.values())) == 3  # these three values differ
