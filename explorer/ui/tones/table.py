"""The tone table: one row per tone (wave, Hz, end Hz, amplitude, seconds), edited in place.

The table owns the list of tones and its Add/Remove/Up/Down buttons, fits its columns to what
they show, and says `tonesChanged` after every edit, so the panel only has to redraw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from explorer.model.tones import ALL_WAVES, DEFAULT_AMPLITUDE, ToneSpec
from explorer.ui.common.flow_layout import flow_row
from explorer.ui.tones.describe import CHIRPS, MAX_DURATION, MAX_FREQUENCY, NOISES, WAVE_LABELS

COL_WAVE, COL_FREQ, COL_END, COL_AMP, COL_DUR = range(5)
#: Short headers so that the table fits a narrow dock; the tooltips say what they are.
COLUMNS = ("Wave", "Hz", "End Hz", "Amp.", "Sec.")
COLUMN_TIPS = (
    "Wave shape",
    "Frequency in Hz (a chirp's start)",
    "Frequency in Hz a chirp sweeps to (shown when a tone is a chirp)",
    "Peak amplitude (the notebook's 0.1)",
    "Duration in seconds",
)
TABLE_ROW_HEIGHT = 26
#: The table shows at least this many rows and grows with the tones up to the next number.
TABLE_MIN_ROWS = 2
TABLE_VISIBLE_ROWS = 5


class _CompactSpin(QDoubleSpinBox):
    """A table cell number without trailing zeros ('500', '0.1', '1'): narrow columns suffice."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt name)
        # in the spin box's locale, as Qt's own text is (a decimal comma reads back)
        locale = self.locale()
        text = locale.toString(float(value), "f", self.decimals())
        text = text.replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


