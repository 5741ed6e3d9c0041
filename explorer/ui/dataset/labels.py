"""The dataset's labels in the Dataset view: each file's labels read in the background (its
sidecar, else the label files beside it), a label-count column, a filter by label value, and the
summary of label values (count and total duration each) as a bar chart beside the histograms."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from explorer.model.annotations.dataset import annotations_of, label_summary
from explorer.model.annotations.formats import SUFFIXES
from explorer.model.annotations.store import SIDECAR_SUFFIX, folder_writable
from explorer.model.annotations.tiers import Annotations

#: Bars shown (the most frequent values); the filter lists every value.
MAX_BARS = 12
BATCH = 200  # files read per result handed to the GUI
NO_VALUES: frozenset[str] = frozenset()


def may_have_labels(paths: list[Path]) -> list[Path]:
    """The files that have a sidecar or a label-looking file beside them (each folder listed
    once: asking every file's folder again costs O(n²) in a folder of 10,000). Files of a
    read-only folder are kept: their sidecar lives elsewhere."""
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for path in paths:
        by_folder[path.parent].append(path)
    out: list[Path] = []
    endings = tuple(s.lower() for s in SUFFIXES)
    for folder, files in by_folder.items():
        if not folder_writable(folder):
            out += files
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        stems: set[str] = set()
        for name in names:
            low = name.lower()
            if low.endswith(SIDECAR_SUFFIX):
                stems.add(name[: -len(SIDECAR_SUFFIX)])  # the audio's full name
            elif low.endswith(endings):
                stems.add(name.split(".", 1)[0])
        out += [p for p in files if p.name in stems or p.name.split(".", 1)[0] in stems]
    return out


class LabelReader(QObject):
    """Reads the annotations of many files on a thread; `read(generation, {path: ann})` per
    batch, `done(generation)` at the end. A newer `start` makes an older read stop."""

    read = Signal(int, object)
    done = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._thread: threading.Thread | None = None

    def start(self, paths: list[Path]) -> int:
        self.generation += 1
        generation = self.generation
        self._thread = threading.Thread(target=self._run, args=(generation, list(paths)),
                                        daemon=True, name="dataset-labels")
        # started after what the listing sets up on the GUI thread: it would take the GIL
        QTimer.singleShot(0, self, self._thread.start)
        return generation

    def stop(self) -> None:
        self.generation += 1

    def wait(self, timeout: float = 5.0) -> None:
        if self._thread is not None and self._thread.ident is not None:  # started
            self._thread.join(timeout)

    def _run(self, generation: int, paths: list[Path]) -> None:
        found = set(may_have_labels(paths))
        batch: dict[Path, Annotations | None] = {}
        for path in paths:
            if generation != self.generation:
                return
            # None: no label file beside it (10,000 empty Annotations made here cost the GUI
            # thread the GIL for ~100 ms; the view counts it as 0 labels)
            batch[path] = annotations_of(path)[0] if path in found else None
            if len(batch) >= BATCH:
                self.read.emit(generation, batch)
                batch = {}
        if generation == self.generation:
            if batch:
                self.read.emit(generation, batch)
            self.done.emit(generation)


class LabelSummaryChart(pg.PlotWidget):
    """Horizontal bars: how many labels carry each value (the most frequent first), each bar's
    text giving the count and the total duration."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("#1e1e1e")
        self.setTitle("Label values (count, total s)", size="8pt")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.getPlotItem().getAxis("left").setWidth(70)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7, brush="#ffb74d", pen=None)
        self.addItem(self.bars)
        self.texts: list[pg.TextItem] = []
        self.summary: list = []
        self.setMinimumSize(120, 110)
        self.setToolTip("Labels of the folder's files by value: count and total duration "
                        "(the Label filter shows the files having one)")

    def set_summary(self, summary: list) -> None:
        """`summary`: LabelCount items (label, count, total_duration), most frequent first."""
        self.summary = list(summary)
        shown = self.summary[:MAX_BARS]
        for text in self.texts:
            self.removeItem(text)
        self.texts = []
        ys = np.arange(len(shown))[::-1].astype(float)  # the most frequent on top
        counts = np.array([c.count for c in shown], dtype=float)
        self.bars.setOpts(x0=np.zeros(len(shown)), y=ys, width=counts, height=0.7)
        axis = self.getPlotItem().getAxis("left")
        axis.setTicks([[(float(y), (c.label or "(empty)")[:14]) for y, c in zip(ys, shown,
                                                                                strict=True)]])
        for y, c in zip(ys, shown, strict=True):
            text = pg.TextItem(f"{c.count}, {c.total_duration:.1f} s", color="#dddddd",
                               anchor=(0, 0.5))
            text.setPos(c.count, y)
            self.addItem(text)
            self.texts.append(text)
        top = float(counts.max()) if len(counts) else 1.0
        self.setXRange(0, top * 1.6, padding=0)
        self.setYRange(-0.6, max(0.6, len(shown) - 0.4), padding=0)


