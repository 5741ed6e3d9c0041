"""Wires Compare into the main window: the Compare menu (selected files, Ctrl+K; the current clip
with a resampled copy; with itself at x0.5 and x2), the same actions on the file table's and the
Dataset table's right-click menus (both now take Ctrl/Shift-click selections), and one Compare
window that follows the session's spectrogram parameters and colour map."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu

from explorer.model import AudioClip
from explorer.model.compare import MAX_CLIPS, reinterpret
from explorer.ui.files.browser import PATH_ROLE

#: Rates offered for "with a resampled copy" (the clip's own is left out).
COPY_RATES = (8000, 11025, 16000, 22050, 32000, 44100, 48000)


def resampled_pair(clip: AudioClip, rate: int) -> list[AudioClip]:
    """The clip and its copy at `rate` (run on the pool: resampling takes a moment)."""
    return [clip, clip.resample(rate)]


def rate_variants(clip: AudioClip) -> list[AudioClip]:
    """The clip, then the same samples at half and at twice its rate (the notebook's x0.5, x2)."""
    return [clip, reinterpret(clip, 0.5), reinterpret(clip, 2.0)]


class CompareLink(QObject):
    """Made by the main window after its menus."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.compare = None  # the Compare window, made when first needed
        self._player = None

        menu = self.menu = QMenu("&Compare", window)
        bar = window.menuBar()
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"),
                           None)
        bar.insertMenu(help_action, menu) if help_action else bar.addMenu(menu)
        self.selected_action = QAction("Compare &selected files", window)
        self.selected_action.setShortcut(QKeySequence("Ctrl+K"))
        self.selected_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.selected_action.setToolTip("Ctrl/Shift-click 2 to 4 files in the file list or the "
                                        "Dataset table, then compare them stacked")
        self.selected_action.triggered.connect(lambda _c=False: self.compare_selected())
        window.addAction(self.selected_action)
        menu.addAction(self.selected_action)
        self.rates_action = QAction("Compare with itself at x0.5 and x&2", window)
        self.rates_action.triggered.connect(lambda _c=False: self.compare_rates())
        menu.addAction(self.rates_action)
        self.copy_menu = menu.addMenu("Compare with a &resampled copy")
        self.copy_menu.aboutToShow.connect(self._fill_copy_menu)
        menu.aboutToShow.connect(self._update_enabled)

        for table in (window.browser.table, window.dataset.view.table):
            table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(
                lambda pos, t=table: self.table_menu(t).popup(t.viewport().mapToGlobal(pos)))
        self._update_enabled()
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        """The Compare window closes with the main one (else the app would not quit)."""
        if obj is self.window and event.type() == QEvent.Type.Close and self.compare is not None:
            self.compare.close()
        return False

    # ---- what is selected -----------------------------------------------------------------------
    def selected_paths(self, table=None) -> list[Path]:
        """The selected files of `table` (None: the one with the focus, else the file list, else
        the Dataset table), in the order shown."""
        window = self.window
        tables = [table] if table is not None else sorted(
            (window.browser.table, window.dataset.view.table), key=lambda t: not t.hasFocus())
        for t in tables:
            rows = sorted(t.selectionModel().selectedRows(), key=lambda i: i.row())
            if t is window.browser.table:
                paths = [Path(i.data(PATH_ROLE)) for i in rows]
            else:
                paths = [window.dataset.view.model.path_at(i.row()) for i in rows]
            if len(paths) >= 2 or table is not None:
                return paths
        return []

    def _update_enabled(self) -> None:
        loaded = self.window.session.loaded
        usable = loaded is not None and not loaded.long
        self.rates_action.setEnabled(usable)
        self.copy_menu.setEnabled(usable)

    def _fill_copy_menu(self) -> None:
        self.copy_menu.clear()
        clip = self.window.session.original
        if clip is None:
            return
        target = self.window.session.target_rate
        rates = sorted({*COPY_RATES, *([target] if target else [])} - {clip.sample_rate})
        for rate in rates:
            text = f"{rate} Hz" + (" (the resample rate chosen)" if rate == target else "")
            self.copy_menu.addAction(text, lambda r=rate: self.compare_resampled(r))

    def table_menu(self, table) -> QMenu:
        menu = QMenu(table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        count = len(self.selected_paths(table))
        action = menu.addAction(f"Compare the {count} selected files" if count >= 2
                                else "Compare (select 2 to 4 files)",
                                lambda: self.compare_selected(table))
        action.setShortcut(self.selected_action.shortcut())
        action.setEnabled(2 <= count)
        self._update_enabled()
        menu.addAction(self.rates_action)
        menu.addMenu(self.copy_menu)
        self.last_menu = menu  # tests
        return menu

    # ---- opening ------------------------------------------------------------------------------
    def window_for_compare(self):
        """The Compare window (made once), shown and raised."""
        from explorer.ui.compare.window import CompareWindow

        window = self.window
        if self.compare is None:
            self.compare = CompareWindow(self._compare_player(), window.session.params,
                                         window.spectrogram.colormap, parent=window)
            window.session.paramsChanged.connect(self.compare.set_params)
            window.controls.colormapChanged.connect(self.compare.set_colormap)
            # one sound at a time: the main window's playback and the comparison's
            self.compare.ab.stateChanged.connect(
                lambda s: window.playback.stop() if s == "playing" else None)
            window.playback.stateChanged.connect(
                lambda s: self.compare.ab.stop() if s == "playing" else None)
            self.compare.ab.before_play = self._same_device
        else:
            self.compare.set_params(window.session.params)
        self.compare.show()
        self.compare.raise_()
        self.compare.activateWindow()
        return self.compare

    def _compare_player(self):
        """A player of its own (the main one belongs to the transport), on the same device."""
        main = self.window.player
        try:
            from explorer.audio.player import Player
        except Exception:
            return main
        if isinstance(main, Player):
            return Player(device=main.device)
        return main

    def _same_device(self) -> None:
        """The comparison plays on the device chosen in the transport (chosen after it opened)."""
        player = self.compare.ab.player if self.compare is not None else None
        main = self.window.player
        if player is not None and player is not main and hasattr(main, "device"):
            player.device = main.device

    def compare_selected(self, table=None) -> bool:
        paths = self.selected_paths(table)
        status = self.window.statusBar()
        if len(paths) < 2:
            status.showMessage("Compare: select 2 to 4 files (Ctrl-click or Shift-click in the "
                               "file list or the Dataset table), then Compare > Compare selected "
                               "files (Ctrl+K)", 10000)
            return False
        if len(paths) > MAX_CLIPS:
            status.showMessage(f"Compare: the first {MAX_CLIPS} of the {len(paths)} selected "
                               "files", 10000)
            paths = paths[:MAX_CLIPS]
        self.window_for_compare().open_paths(paths)
        return True

    def _current(self) -> AudioClip | None:
        loaded = self.window.session.loaded
        if loaded is None or loaded.long:
            self.window.statusBar().showMessage(
                "Compare: open a clip first (long files are not compared)", 10000)
            return None
        return loaded.original

    def compare_rates(self) -> bool:
        clip = self._current()
        if clip is None:
            return False
        self.window_for_compare().set_clips(rate_variants(clip))
        return True

    def compare_resampled(self, rate: int) -> bool:
        clip = self._current()
        if clip is None:
            return False
        self.window_for_compare().open_job(resampled_pair, clip, int(rate))
        return True

    def shutdown(self) -> None:
        if self.compare is not None:
            self.compare.shutdown()
            self.compare.close()
