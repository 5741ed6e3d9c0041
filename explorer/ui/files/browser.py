"""File browser: folder tree + a table of the folder's audio files, header facts filled in lazily."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QDir,
    QEvent,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileSystemModel,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.model import AudioFileError, info
from explorer.model.dataset import TooManyEntries, scan_folder
from explorer.model.names import shown
from explorer.ui.common.time_axis import format_clock

COLUMNS = ("Name", "Duration", "Rate", "Ch", "Format")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
BATCH = 64
#: Entries of a folder listed on the GUI thread (a few ms); a bigger folder is listed by a thread
#: (10,000 files took 150-400 ms: sorting names and making paths) and shown when it is done.
QUICK_LISTING = 2000
_ROOT = QModelIndex()


def format_duration(seconds: float) -> str:
    """"13.91 s" under a minute, else the time axes' clock to a tenth ("1:05.3", "1:01:01.2")."""
    return f"{seconds:.2f} s" if seconds < 60 else format_clock(seconds, 1)


#: a few words for an error row's table cell (the full reason is in its tooltip), first match
SHORT_REASONS = (("no such file", "missing"), ("permission denied", "denied"),
                 ("empty file", "empty"), ("not an audio file", "not audio"),
                 ("no audio frames", "no audio"), ("unreadable", "corrupt"),
                 ("is a folder", "folder"))
#: The columns sized to the widest value present (never elided: never "1…0" for 192000), so
#: that the name, which elides, gets the rest of the table's width.
FACT_COLUMNS = (1, 2, 3, 4)


def listing_error(folder: Path, exc: OSError) -> str:
    """Why a folder cannot be listed, in words: the user clicked or dropped it and sees nothing."""
    reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
    return f"Cannot open {shown(folder)}: {reason}"


def short_reason(message: str) -> str:
    """An error in a word or two, e.g. "not audio" for "not an audio file (format not ...)"."""
    lower = message.lower()
    return next((short for key, short in SHORT_REASONS if key in lower), "error")


def _warning_icon() -> QIcon:
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


class _HeaderSignals(QObject):
    batch = Signal(int, object)  # generation, list of (row, AudioInfo | str)


class _HeaderReader(QRunnable):
    """Reads the header facts of many files, reporting them in batches (worker thread)."""

    def __init__(self, model: FileTableModel, generation: int, paths: list[Path]) -> None:
        super().__init__()
        self.model = model
        self.generation = generation
        self.paths = paths
        self.signals = model._signals

    def run(self) -> None:
        out = []
        for row, path in enumerate(self.paths):
            if self.model._generation != self.generation:
                return
            try:
                out.append((row, info(path)))
            except AudioFileError as exc:
                out.append((row, exc.reason))
            except Exception as exc:  # anything else is still just this file's problem
                out.append((row, f"{type(exc).__name__}: {exc}"))
            if len(out) >= BATCH:
                self.signals.batch.emit(self.generation, out)
                out = []
            time.sleep(0)  # the GIL to the GUI thread if it waits (else up to 5 ms per wait)
        if out:
            self.signals.batch.emit(self.generation, out)


class _ListingSignals(QObject):
    done = Signal(int, object, object, object)  # generation, folder, select, list[Path] | OSError


class _FolderLister(QRunnable):
    """Lists a big folder off the GUI thread."""

    def __init__(self, signals: _ListingSignals, generation: int, folder: Path,
                 select: Path | None) -> None:
        super().__init__()
        self.signals, self.generation, self.folder, self.select = (
            signals, generation, folder, select)

    def run(self) -> None:
        try:
            result: object = scan_folder(self.folder)
        except OSError as exc:
            result = exc
        self.signals.done.emit(self.generation, self.folder, self.select, result)


