"""The Measurements table: one row per Measure (Raven's measurements of the selection or the
time-frequency box, from the model), copied tab-separated (Ctrl+C) or exported as CSV through
the atomic writer (a failure says why in words)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.model import atomic


def headings() -> dict[str, str]:
    """Column key -> heading (Raven's words, as the model names them)."""
    from explorer.model.analysis import selection

    return {"file": "File", **getattr(selection, "HEADINGS", {})}


def cell_text(value) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return str(value)


def csv_text(keys: list[str], titles: list[str], rows: list[dict]) -> str:
    """The CSV the export writes: a heading row, then full-precision values (NaN left empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(titles)
    for row in rows:
        writer.writerow(["" if isinstance(row[k], float) and math.isnan(row[k]) else
                         (repr(row[k]) if isinstance(row[k], float) else row[k]) for k in keys])
    return out.getvalue()


class MeasurementsTable(QWidget):
    """The rows measured so far (this session); Measure is the window's action (Ctrl+Shift+M)."""

    measureRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self.keys: list[str] = []
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.copy_shortcut = QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy)
        self.copy_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_shortcut.setWhatsThis("Measurements: copy the rows (tab-separated)")
        self.measure_button = QPushButton("Measure (Ctrl+Shift+M)")
        self.measure_button.setToolTip("Measure the selection, or the time-frequency box "
                                       "(Ctrl+drag on the spectrogram)")
        self.measure_button.clicked.connect(self.measureRequested.emit)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("The selected rows (all when none is selected), "
                                    "tab-separated, for a spreadsheet (Ctrl+C)")
        self.copy_button.clicked.connect(self.copy)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self.ask_export)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        self.status = QLabel("Select a time span (drag) or draw a box (Ctrl+drag on the "
                             "spectrogram), then Measure.")
        self.status.setStyleSheet("color: #9a9a9a;")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.measure_button, self.copy_button, self.export_button,
                       self.clear_button):
            buttons.addWidget(button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_enabled()

    def add_row(self, file_name: str, measured: dict[str, float]) -> None:
        row = {"file": file_name, **measured}
        if not self.keys:
            names = headings()
            self.keys = list(row)
            self.table.setColumnCount(len(self.keys))
            self.table.setHorizontalHeaderLabels([names.get(k, k) for k in self.keys])
        self.rows.append(row)
        i = self.table.rowCount()
        self.table.insertRow(i)
        for j, key in enumerate(self.keys):
            item = QTableWidgetItem(cell_text(row.get(key, "")))
            if j:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.scrollToBottom()
        self._update_enabled()

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def titles(self) -> list[str]:
        names = headings()
        return [names.get(k, k) for k in self.keys]

    def selected_rows(self) -> list[dict]:
        chosen = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[i] for i in chosen] if chosen else list(self.rows)

    def tsv(self, rows: list[dict] | None = None) -> str:
        rows = self.selected_rows() if rows is None else rows
        lines = ["\t".join(self.titles())]
        lines += ["\t".join(cell_text(r[k]) for k in self.keys) for r in rows]
        return "\n".join(lines) + "\n"

    def copy(self) -> str:
        text = self.tsv() if self.rows else ""
        if text:
            QApplication.clipboard().setText(text)
        return text

    def export(self, path: str | Path) -> Path:
        """All rows as CSV, written atomically (raises WriteError with the reason in words)."""
        return atomic.write_text(path, csv_text(self.keys, self.titles(), self.rows))

    def ask_export(self) -> None:
        start = str(Path.home() / "measurements.csv")
        path, _ = QFileDialog.getSaveFileName(self, "Export the measurements", start,
                                              "CSV table (*.csv)")
        if not path:
            return
        if Path(path).suffix.lower() != ".csv":
            path += ".csv"
        try:
            out = self.export(path)
        except OSError as exc:  # the atomic writer says why in words
            QMessageBox.warning(self, "Export the measurements", str(exc))
            return
        self.set_status(f"Exported {len(self.rows)} rows to {out}")

    def clear(self) -> None:
        self.rows.clear()
        self.table.setRowCount(0)
        self._update_enabled()

    def _update_enabled(self) -> None:
        for button in (self.copy_button, self.export_button, self.clear_button):
            button.setEnabled(bool(self.rows))
