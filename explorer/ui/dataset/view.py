"""The Dataset view: the filters and the scan's progress on top, the summary line, the table of
measurements and the histograms. It owns the folder's scan and shows its rows as they arrive."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.dataset.histograms import Histograms
from explorer.ui.dataset.rows import COLUMNS, DEFAULT_HIDDEN, summary_text
from explorer.ui.dataset.scan import DatasetScan
from explorer.ui.dataset.table import DatasetTableModel

#: The flag filter's choices: (flag, what the menu says).
FLAG_CHOICES = (("", "All files"), ("clipped", "Clipped"), ("silent", "Silent"),
                ("mostly_silent", "Mostly silent"), ("dc_offset", "DC offset"),
                ("rate_differs", "Other sample rate"), ("channels_differ", "Other channel count"),
                ("duration_outlier", "Duration outliers"), ("duplicate", "Duplicates"),
                ("near_duplicate", "Near-duplicates"),
                ("upsampled", "Upsampled"), ("unreadable", "Unreadable"),
                ("header_lies", "Header lies"), ("nan_values", "NaN values"))
#: How often the GUI takes the scan's results (ms), and redraws histograms and summary (s).
DRAIN_MS = 100
FINISH_MS = 15  # the ticks that draw a finished scan's histograms, one each
REDRAW_EVERY = 1.0


class DatasetView(QWidget):
    """`fileActivated(path)` when the user picks a row; `measured(paths)` when rows fill in."""

    fileActivated = Signal(object)
    measured = Signal(list)
    scanFinished = Signal(object)  # the ScanReport (None when the scan failed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DatasetTableModel(self)
        self.scan: DatasetScan | None = None
        self.jobs: int | None = None
        self.cache = True  # unchanged files come from the scan cache (tests and benches: False)
        self._redraw_at = 0.0
        self._stale = False  # rows arrived since the histograms were drawn
        self._to_draw: list[str] = []  # histograms (and "summary") still to redraw, one per drain
        self._scan_over = True
        self._finishing: tuple | None = None  # (report,): drawn, then `scanFinished`
        self._started = 0.0

        self.flag_box = QComboBox()
        for flag, text in FLAG_CHOICES:
            self.flag_box.addItem(text, flag)
        self.flag_box.setToolTip("Show only the files with this flag")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter by name, transcript, flag…")
        self.text_filter.setClearButtonEnabled(True)
        self.progress_label = QLabel("")
        self.progress_label.setStyleSheet("color: #9a9a9a;")
        self.scan_button = QPushButton("Cancel scan")
        self.scan_button.hide()
        self.clear_ranges = QPushButton("Clear ranges")
        self.clear_ranges.setToolTip("Show the files of every histogram range again")
        self.clear_ranges.hide()
        top = self.top_bar = QHBoxLayout()  # the label filter joins it (ui/dataset/labels.py)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.flag_box)
        top.addWidget(self.text_filter, 1)
        top.addWidget(self.clear_ranges)
        top.addWidget(self.progress_label)
        top.addWidget(self.scan_button)
        self.top = top  # other views add their buttons (the map's)

        self.summary = QLabel("No folder scanned.")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)

        self.table = QTableView()
        self.table.setModel(self.model)
        # listing order (natural, as the file list) until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setToolTip("Click to sort; right-click to hide or show columns")
        header.setDefaultSectionSize(72)
        for column, name in enumerate(COLUMNS):
            self.table.setColumnHidden(column, name in DEFAULT_HIDDEN)
        header.resizeSection(COLUMNS.index("path"), 180)
        header.resizeSection(COLUMNS.index("sample_rate"), 92)
        header.resizeSection(COLUMNS.index("loudness_lufs"), 100)
        header.resizeSection(COLUMNS.index("silence_fraction"), 112)
        header.resizeSection(COLUMNS.index("transcript"), 180)
        header.resizeSection(COLUMNS.index("flags"), 160)

        self.histograms = Histograms()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.histograms)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([840, 420])
        split.setChildrenCollapsible(False)
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(DRAIN_MS)
        self.timer.timeout.connect(self.drain)
        self.flag_box.currentIndexChanged.connect(
            lambda _i: self.model.set_filters(flag=self.flag_box.currentData()))
        self.text_filter.textChanged.connect(lambda text: self.model.set_filters(text=text))
        self.histograms.rangesChanged.connect(self._ranges_changed)
        self.clear_ranges.clicked.connect(self.histograms.reset)
        self.scan_button.clicked.connect(self._scan_button)
        self.model.shownChanged.connect(self._update_summary)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._restore_current)
        self._current: Path | None = None
        self._quiet = False

    # ---- folder and scan --------------------------------------------------------------------
    def set_folder(self, paths: list[Path], root: Path | None, scan: bool = True) -> None:
        """List `paths` at once (unmeasured) and start measuring them in the background."""
        self.cancel(wait=False)
        self.scan, self._scan_over = None, True  # the old folder's scan ends unheard
        self._finishing = None
        self.timer.stop()
        self.timer.setInterval(DRAIN_MS)
        self.scan_button.hide()
        self.progress_label.setText("")
        self.model.set_paths(paths, root)
        self.histograms.update_rows([])
        self._update_summary()
        if scan and paths:
            self.start_scan()

    def start_scan(self) -> None:
        self.cancel(wait=False)
        model = self.model
        todo = [p for i, p in enumerate(model.paths) if model.rows[i] is None]
        if not todo:
            return
        self.scan = DatasetScan(todo, model.root, self.jobs, self.cache, self)
        self.scan.failed.connect(lambda reason: self.progress_label.setText(f"Scan failed: {reason}"))
        self.scan.finished.connect(self._scan_finished)
        self._started = time.perf_counter()
        self._scan_over, self._finishing = False, None
        self.timer.setInterval(DRAIN_MS)
        self.scan_button.setText("Cancel scan")
        self.scan_button.show()
        self.progress_label.setText(f"measuring 0 of {len(todo)}…")
        self.scan.start()
        self.timer.start()

    def cancel(self, wait: bool = True) -> None:
        """Stop the running scan (what it measured stays); `wait`: until its thread ended."""
        scan = self.scan
        if scan is None:
            return
        if wait:
            scan.stop()
            self.drain()
        else:
            scan.cancel()

    def settled(self) -> bool:
        """No scan running and the last one's histograms and summary drawn."""
        return not self.scanning() and self._finishing is None

    def scanning(self) -> bool:
        """A scan is on until its end reached the GUI (its thread may outlive the signal a
        moment: the button must not cancel a finished scan instead of starting one)."""
        return self.scan is not None and not self._scan_over

    def _scan_button(self) -> None:
        if self.scanning():
            self.cancel(wait=False)
            self.progress_label.setText("cancelling…")
        else:
            self.start_scan()

    def _scan_finished(self, report) -> None:
        scan = self.sender()
        if scan is not self.scan:
            return  # an older folder's scan
        self._scan_over = True
        self.drain()
        done = sum(r is not None for r in self.model.rows)
        total = len(self.model.rows)
        seconds = time.perf_counter() - self._started
        if report is not None and report.cancelled:
            self.progress_label.setText(f"cancelled: {done} of {total} measured")
            self.scan_button.setText("Scan again")
        elif report is not None:
            self.progress_label.setText(f"{done} files measured in {seconds:.1f} s")
            self.scan_button.hide()
        else:
            self.scan_button.setText("Scan again")
        # the last drawing of every histogram and the summary, one per quick tick (all at once
        # held the GUI thread ~50 ms at 10,000 rows); `scanFinished` when they are drawn
        self._finishing = (report,)
        self._to_draw, self._stale, self._redraw_at = [], True, 0.0
        self.timer.setInterval(FINISH_MS)

    def _finish(self) -> None:
        (report,) = self._finishing
        self._finishing = None
        self.timer.stop()
        self.timer.setInterval(DRAIN_MS)
        self.scanFinished.emit(report)

    def drain(self) -> None:
        """Take the scan's results that arrived (GUI thread, every DRAIN_MS)."""
        scan = self.scan
        if scan is None:
            return
        filled: list[Path] = []
        batch: list = []  # one model update per drain, however many rows arrived
        for kind, value in scan.take():
            if kind == "rows":
                batch += value
            elif kind == "flags":  # every row so far again: it replaces the batch
                batch = list(value)
            elif kind == "transcripts":
                self.model.set_transcripts(value)
                filled += list(self.model.transcripts)
        if batch:
            filled += self.model.add(batch)
            self._stale = True
        if filled:
            self.measured.emit(filled)
        if not self._scan_over and not scan.cancelled:
            self.progress_label.setText(f"measuring {scan.done} of {len(scan.paths)}…")
        self._redraw()
        if self._finishing is not None and not self._to_draw and not self._stale:
            self._finish()

    def _redraw(self, force: bool = False) -> None:
        """Histograms and summary of the rows so far: at most every REDRAW_EVERY while the scan
        runs, one of them per drain (ten histograms' worth of 10,000 rows at once stalled the
        GUI ~70 ms); `force`: all of them now."""
        if force:
            self._to_draw = []
            self._stale = False
            self.histograms.update_rows(self.model.rows)
            self._update_summary()
            return
        now = time.perf_counter()
        if not self._to_draw and self._stale and now >= self._redraw_at:
            self._stale = False
            self._to_draw = [*self.histograms.plots, "summary"]
            self._redraw_at = now + REDRAW_EVERY
        if self._to_draw:
            what = self._to_draw.pop(0)
            if what == "summary":
                self._update_summary()
            else:
                self.histograms.update_column(what, self.model.rows)

    def _update_summary(self) -> None:
        m = self.model
        if not m.paths:
            self.summary.setText("No audio files listed.")
            return
        self.summary.setText(summary_text(m.rows, len(m.paths), len(m.visible)))

    # ---- filters, columns, current row ------------------------------------------------------
    def _ranges_changed(self, ranges: dict) -> None:
        self.clear_ranges.setVisible(bool(ranges))
        self.model.set_filters(ranges=ranges)

    def _header_menu(self, pos) -> None:
        self.column_menu().exec(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """A checkable entry per column: unchecking hides it (the path always stays)."""
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(name != "path")
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        return menu

    def hidden_columns(self) -> list[str]:
        return [n for c, n in enumerate(COLUMNS) if self.table.isColumnHidden(c)]

    def set_hidden_columns(self, names) -> None:
        """Hide the columns named (as the user left them; unknown names and the path ignored)."""
        hide = {str(n) for n in names}
        for column, name in enumerate(COLUMNS):
            self.table.setColumnHidden(column, name in hide and name != "path")

    def _row_changed(self, current, _previous) -> None:
        if current.isValid() and not self._quiet:
            path = self.model.path_at(current.row())
            self._current = path
            self.fileActivated.emit(path)

    def show_current(self, path: Path | None) -> None:
        """Select `path`'s row (the file the window opened) without opening it again."""
        self._current = path
        row = self.model.shown_row_of(path) if path is not None else -1
        self._quiet = True
        try:
            if row < 0:
                self.table.selectionModel().clearCurrentIndex()
                self.table.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
        finally:
            self._quiet = False

    def _restore_current(self) -> None:
        if self._current is not None:
            self.show_current(self._current)

    def shutdown(self) -> None:
        self.timer.stop()
        self.cancel(wait=True)