class FileTableModel(QAbstractTableModel):
    factsChanged = Signal()
    widestChanged = Signal()  # a fact column got a longer value: the view widens that column

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths: list[Path] = []
        self.facts: list[object] = []  # None (not read yet), AudioInfo, or an error string
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _HeaderSignals()
        self._signals.batch.connect(self._on_batch)
        self.widest: dict[int, str] = {col: "" for col in FACT_COLUMNS}

    def set_paths(self, paths: list[Path]) -> None:
        self._generation += 1
        self.beginResetModel()
        self.paths = list(paths)
        self.facts = [None] * len(self.paths)
        self.widest = {col: "" for col in FACT_COLUMNS}
        self.endResetModel()
        self.widestChanged.emit()
        if self.paths:  # started after what the listing sets up on the GUI thread (the GIL)
            reader = _HeaderReader(self, self._generation, self.paths)
            QTimer.singleShot(0, self, lambda: self._pool.start(reader))

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_batch(self, generation: int, batch) -> None:
        if generation != self._generation:
            return
        for row, fact in batch:
            self.facts[row] = fact
        rows = [row for row, _ in batch]
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))
        self._grow_widest(rows)
        self.factsChanged.emit()

    def _grow_widest(self, rows) -> None:
        """Keep the longest text of each fact column (a few string lengths per new row)."""
        grew = False
        for row in rows:
            for col in FACT_COLUMNS:
                text = self.data(self.index(row, col)) or ""
                if len(text) > len(self.widest[col]):
                    self.widest[col], grew = text, True
        if grew:
            self.widestChanged.emit()

    def set_error(self, path: Path, message: str) -> None:
        try:
            row = self.paths.index(Path(path))
        except ValueError:
            return
        self.facts[row] = message
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._grow_widest([row])

    def refresh(self, path: Path) -> None:
        """Read a file's header facts again (it was just rewritten)."""
        row = self.row_of(path)
        if row < 0:
            return
        try:
            self.facts[row] = info(path)
        except AudioFileError as exc:
            self.facts[row] = exc.reason
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._grow_widest([row])
        self.factsChanged.emit()

    def row_of(self, path: Path) -> int:
        try:
            return self.paths.index(Path(path))
        except ValueError:
            return -1

    # ---- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.paths)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        path = self.paths[row]
        fact = self.facts[row]
        if role == PATH_ROLE:  # the Path itself: a name that is not UTF-8 survives (not a QString)
            return path
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return shown(path.name)
            if fact is None:
                return "…" if col == 1 else ""
            if isinstance(fact, str):
                return f"⚠ {short_reason(fact)}" if col == 1 else ""
            return (None, format_duration(fact.duration), f"{fact.sample_rate}",
                    str(fact.channels), fact.subtype)[col]
        if role == SORT_ROLE:
            if col == 0 or fact is None or isinstance(fact, str):
                return shown(path.name).lower() if col == 0 else -1
            return (None, fact.duration, fact.sample_rate, fact.channels,
                    f"{fact.format} {fact.subtype}")[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(fact, str):
                return f"{shown(path.name)}\n{fact}"
            if fact is not None:
                warning = f"\n⚠ {fact.warning}" if fact.warning else ""
                return (f"{shown(path.name)}\n{shown(path.parent)}\n{fact.sample_rate} Hz, "
                        f"{fact.channels} ch, {fact.duration:.3f} s, {fact.format} {fact.subtype}"
                        f"{warning}")
            return f"{shown(path.name)}\n{shown(path.parent)}"
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and getattr(fact, "warning", None):
            return _warning_icon()  # the header lies: the row opens, with a warning
        if role == Qt.ItemDataRole.ForegroundRole and isinstance(fact, str):
            return QBrush(QColor("#ff6e6e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            if not isinstance(fact, str):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _TableKeys(QObject):
    def __init__(self, browser: FileBrowser) -> None:
        super().__init__(browser)
        self.browser = browser

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            path = self.browser.current_path()
            if path is not None:
                self.browser.playRequested.emit(path)
            return True
        return False


class FileBrowser(QWidget):
    folderChanged = Signal(object)  # Path
    fileSelected = Signal(object)  # Path
    playRequested = Signal(object)  # Path
    folderFailed = Signal(str)  # why a clicked folder could not be listed (the list stays as it was)
    folderRequested = Signal(object)  # Path: a listing starts (it may end later: folderListed)
    folderListed = Signal(object, object)  # Path, list[Path]: the folder's files are shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._listing = 0  # generation of the newest listing: an older one's result is dropped
        self.listing_folder: Path | None = None  # a big folder being listed by a thread
        self._lister_pool = QThreadPool(self)
        self._lister_pool.setMaxThreadCount(1)
        self._lister_signals = _ListingSignals(self)
        self._lister_signals.done.connect(self._listed)

        self.dirs = QFileSystemModel(self)
        self.dirs.setFilter(QDir.Filter.AllDirs | QDir.Filter.NoDotAndDotDot | QDir.Filter.Drives)
        self.dirs.setRootPath(QDir.rootPath())
        self.tree = QTreeView()
        self.tree.setModel(self.dirs)
        for col in (1, 2, 3):
            self.tree.hideColumn(col)
        self.tree.setHeaderHidden(True)
        self.tree.setAcceptDrops(False)
        self.tree.viewport().setAcceptDrops(False)
        self.tree.clicked.connect(self._tree_clicked)
        self.dirs.directoryLoaded.connect(self._reveal_folder)
        self.tree.activated.connect(self._tree_clicked)

        self.model = FileTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # full name in the tooltip
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in FACT_COLUMNS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        self.model.widestChanged.connect(self._fit_fact_columns)
        self._fit_fact_columns()
        header.setHighlightSections(False)
        self.table.setAcceptDrops(False)
        self.table.viewport().setAcceptDrops(False)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._keys = _TableKeys(self)
        self.table.installEventFilter(self._keys)
        self.table.doubleClicked.connect(
            lambda index: self.playRequested.emit(Path(index.data(PATH_ROLE))))

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.count_label = QLabel("0 files")
        self.count_label.setMinimumWidth(70)
        self.folder_label = QLabel("")
        self.folder_label.setStyleSheet("color: #9a9a9a;")
        self.folder_label.setWordWrap(False)

        files = QWidget()
        box = QVBoxLayout(files)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        row = QHBoxLayout()
        row.addWidget(self.filter, 1)
        row.addWidget(self.count_label)
        box.addWidget(self.folder_label)
        box.addLayout(row)
        box.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(files)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    # ---- folder & files ---------------------------------------------------------------------
    def set_folder(self, folder: str | Path, select: Path | None = None) -> list[Path] | None:
        """List `folder`: its files now (a small folder), or None and `folderListed` later (a big
        one, listed by a thread while the GUI goes on). OSError: a folder that cannot be read."""
        folder = Path(folder).resolve()
        self._listing += 1  # an older big folder's listing is dropped
        self.listing_folder = None
        self.folderRequested.emit(folder)
        try:
            paths = scan_folder(folder, limit=QUICK_LISTING)
        except TooManyEntries:
            self.listing_folder = folder
            self.folder_label.setText(f"listing {shown(folder)}…")
            self.count_label.setText("listing…")
            self._lister_pool.start(_FolderLister(self._lister_signals, self._listing, folder,
                                                  select))
            return None
        self._show_listing(folder, paths, select)
        return paths

    def listing(self) -> bool:
        """True while a big folder is being listed."""
        return self.listing_folder is not None

    def wait_listed(self, msecs: int = 10000) -> bool:
        """Wait for a big folder's listing and show it (tests, shutdown)."""
        done = self._lister_pool.waitForDone(msecs)
        QApplication.sendPostedEvents(self)  # the result, queued to this widget's thread
        return done and not self.listing()

    def stop_listing(self, msecs: int = 5000) -> None:
        """Drop a big folder's listing (its result is ignored) and wait for the thread."""
        self._listing += 1
        self.listing_folder = None
        self._lister_pool.waitForDone(msecs)

    def _listed(self, generation: int, folder: Path, select: Path | None, result) -> None:
        if generation != self._listing:
            return  # another folder was asked for since
        self.listing_folder = None
        if isinstance(result, OSError):
            self._show_folder_label()  # the labels show again what is listed
            self._update_count()
            self._reveal_folder()
            self.folderFailed.emit(listing_error(folder, result))
            return
        self._show_listing(folder, result, select)

    def _show_listing(self, folder: Path, paths: list[Path], select: Path | None) -> None:
        self.set_files(paths, folder, keep_listing=True)
        self.folderChanged.emit(folder)
        if select is not None:
            self.select(select)
        self.folderListed.emit(folder, paths)

    def set_files(self, paths: list[Path], folder: Path | None = None,
                  keep_listing: bool = False) -> None:
        """Show `paths`; a big folder's listing still running is dropped unless `keep_listing`."""
        if not keep_listing:
            self._listing += 1
            self.listing_folder = None
        self.folder = folder
        # (Path(p) of a Path parses it again: 150 ms per 10,000)
        self.model.set_paths([p if isinstance(p, Path) else Path(p) for p in paths])
        self._show_folder_label()
        self._update_count()
        if folder is not None:  # the tree shows where the listed files are
            self._reveal_folder()
            QTimer.singleShot(250, self._reveal_folder)  # again once the docks have their size

    def _show_folder_label(self) -> None:
        folder = self.folder
        self.folder_label.setText(shown(folder) if folder else
                                  f"{len(self.model.paths)} dropped files")
        self.folder_label.setToolTip(shown(folder) if folder else "")

    def _reveal_folder(self, _loaded: str = "") -> None:
        if self.folder is None:
            return
        index = self.dirs.index(str(self.folder))
        if not index.isValid():
            return
        parent = index.parent()
        while parent.isValid():
            if not self.tree.isExpanded(parent):
                self.tree.expand(parent)
            parent = parent.parent()
        if self.tree.currentIndex() != index:
            self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _tree_clicked(self, index) -> None:
        path = Path(self.dirs.filePath(index))
        if path != self.folder and path.is_dir():
            try:
                self.set_folder(path)
            except OSError as exc:
                self._reveal_folder()  # the tree points back at the folder still listed
                self.folderFailed.emit(listing_error(path, exc))

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self, *_args) -> None:
        if self.listing():
            return  # "listing…" until the big folder's files are shown
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        word = "file" if total == 1 else "files"
        self.count_label.setText(f"{total} {word}" if shown == total else f"{shown} of {total}")

    def count_text(self) -> str:
        return self.count_label.text()

    def current_path(self) -> Path | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return Path(index.data(PATH_ROLE))

    def select(self, path: Path) -> bool:
        row = self.model.row_of(path)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, 0))

    def refresh(self, path: Path) -> None:
        self.model.refresh(path)

    def mark_error(self, path: Path, message: str) -> None:
        self.model.set_error(path, message)

    def _fit_fact_columns(self) -> None:
        """Each fact column as wide as its header or its widest value, whichever is wider."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        bold = header.fontMetrics()
        for col in FACT_COLUMNS:
            width = max(bold.horizontalAdvance(COLUMNS[col]) + 12,
                        metrics.horizontalAdvance(self.model.widest[col]) + 14)
            header.resizeSection(col, width)

    def _row_changed(self, current, _previous) -> None:
        if current.isValid():
            self.fileSelected.emit(Path(current.data(PATH_ROLE)))
