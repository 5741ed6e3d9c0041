"""The compared clips' measurements side by side: one column per clip, one row per measure, the
dataset scan's own numbers (`FileMeasurement`), so they match the Dataset table's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from explorer.model.measure import FileMeasurement


def _num(fmt: str, unit: str = "") -> Callable[[object], str]:
    def show(value) -> str:
        if value is None:
            return "—"
        if value == float("-inf"):
            return f"-inf{unit}"
        return f"{value:{fmt}}{unit}"

    return show


#: (row title, field, how it is shown)
ROWS: tuple[tuple[str, str, Callable[[object], str]], ...] = (
    ("rate (Hz)", "sample_rate", _num("d")),
    ("channels", "channels", _num("d")),
    ("duration (s)", "duration", _num(".3f")),
    ("peak (dBFS)", "peak_dbfs", _num(".2f")),
    ("RMS (dBFS)", "rms_dbfs", _num(".2f")),
    ("loudness (LUFS)", "loudness_lufs", _num(".2f")),
    ("DC offset", "dc_offset", _num("+.5f")),
    ("clipped", "clipped_fraction", _num(".3%")),
    ("silence", "silence_fraction", _num(".1%")),
    ("bandwidth (Hz)", "bandwidth_hz", _num(".0f")),
    ("flags", "flags", lambda v: v.replace(";", ", ") if v else "none"),
)


def stat_text(row: FileMeasurement, field: str) -> str:
    """One measure of one clip as the table shows it."""
    for _title, name, show in ROWS:
        if name == field:
            return show(getattr(row, name))
    raise KeyError(field)


class StatsTable(QTableWidget):
    """Rows: the measures; columns: A, B, C, D."""

    def __init__(self, parent=None) -> None:
        super().__init__(len(ROWS), 0, parent)
        self.rows: list[FileMeasurement] = []
        self.setVerticalHeaderLabels([title for title, _, _ in ROWS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(20)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setToolTip("The dataset scan's measurements of each clip as loaded (gain not "
                        "applied); loudness is BS.1770 integrated (none under 0.4 s)")

    def set_letters(self, letters: list[str]) -> None:
        self.rows = []
        self.setColumnCount(len(letters))
        self.setHorizontalHeaderLabels(letters)
        for r in range(len(ROWS)):
            for c in range(len(letters)):
                self.setItem(r, c, QTableWidgetItem("…"))

    def set_measurements(self, rows: list[FileMeasurement]) -> None:
        self.rows = list(rows)
        self.setColumnCount(len(rows))
        for c, row in enumerate(rows):
            for r, (_title, name, show) in enumerate(ROWS):
                item = QTableWidgetItem(show(getattr(row, name)))
                item.setToolTip(item.text())
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def text(self, field: str, column: int) -> str:
        index = [name for _, name, _ in ROWS].index(field)
        item = self.item(index, column)
        return item.text() if item is not None else ""
