"""The time-frequency box (Ctrl+drag on the spectrogram), Measure and the Measurements table."""

from __future__ import annotations

import csv
import io

import librosa
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from explorer.model.analysis.selection import Selection, measure_selection
from explorer.ui.analysis import measurements as measurements_mod
from explorer.ui.spectrogram.axes import axis_coordinates


def spec_point(view, seconds: float, hz: float) -> QPoint:
    scene = view.viewbox.mapViewToScene(QPointF(seconds, float(axis_coordinates(hz, view.axis_mode))))
    return view.plot_widget.mapFromScene(scene)


def drag(qtbot, view, a: QPoint, b: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    viewport = view.plot_widget.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, pos=a)
    for i in range(1, 11):
        qtbot.mouseMove(viewport, QPoint(a.x() + (b.x() - a.x()) * i // 10,
                                         a.y() + (b.y() - a.y()) * i // 10))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, pos=b)


def test_ctrl_drag_draws_a_box_that_gives_the_selection(qtbot, window_on, robin_path):
    window = window_on(robin_path)
    view = window.spectrogram
    window.controls.axis_mode.setCurrentText("log")
    qtbot.wait(50)
    drag(qtbot, view, spec_point(view, 0.5, 2000), spec_point(view, 1.5, 6000),
         Qt.KeyboardModifier.ControlModifier)
    box = window.analysis.box
    assert box.box is not None
    t0, t1, low, high = box.box
    assert (t0, t1) == pytest.approx((0.5, 1.5), abs=0.02)
    assert low == pytest.approx(2000, rel=0.03) and high == pytest.approx(6000, rel=0.03)
    assert window.session.selection == pytest.approx((t0, t1))
    assert box.item.isVisible()
    rect = box.item.rect()
    assert rect.top() == pytest.approx(np.log2(low)) and rect.bottom() == pytest.approx(np.log2(high))
    # the box keeps its Hz when the axis changes
    window.controls.axis_mode.setCurrentText("Hz")
    qtbot.waitUntil(lambda: box.item.rect().top() == pytest.approx(low))
    # a plain drag still selects time only, and the box goes
    drag(qtbot, view, spec_point(view, 2.0, 3000), spec_point(view, 2.5, 3000))
    assert window.session.selection == pytest.approx((2.0, 2.5), abs=0.02)
    assert box.box is None and not box.item.isVisible()


def test_measure_adds_rows_with_the_models_numbers(qtbot, window_on, robin_path, tmp_path,
                                                   save_dialog):
    window = window_on(robin_path)
    link = window.analysis
    link.box.set_box(0.5, 1.5, 2000.0, 6000.0)
    link.measure_action.trigger()  # Ctrl+Shift+M
    table = link.table
    qtbot.waitUntil(lambda: len(table.rows) == 1, timeout=60_000)
    assert link.measurements_dock.isVisible()
    y, sr = librosa.load(robin_path, sr=None, mono=True)
    expected = measure_selection(y, sr, Selection(0.5, 1.5, 2000.0, 6000.0)).to_row()
    row = table.rows[0]
    assert row["file"] == robin_path.name
    for key, value in expected.items():
        assert row[key] == pytest.approx(value, nan_ok=True), key
    assert 2000 <= row["peak_freq_hz"] <= 6000
    # a time selection without a box: all frequencies
    window.session.set_selection((1.0, 2.0))
    assert link.box.box is None
    link.measure()
    qtbot.waitUntil(lambda: len(table.rows) == 2, timeout=60_000)
    expected2 = measure_selection(y, sr, Selection(1.0, 2.0)).to_row()
    assert table.rows[1]["center_freq_hz"] == pytest.approx(expected2["center_freq_hz"])
    assert table.table.rowCount() == 2
    heading = table.table.horizontalHeaderItem(1).text()
    assert heading == "Begin Time (s)"

    # copy: tab-separated with the headings, what a spreadsheet pastes
    table.table.setFocus()
    text = table.copy()
    assert QApplication.clipboard().text() == text
    lines = text.splitlines()
    assert lines[0].split("\t")[:3] == ["File", "Begin Time (s)", "End Time (s)"]
    assert len(lines) == 3 and lines[1].split("\t")[0] == robin_path.name
    # CSV export through the atomic writer: the numbers at full precision
    out = tmp_path / "m.csv"
    warnings = save_dialog(measurements_mod, out)
    table.export_button.click()
    assert warnings == []
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == table.titles()
    assert len(rows) == 3
    begin = rows[0].index("Begin Time (s)")
    assert float(rows[1][begin]) == expected["begin_s"]
    centre = rows[0].index("Center Freq (Hz)")
    assert float(rows[2][centre]) == expected2["center_freq_hz"]


def test_csv_export_failure_is_said_in_words(qtbot, window_on, robin_path, tmp_path, save_dialog):
    window = window_on(robin_path)
    link = window.analysis
    window.session.set_selection((0.2, 0.4))
    link.measure()
    qtbot.waitUntil(lambda: len(link.table.rows) == 1, timeout=60_000)
    warnings = save_dialog(measurements_mod, tmp_path / "no-such-folder" / "m.csv")
    link.table.export_button.click()
    assert len(warnings) == 1 and "no such folder" in warnings[0]
    assert "Traceback" not in warnings[0]


def test_measure_without_a_selection_says_what_to_do(qtbot, window_on, robin_path):
    window = window_on(robin_path)
    window.analysis.measure()
    assert "drag a time selection" in window.analysis.table.status.text()
    assert window.analysis.table.rows == []