class _RowFocus(QObject):
    """Selects a table row when one of its cell widgets takes the focus."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FocusIn:
            row = obj.property("toneRow")
            if row is not None and row != self._table.currentRow():
                self._table.selectRow(int(row))
        return False


def _tool_button(text: str, tip: str) -> QToolButton:
    """A compact text button (a push button is at least 80 px wide in Fusion)."""
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    return b


class ToneTable(QTableWidget):
    """The tones, top to bottom, each cell editable in place; `buttons` is its row of buttons."""

    #: The tones changed (edited, added, removed, moved or replaced).
    tonesChanged = Signal()

    def __init__(self, specs: Sequence[ToneSpec] = (), parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._specs: list[ToneSpec] = list(specs)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        # columns as wide as what they show (_fit_columns), the spare width shared out
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(16)
        self.viewport().installEventFilter(self)  # resized: share the spare width again
        for col, tip in enumerate(COLUMN_TIPS):
            self.horizontalHeaderItem(col).setToolTip(tip)
        self.verticalHeader().hide()  # clicking into a row selects it (_RowFocus)
        self.verticalHeader().setDefaultSectionSize(TABLE_ROW_HEIGHT)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._row_focus = _RowFocus(self)
        self.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.add_button = _tool_button("Add", "Add a tone (a copy of the selected one, "
                                              "an octave up)")
        self.remove_button = _tool_button("Remove", "Remove the selected tone")
        self.up_button = _tool_button("Up", "Move the selected tone up (earlier)")
        self.down_button = _tool_button("Down", "Move the selected tone down (later)")
        self.add_button.clicked.connect(lambda: self.add_tone())
        self.remove_button.clicked.connect(lambda: self.remove_tone())
        self.up_button.clicked.connect(lambda: self.move_tone(-1))
        self.down_button.clicked.connect(lambda: self.move_tone(+1))
        #: The buttons in a wrapping row, for the panel to place under the table.
        self.buttons = flow_row(self.add_button, self.remove_button, self.up_button,
                                self.down_button, spacing=4)
        self._rebuild()

    # ---------------------------------------------------------------- the tones
    def tones(self) -> list[ToneSpec]:
        """The tones, top to bottom."""
        return list(self._specs)

    def set_tones(self, specs: Sequence[ToneSpec]) -> None:
        self._specs = list(specs)
        self._rebuild()
        self.tonesChanged.emit()

    def add_tone(self, spec: ToneSpec | None = None) -> None:
        """Append `spec` (default: the selected tone an octave up, or 500 Hz sine, 1 s, 0.1)."""
        if spec is None:
            row = self.currentRow()
            if 0 <= row < len(self._specs):
                base = self._specs[row]
                spec = replace(base, frequency=min(base.frequency * 2, MAX_FREQUENCY))
            else:
                spec = ToneSpec(500.0, 1.0, DEFAULT_AMPLITUDE)
        self._specs.append(spec)
        self._rebuild()
        self.selectRow(len(self._specs) - 1)
        self._update_buttons()
        self.tonesChanged.emit()

    def remove_tone(self, row: int | None = None) -> None:
        row = self.currentRow() if row is None else row
        if not 0 <= row < len(self._specs):
            return
        del self._specs[row]
        self._rebuild()
        if self._specs:
            self.selectRow(min(row, len(self._specs) - 1))
        self._update_buttons()
        self.tonesChanged.emit()

    def move_tone(self, delta: int, row: int | None = None) -> None:
        """Move a tone (default: the selected one) up (-1) or down (+1)."""
        row = self.currentRow() if row is None else row
        target = row + delta
        if not (0 <= row < len(self._specs) and 0 <= target < len(self._specs)):
            return
        self._specs[row], self._specs[target] = self._specs[target], self._specs[row]
        self._rebuild()
        self.selectRow(target)
        self._update_buttons()
        self.tonesChanged.emit()

    def _on_cell_edited(self, row: int, field: str, value: float) -> None:
        if row >= len(self._specs):
            return
        self._specs[row] = replace(self._specs[row], **{field: float(value)})
        self._fit_table()  # a longer number may need a wider column
        self.tonesChanged.emit()

    def _on_wave_edited(self, row: int, index: int) -> None:
        if row >= len(self._specs):
            return
        wave = ALL_WAVES[index]
        spec = replace(self._specs[row], wave=wave)
        if wave in CHIRPS and spec.end_frequency is None:  # a new chirp sweeps an octave up
            spec = replace(spec, end_frequency=min(spec.frequency * 2, MAX_FREQUENCY))
        self._specs[row] = spec
        self._update_row_cells(row)
        self.tonesChanged.emit()

    # ---------------------------------------------------------------- cells
    def _spin(self, value: float, low: float, high: float, decimals: int, step: float,
              row: int, field: str) -> QDoubleSpinBox:
        spin = _CompactSpin()
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setKeyboardTracking(False)
        spin.setFrame(False)
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        spin.setValue(value)
        spin.valueChanged.connect(partial(self._on_cell_edited, row, field))
        return spin

    def _rebuild(self) -> None:
        current = self.currentRow()
        self.setRowCount(len(self._specs))
        for row, spec in enumerate(self._specs):
            wave = QComboBox()
            wave.setFrame(False)
            for key in ALL_WAVES:
                wave.addItem(WAVE_LABELS[key], key)
            wave.setCurrentIndex(ALL_WAVES.index(spec.wave))
            wave.currentIndexChanged.connect(partial(self._on_wave_edited, row))
            self._put_cell(row, COL_WAVE, wave)
            for col in (COL_FREQ, COL_END):
                self._clear_cell(row, col)  # rebuilt by _update_row_cells
            self._put_cell(row, COL_AMP, self._spin(spec.amplitude, 0.0, 10.0, 4, 0.05, row,
                                                    "amplitude"))
            self._put_cell(row, COL_DUR, self._spin(spec.duration, 0.0, MAX_DURATION, 3, 0.25,
                                                    row, "duration"))
            self._update_row_cells(row)
        if self._specs:
            self.selectRow(min(max(current, 0), len(self._specs) - 1))
        self._fit_table()
        self._update_buttons()

    def _put_cell(self, row: int, col: int, widget: QWidget) -> None:
        self._clear_cell(row, col)
        widget.setProperty("toneRow", row)
        widget.installEventFilter(self._row_focus)
        self.setCellWidget(row, col, widget)

    def _clear_cell(self, row: int, col: int) -> None:
        """Remove a cell's widget; hidden at once (Qt only deletes it later, and until then it
        would still be drawn over its replacement)."""
        old = self.cellWidget(row, col)
        if old is not None:
            old.hide()
            self.removeCellWidget(row, col)

    def _update_row_cells(self, row: int) -> None:
        """A row shows only the numbers its wave uses: noise has no frequency, only a chirp an end
        frequency. The others are blank (not a greyed, stale number)."""
        spec = self._specs[row]
        end = spec.end_frequency if spec.end_frequency is not None else spec.frequency * 2
        cells = ((COL_FREQ, "frequency", spec.frequency, spec.wave not in NOISES,
                  "Noise has no frequency"),
                 (COL_END, "end_frequency", min(end, MAX_FREQUENCY), spec.wave in CHIRPS,
                  "Only chirps have an end frequency"))
        for col, field, value, used, why in cells:
            has_spin = self.cellWidget(row, col) is not None
            if used and not has_spin:
                self.takeItem(row, col)
                self._put_cell(row, col, self._spin(value, 0.0, MAX_FREQUENCY, 2, 100.0, row,
                                                    field))
            elif not used:
                self._clear_cell(row, col)
                blank = QTableWidgetItem("")
                blank.setFlags(Qt.ItemFlag.NoItemFlags)
                blank.setToolTip(why)
                self.setItem(row, col, blank)
        self._fit_table()

    # ---------------------------------------------------------------- fit
    def _fit_table(self) -> None:
        """Show the End column only when a tone is a chirp; keep the table as wide as its
        columns' contents and as tall as its rows (up to `TABLE_VISIBLE_ROWS`, then it scrolls)."""
        chirps = any(s.wave in CHIRPS for s in self._specs)
        self.setColumnHidden(COL_END, not chirps)
        frame = 2 * self.frameWidth()
        extra = frame
        if len(self._specs) > TABLE_VISIBLE_ROWS:
            extra += self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(sum(self._column_needs().values()) + extra)
        rows = min(max(len(self._specs), TABLE_MIN_ROWS), TABLE_VISIBLE_ROWS)
        height = (self.horizontalHeader().sizeHint().height() + rows * TABLE_ROW_HEIGHT
                  + frame)
        self.setFixedHeight(height)
        self._fit_columns()

    def _column_needs(self) -> dict[int, int]:
        """Width each shown column needs: its header, its widest cell (as displayed), and
        room for five digits at least."""
        fm = self.fontMetrics()
        bold = self.horizontalHeader().fontMetrics()
        needs = {}
        for col in range(len(COLUMNS)):
            if self.isColumnHidden(col):
                continue
            need = bold.horizontalAdvance(COLUMNS[col]) + 16
            if col != COL_WAVE:
                need = max(need, fm.horizontalAdvance("00000") + 10)
            for row in range(self.rowCount()):
                cell = self.cellWidget(row, col)
                if isinstance(cell, QComboBox):
                    need = max(need, cell.sizeHint().width() + 1)
                elif isinstance(cell, QAbstractSpinBox):
                    need = max(need, fm.horizontalAdvance(cell.text()) + 10)
            needs[col] = need
        return needs

    def _fit_columns(self) -> None:
        """Each column its need, the spare width shared by the number columns."""
        needs = self._column_needs()
        numbers = [c for c in needs if c != COL_WAVE]
        spare = max(0, self.viewport().width() - sum(needs.values()))
        header = self.horizontalHeader()
        for col in needs:
            share = 0
            if col in numbers:
                k = numbers.index(col)
                share = spare // len(numbers) + (1 if k < spare % len(numbers) else 0)
            header.resizeSection(col, needs[col] + share)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if obj is self.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(obj, event)

    def _update_buttons(self) -> None:
        row = self.currentRow()
        n = len(self._specs)
        self.remove_button.setEnabled(n > 0 and row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < n - 1)
