"""The Labels dock: a tier chooser and the tier's labels as a table (start, end, label; a box's
band too). Choosing a row goes to the label, Return or Play plays it, a double-click on the text
renames it inline; the bar on top offers to reload labels another program changed."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.model.annotations.tiers import Annotations, Label, Tier
from explorer.ui.annotations.colours import label_colour

_ROOT = QModelIndex()
COLUMNS = ("start", "end", "label")
BOX_COLUMNS = ("start", "end", "low Hz", "high Hz", "label")


def seconds_text(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


class LabelTableModel(QAbstractTableModel):
    """One tier's labels; the label column is editable (`renamed(label, text)` asks the editor:
    the table never changes labels itself)."""

    renamed = Signal(object, str)  # Label, new text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tier: Tier | None = None
        self.labels: list[Label] = []

    @property
    def columns(self) -> tuple[str, ...]:
        return BOX_COLUMNS if self.tier is not None and self.tier.kind == "box" else COLUMNS

    def set_tier(self, tier: Tier | None) -> None:
        self.beginResetModel()
        self.tier = tier
        self.labels = list(tier.labels) if tier is not None else []
        self.endResetModel()

    def row_of(self, label: Label) -> int:
        try:
            return self.labels.index(label)
        except ValueError:
            return -1

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()] == "label":
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        label = self.labels[index.row()]
        name = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = {"start": label.start, "end": label.end, "low Hz": label.low_hz,
                     "high Hz": label.high_hz}.get(name)
            if name == "label":
                return label.label
            if name in ("low Hz", "high Hz"):
                return "" if value is None else f"{value:.0f}"
            return seconds_text(value)
        if role == Qt.ItemDataRole.ForegroundRole and name == "label":
            return QBrush(label_colour(label.label))
        if role == Qt.ItemDataRole.TextAlignmentRole and name != "label":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or self.columns[index.column()] != "label":
            return False
        label = self.labels[index.row()]
        if str(value) != label.label:
            self.renamed.emit(label, str(value))
        return True


class LabelTable(QTableView):
    """Return plays the current row's label (the window's Tab goes to the next label, so the
    table does not take Tab for moving between cells)."""

    playRequested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.state() != QAbstractItemView.State.EditingState:
            self.playRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class LabelListPanel(QWidget):
    """`tierChosen(name)`, `labelChosen(tier, label)` (a row picked), `playRequested(tier,
    label)`, `renameRequested(tier, label, text)`, `deleteRequested(tier, label)`,
    `newTierRequested()`, `reloadRequested()` / `keepRequested()` (the changed-on-disk bar)."""

    tierChosen = Signal(str)
    labelChosen = Signal(str, object)
    playRequested = Signal(str, object)
    renameRequested = Signal(str, object, str)
    deleteRequested = Signal(str, object)
    newTierRequested = Signal()
    reloadRequested = Signal()
    keepRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotations = Annotations()
        self._quiet = False

        # another program changed the labels' file: reload or keep these
        self.changed_bar = QFrame()
        self.changed_bar.setStyleSheet("QFrame { background: #4a3b1a; border-radius: 3px; }")
        self.changed_text = QLabel("")
        self.changed_text.setWordWrap(True)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setToolTip("Show the labels as they are on disk now (undo brings "
                                      "these back)")
        self.keep_button = QPushButton("Keep mine")
        self.keep_button.setToolTip("Keep the labels shown; they are saved to the sidecar, the "
                                    "other file is left as it is")
        bar = QHBoxLayout(self.changed_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self.changed_text, 1)
        bar.addWidget(self.reload_button)
        bar.addWidget(self.keep_button)
        self.changed_bar.hide()

        self.tier_box = QComboBox()
        self.tier_box.setToolTip("The tier listed below; new labels go to it when its kind fits")
        self.tier_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.new_tier_button = QPushButton("New tier…")
        self.play_button = QPushButton("▶ Play")
        self.play_button.setToolTip("Play the chosen label (Return in the list)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the chosen label (Delete)")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Tier:"))
        top.addWidget(self.tier_box, 1)
        top.addWidget(self.new_tier_button)

        self.model = LabelTableModel(self)
        self.table = LabelTable()
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(56)

        self.snap_box = QCheckBox("Snap edges to zero crossings")
        self.snap_box.setToolTip("New and dragged edges move to the nearest zero crossing of "
                                 "the waveform (within 5 ms)")
        self.where_label = QLabel("")
        self.where_label.setStyleSheet("color: #9a9a9a;")
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        # the keys, where they are needed (the list's room goes to the labels)
        self.hint = ("L: label the selection · Ctrl+M: a point at the playhead · Ctrl+drag on "
                     "the spectrogram, then L: a box · Tab / Shift+Tab: next / previous label · "
                     "double-click a text to rename it · Return: play")
        self.table.setToolTip(self.hint)
        self.snap_box.setToolTip(self.snap_box.toolTip() + "\n\n" + self.hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.changed_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.snap_box)
        layout.addWidget(self.where_label)

        self.tier_box.currentIndexChanged.connect(self._tier_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.playRequested.connect(self._play)
        self.table.doubleClicked.connect(self._double_clicked)
        self.play_button.clicked.connect(self._play)
        self.delete_button.clicked.connect(self._delete)
        self.new_tier_button.clicked.connect(self.newTierRequested.emit)
        self.model.renamed.connect(
            lambda label, text: self.renameRequested.emit(self.tier_name() or "", label, text))
        self.reload_button.clicked.connect(self.reloadRequested.emit)
        self.keep_button.clicked.connect(self.keepRequested.emit)
        self._update_buttons()

    # ---- contents ---------------------------------------------------------------------------
    def tier_name(self) -> str | None:
        return self.tier_box.currentData()

    def _size_columns(self) -> None:
        """Narrow number columns, the rest to the text (fixed widths: sizing to the contents
        of a tier of thousands of labels would cost the GUI thread)."""
        for column, name in enumerate(self.model.columns):
            if name != "label":
                self.table.setColumnWidth(column, 58 if "Hz" in name else 52)

    def set_annotations(self, annotations: Annotations, current: tuple[str, Label] | None) -> None:
        """Show these labels (after any change), keeping the chosen tier when it is still there;
        the current label's tier is chosen and its row selected."""
        self.annotations = annotations
        chosen = current[0] if current is not None else self.tier_name()
        self._quiet = True
        try:
            self.tier_box.clear()
            for tier in annotations.tiers:
                self.tier_box.addItem(f"{tier.name} ({tier.kind}, {len(tier.labels)})", tier.name)
            index = self.tier_box.findData(chosen) if chosen is not None else -1
            self.tier_box.setCurrentIndex(index if index >= 0 else (0 if annotations.tiers else -1))
            name = self.tier_name()
            self.model.set_tier(annotations.tier(name) if name is not None else None)
            self._size_columns()
        finally:
            self._quiet = False
        self.show_current(current)

    def show_current(self, current: tuple[str, Label] | None) -> None:
        """Select the current label's row (choosing its tier) without announcing it again."""
        self._quiet = True
        try:
            if current is not None and current[0] != self.tier_name():
                index = self.tier_box.findData(current[0])
                if index >= 0:
                    self.tier_box.setCurrentIndex(index)
                    self.model.set_tier(self.annotations.tier(current[0]))
                    self._size_columns()
            row = self.model.row_of(current[1]) if current is not None and \
                current[0] == self.tier_name() else -1
            selection = self.table.selectionModel()
            if row < 0:
                selection.clearCurrentIndex()
                self.table.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.table.selectRow(row)
                selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)
                self.table.scrollTo(index)
        finally:
            self._quiet = False
        self._update_buttons()

    def chosen(self) -> tuple[str, Label] | None:
        index = self.table.currentIndex()
        name = self.tier_name()
        if not index.isValid() or name is None or index.row() >= len(self.model.labels):
            return None
        return name, self.model.labels[index.row()]

    def show_changed(self, text: str) -> None:
        """The bar offering to reload (empty text hides it)."""
        self.changed_text.setText(text)
        self.changed_bar.setVisible(bool(text))

    # ---- from the user ----------------------------------------------------------------------
    def _tier_changed(self, _index: int) -> None:
        if self._quiet:
            return
        name = self.tier_name()
        self.model.set_tier(self.annotations.tier(name) if name is not None else None)
        self._size_columns()
        self._update_buttons()
        if name is not None:
            self.tierChosen.emit(name)

    def _row_changed(self, current, _previous) -> None:
        self._update_buttons()
        if self._quiet or not current.isValid():
            return
        chosen = self.chosen()
        if chosen is not None:
            self.labelChosen.emit(*chosen)

    def _double_clicked(self, index) -> None:
        """A double-click on a time plays the label (on the text it edits it)."""
        if self.model.columns[index.column()] != "label":
            self._play()

    def _play(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self.playRequested.emit(*chosen)

    def _delete(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self.deleteRequested.emit(*chosen)

    def _update_buttons(self) -> None:
        has = self.chosen() is not None
        self.play_button.setEnabled(has)
        self.delete_button.setEnabled(has)
