"""The dataset table model: one row per listed file, measurements filled in as they arrive; it
sorts and filters itself (plain Python over lists) so 10,000 rows never cost the GUI a stall."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from explorer.ui.dataset.rows import COLUMNS, NUMERIC, Filters, display, key_of, sort_key

_ROOT = QModelIndex()
_FLAGGED = QColor("#ffb347")
_PENDING = QColor("#777777")


def path_texts(paths: list[Path] | list[str], root: Path | None) -> list[str]:
    """Each path relative to `root` by string (Path.relative_to costs ~50 ms per 10,000)."""
    prefix = str(root).rstrip("/") + "/" if root is not None else ""
    return [t[len(prefix):] if prefix and t.startswith(prefix) else t for t in map(str, paths)]


class DatasetTableModel(QAbstractTableModel):
    """`paths` (listing order) and their measurements (None until measured); `visible` maps the
    shown rows to them after the filters and the sort."""

    shownChanged = Signal()  # the visible rows changed (filter, sort, new folder)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.paths: list[Path] = []
        self.rows: list[Any] = []
        self.transcripts: dict[Path, str] = {}
        self.label_counts: dict[Path, int] = {}  # the labels column (ui/dataset/labels.py)
        self.label_values: dict[Path, frozenset[str]] = {}  # what the label filter looks in
        self.filters = Filters()
        self.visible: list[int] = []
        self._by_text: dict[str, int] = {}
        self._text: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.only: set[str] | None = None  # the map's lasso

    # ---- contents ---------------------------------------------------------------------------
    def set_paths(self, paths: list[Path], root: Path | None) -> None:
        self.beginResetModel()
        self.root = root
        self.paths = list(paths)
        self.rows = [None] * len(self.paths)
        self.transcripts = {}
        self.only = None
        # rows and paths are looked up by string: hashing 10,000 Paths costs ~50 ms of GUI
        # thread, a Path made per row of 10,000 200 ms
        texts = [str(p) for p in self.paths]
        self._by_text = dict(zip(texts, range(len(texts)), strict=True))
        self._text = path_texts(texts, root)
        self.visible = list(range(len(self.paths)))
        self.endResetModel()
        if self.filters.active or self._sort:
            self.refilter()
        self.shownChanged.emit()

    def row_of(self, path: Path) -> int:
        """Index into `paths` (not the shown row), -1 if not listed."""
        text = str(path) if isinstance(path, Path) else str(Path(path))
        return self._by_text.get(text, -1)

    def measurement(self, path: Path) -> Any:
        i = self.row_of(path)
        return self.rows[i] if i >= 0 else None

    def transcript(self, i: int) -> str:
        row = self.rows[i]
        return (getattr(row, "transcript", "") if row is not None else "") or \
            self.transcripts.get(self.paths[i], "")

    def set_transcripts(self, transcripts: dict[Path, str]) -> None:
        self.transcripts = {Path(k): v for k, v in transcripts.items()}
        self._changed_all()

    def set_labels(self, counts: dict[Path, int], values: dict[Path, frozenset[str]]) -> None:
        """Each file's label count and label values (files not given keep theirs)."""
        self.label_counts.update(counts)
        self.label_values.update(values)
        self._changed_all()

    def add(self, measurements: list[Any]) -> list[Path]:
        """Take measured rows (a batch, or all of them again with the dataset flags); the paths
        known here that they fill in are returned."""
        done: list[Path] = []
        by_text, paths, rows = self._by_text, self.paths, self.rows
        for m in measurements:
            i = by_text.get(m.path)
            if i is None:  # a relative path, or a Path
                i = by_text.get(str(key_of(m.path, self.root)))
            if i is not None:
                rows[i] = m
                done.append(paths[i])
        if done:
            self._changed_all()
        return done

    def _changed_all(self) -> None:
        """New values: a filtered or sorted table is worked out again; else its cells repaint."""
        if self.filters.active or self._sort is not None or self.only is not None:
            self.refilter()
        elif self.visible:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.visible) - 1,
                                                              len(COLUMNS) - 1))

    def measured(self) -> list[Any]:
        """The measured rows in listing order, with the transcripts found beside them."""
        out = []
        for i, row in enumerate(self.rows):
            if row is None:
                continue
            text = self.transcripts.get(self.paths[i])
            if text and not getattr(row, "transcript", ""):
                row = dataclasses.replace(row, transcript=text)
            out.append(row)
        return out

    def shown_measured(self) -> list[Any]:
        """The measured rows as shown (filtered, sorted), transcripts filled in."""
        rows = []
        for i in self.visible:
            row = self.rows[i]
            if row is None:
                continue
            text = self.transcripts.get(self.paths[i])
            if text and not getattr(row, "transcript", ""):
                row = dataclasses.replace(row, transcript=text)
            rows.append(row)
        return rows

    # ---- filtering and sorting --------------------------------------------------------------
    def set_filters(self, flag: str | None = None, text: str | None = None,
                    ranges: dict[str, tuple[float, float]] | None = None, **label) -> None:
        """`label=VALUE` shows the files having that label value, `label=None` every file."""
        f = self.filters
        if "label" in label:
            f.label = label["label"]
        if flag is not None:
            f.flag = flag
        if text is not None:
            f.text = text
        if ranges is not None:
            f.ranges = dict(ranges)
        self.refilter()

    def set_only(self, paths: set[str] | None) -> None:
        """Show only these files (the map's lasso; None: every file) besides the other filters."""
        self.only = None if paths is None else {str(p) for p in paths}
        self.refilter()

    def refilter(self) -> None:
        f = self.filters
        only = self.only
        keep = [i for i in range(len(self.paths))
                if (not f.active or f.accepts(self._text[i], self.rows[i], self.transcript(i),
                                              self.label_values.get(self.paths[i], frozenset())))
                and (only is None or str(self.paths[i]) in only)]
        if self._sort is not None:
            column, order = self._sort
            name = COLUMNS[column]
            keys = {i: sort_key(name, self._sort_value(i, name)) for i in keep}
            filled = sorted((i for i in keep if keys[i][0] == 0), key=lambda i: keys[i][1],
                            reverse=order == Qt.SortOrder.DescendingOrder)
            keep = filled + [i for i in keep if keys[i][0] == 1]  # empty cells last, both ways
        if keep != self.visible:
            self.beginResetModel()
            self.visible = keep
            self.endResetModel()
            self.shownChanged.emit()
        elif keep:
            self.dataChanged.emit(self.index(0, 0), self.index(len(keep) - 1, len(COLUMNS) - 1))

    def _sort_value(self, i: int, name: str) -> Any:
        return self._text[i] if name == "path" else self.value(i, name)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """By a column (the header's click); a column of -1: back to the listing order."""
        self._sort = (column, order) if 0 <= column < len(COLUMNS) else None
        self.refilter()

    # ---- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def path_at(self, shown_row: int) -> Path:
        return self.paths[self.visible[shown_row]]

    def shown_row_of(self, path: Path) -> int:
        i = self.row_of(path)
        try:
            return self.visible.index(i) if i >= 0 else -1
        except ValueError:
            return -1

    def value(self, i: int, name: str) -> Any:
        if name == "path":
            return self.paths[i]
        if name == "transcript":
            return self.transcript(i)
        if name == "labels":
            return self.label_counts.get(self.paths[i])
        row = self.rows[i]
        if row is None:
            return None
        return getattr(row, name, None)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        i = self.visible[index.row()]
        name = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.rows[i] is None and name not in ("path", "transcript", "error", "labels"):
                return "…" if name == "sample_rate" else ""
            return display(name, self.value(i, name), self.root)
        if role == Qt.ItemDataRole.ToolTipRole and name in ("transcript", "error", "flags",
                                                            "path", "audio_hash"):
            text = display(name, self.value(i, name), self.root)
            return str(self.value(i, name)) if name == "audio_hash" else (text or None)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.rows[i]
            if row is None:
                return _PENDING
            if name in ("flags", "error") or (name == "path" and getattr(row, "flags", "")):
                return _FLAGGED
        return None