class DatasetLabels(QObject):
    """Adds the labels to a DatasetView: reads them when a folder is listed, keeps the current
    file's up to date (`set_file`), fills the column, the Label filter and the chart."""

    def __init__(self, view, parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self.view = view
        self.annotations: dict[Path, Annotations] = {}  # the files that have labels (or had)
        self._pending: set[Path] = set()  # read or edited since the last refresh
        self._paths: list[Path] | None = None
        self.reader = LabelReader(self)
        self.reader.read.connect(self._read)
        self.reader.done.connect(lambda _g: self._refresh())
        self.filter_box = QComboBox()
        self.filter_box.setToolTip("Show only the files having a label of this value")
        self.filter_box.addItem("Any label", None)
        self.filter_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        view.top_bar.insertWidget(2, QLabel("Label:"))
        view.top_bar.insertWidget(3, self.filter_box)
        self.chart = LabelSummaryChart()
        view.histograms.layout().addWidget(self.chart, 1, 2)  # the grid's free sixth place
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self._refresh)
        self.filter_box.currentIndexChanged.connect(self._filter_changed)
        view.model.modelReset.connect(self._maybe_new_folder)

    def _maybe_new_folder(self) -> None:
        paths = self.view.model.paths
        if paths is self._paths:
            return  # refiltered, not a new folder
        self._paths = paths
        self.annotations = {}
        self._pending = set()
        if paths:
            self.reader.start(paths)  # the column and chart fill in as the reader's batches come
        else:
            self.reader.stop()
            self._refresh()

    def _read(self, generation: int, batch: dict) -> None:
        if generation != self.reader.generation:
            return
        self.annotations.update({p: a for p, a in batch.items() if a is not None})
        self._pending.update(batch)
        self._timer.start()

    def set_file(self, path: Path, annotations: Annotations) -> None:
        """The labels of one file changed (edited in the window)."""
        if self.view.model.row_of(path) >= 0:
            self.annotations[path] = annotations.copy()
            self._pending.add(path)
            self._timer.start()

    def _refresh(self) -> None:
        """Column, chart and filter from the labels read so far; only what changed is redrawn
        (this runs on the GUI thread after every batch and every edit)."""
        model = self.view.model
        pending, self._pending = self._pending, set()
        changed: dict[Path, int] = {}
        changed_values: dict[Path, frozenset[str]] = {}
        for p in pending:  # what was read or edited since the last refresh, not every file
            a = self.annotations.get(p)
            count = len(a) if a is not None else 0
            values = frozenset(lab.label for _, lab in a.labels()) if count else NO_VALUES
            if model.label_counts.get(p) != count:
                changed[p] = count
            if model.label_values.get(p) != values:
                changed_values[p] = values
        if changed or changed_values:
            model.set_labels(changed, changed_values)
        summary = label_summary(self.annotations.values())
        if summary == self.chart.summary and self.filter_box.count() == len(summary) + 1:
            return
        self.chart.set_summary(summary)
        chosen = self.filter_box.currentData()
        self.filter_box.blockSignals(True)
        self.filter_box.clear()
        self.filter_box.addItem("Any label", None)
        for c in summary:
            self.filter_box.addItem(f"{c.label or '(empty)'} ({c.count})", c.label)
        index = self.filter_box.findData(chosen) if chosen is not None else 0
        self.filter_box.setCurrentIndex(max(0, index))
        self.filter_box.blockSignals(False)
        if chosen is not None and index < 0:
            self._filter_changed()  # the value is gone: every file again

    def _filter_changed(self, _index: int = 0) -> None:
        self.view.model.set_filters(label=self.filter_box.currentData())

    def shutdown(self) -> None:
        self.reader.stop()
        self.reader.wait()
