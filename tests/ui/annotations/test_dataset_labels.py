"""The Dataset view's labels: a count per file, a filter by label value, and the summary chart,
equal to a pandas groupby of `labels export`'s table; an edit in the window updates them."""

from __future__ import annotations

import io
import shutil

import pytest
from PySide6.QtCore import Qt

from explorer.model.annotations.dataset import dataset_annotations, export_table
from explorer.model.annotations.tiers import Label
from tests.ui.annotations.conftest import AUDACITY, SPEECH
from tests.ui.conftest import wait_loaded

pd = pytest.importorskip("pandas")


@pytest.fixture
def labelled_folder(tmp_path, samples_dir):
    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("a.wav", "b.wav", "c.wav"):
        shutil.copyfile(samples_dir / SPEECH, folder / name)
    (folder / "a.txt").write_text(AUDACITY)
    (folder / "b.txt").write_text("0.1\t0.4\tword\n3.0\t3.25\tword\n")
    (folder / "c.txt").write_text("this is a transcript, not labels\n")
    return folder


def _counts(view):
    model = view.model
    return {p.name: model.value(i, "labels") for i, p in enumerate(model.paths)}


def test_label_column_filter_and_summary(qtbot, make_window, labelled_folder):
    window = make_window()
    window.open_paths([str(labelled_folder)])
    view = window.dataset.view
    chart = window.annotations.dataset_labels.chart
    qtbot.waitUntil(lambda: _counts(view) == {"a.wav": 3, "b.wav": 2, "c.wav": 0}, timeout=20000)
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(view.model.columnCount())]
    assert "labels" in headers

    # the chart is the groupby of the exported table
    table = pd.read_csv(io.BytesIO(export_table(
        (name, ann) for name, ann, _ in dataset_annotations(labelled_folder))),
        keep_default_na=False)
    table["duration"] = table["end"].astype(float) - table["start"].astype(float)
    grouped = table.groupby("label").agg(count=("label", "size"), total=("duration", "sum"))
    qtbot.waitUntil(lambda: len(chart.summary) == len(grouped))
    for c in chart.summary:
        assert c.count == grouped.loc[c.label, "count"]
        assert c.total_duration == pytest.approx(grouped.loc[c.label, "total"], abs=1e-9)
    assert [c.label for c in chart.summary][0] == "word"  # most frequent first
    assert len(chart.texts) == 3 and chart.texts[0].toPlainText().startswith("3, ")

    # the filter by label value
    box = window.annotations.dataset_labels.filter_box
    box.setCurrentIndex(box.findData("speech"))
    assert [view.model.path_at(r).name for r in range(view.model.rowCount())] == ["a.wav"]
    box.setCurrentIndex(box.findData("word"))
    assert sorted(view.model.path_at(r).name for r in range(view.model.rowCount())) == [
        "a.wav", "b.wav"]
    box.setCurrentIndex(0)
    assert view.model.rowCount() == 3

    # a label made in the window counts at once
    c = labelled_folder / "c.wav"
    window.browser.select(c)
    wait_loaded(qtbot, window, c)
    qtbot.waitUntil(lambda: window.annotations.path == c)
    window.annotations.editor.add("interval", Label(1.0, 2.0, "word"))
    qtbot.waitUntil(lambda: _counts(view)["c.wav"] == 1)
    qtbot.waitUntil(lambda: chart.summary[0].count == 4)
