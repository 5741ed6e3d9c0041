"""The main window: the views and docks around a shared Session, opening files and folders, and
what the session's results change. Its parts live beside it: the menus (menus.py), making and
sizing the docks (docks.py), drag and drop (drops.py), what it remembers (window_state.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from explorer.model import AudioClip
from explorer.model.clip import AUDIO_EXTENSIONS
from explorer.model.dataset import is_audio_path
from explorer.resources import samples_dir
from explorer.ui.analysis.link import AnalysisLink
from explorer.ui.annotations.link import AnnotationsLink
from explorer.ui.common.jobs import Jobs
from explorer.ui.compare.link import CompareLink
from explorer.ui.dataset.link import DatasetLink
from explorer.ui.dataset.transcript import TranscriptLabel
from explorer.ui.files.browser import FileBrowser, listing_error
from explorer.ui.info.panel import InfoPanel
from explorer.ui.map.link import MapLink
from explorer.ui.playback.transport import Playback, TransportBar, make_player
from explorer.ui.shell import settings as settings_mod
from explorer.ui.shell.docks import DockSizes, PanelDocks, make_dock
from explorer.ui.shell.drops import DropTarget, refusal
from explorer.ui.shell.menus import MAX_RECENT, WindowMenus
from explorer.ui.shell.window_state import restore_window, save_window
from explorer.ui.spectrogram.controls import SpectrogramControls
from explorer.ui.spectrogram.view import SpectrogramView
from explorer.ui.state.session import Loaded, Session
from explorer.ui.waveform.view import WaveformView, selection_text

_AUTO = object()
# MAX_RECENT was defined here before the menus moved to menus.py; tests still ask this module.
__all__ = ["MAX_RECENT", "MainWindow"]


class MainWindow(QMainWindow):
    def __init__(self, player=_AUTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audio Explorer")
        self.setAcceptDrops(True)
        self.drops = DropTarget(self, lambda paths: self.open_paths(paths))
        self.settings = settings_mod.settings()
        self.jobs = Jobs(self)
        self.session = Session(self.jobs, self)
        self._play_when_loaded = False
        self.dock_sizes = DockSizes(self)  # sizes the docks made below (shell/docks.py)

        if player is _AUTO:
            player, devices, audio_message = make_player()
        else:
            devices, audio_message = [], "playback ready" if player is not None else (
                "Playback unavailable: no player")
        self.player = player
        self.audio_message = audio_message
        self.playback = Playback(player, self)

        # ---- widgets ----
        self.browser = FileBrowser()
        self.info = InfoPanel()
        self.waveform = WaveformView()
        self.spectrogram = SpectrogramView()
        self.spectrogram.link_x(self.waveform.plot)
        self.controls = SpectrogramControls(self.session.params)
        self.transport = TransportBar(self.playback, devices)

        # the current file's transcript (when the dataset has one) under the waveform
        self.transcript = TranscriptLabel()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.waveform, 1)
        top_layout.addWidget(self.transcript)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.spectrogram)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 420])
        splitter.setChildrenCollapsible(False)
        self.waveform.setMinimumHeight(140)
        self.spectrogram.setMinimumHeight(200)
        self.splitter = splitter
        self.setCentralWidget(splitter)

        toolbar = QToolBar("Transport")
        toolbar.setObjectName("transport")
        toolbar.setMovable(False)
        toolbar.addWidget(self.transport)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        self.files_dock = self._dock("Files", "files", self.browser,
                                     Qt.DockWidgetArea.LeftDockWidgetArea)
        self.info_dock = self._dock("Info", "info", self.info,
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.controls_dock = self._dock("Spectrogram", "spectrogram-settings",
                                        self.controls, Qt.DockWidgetArea.RightDockWidgetArea,
                                        scroll=True)
        self._add_optional_panels()
        self.dataset = DatasetLink(self)  # the Dataset dock (View > Dataset), before the menus
        self.annotations = AnnotationsLink(self)  # the Labels dock and overlays (ui/annotations)
        self.dataset_map = MapLink(self)  # the Map dock (View > Map, the Dataset view's Map button)
        self.analysis = AnalysisLink(self)  # layers, box, Measurements (ui/analysis/link.py)

        # the selection's start, end and length, at the bottom as in Audacity
        self.selection_label = QLabel("")
        self.selection_label.setStyleSheet("font-family: monospace; color: #9ec5ff;")
        self.selection_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.selection_label.setToolTip("The selection: start – end, length (drag on a plot; "
                                        "Escape clears it)")
        self.statusBar().addPermanentWidget(self.selection_label)
        self.audio_label = QLabel()
        self.audio_label.setStyleSheet("color: #9a9a9a; padding-right: 6px;")
        self.statusBar().addPermanentWidget(self.audio_label)
        self._set_audio_label()

        self._make_menus()
        self.compare = CompareLink(self)  # the Compare menu and window (ui/compare/)
        self.annotations.add_menus()  # the Labels menu and its keys
        self._connect()
        self._initial_state = self.saveState()  # View > Reset layout goes back to it
        self._restore_settings()

    # ---- construction -----------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area,
              scroll: bool = False) -> QDockWidget:
        return make_dock(self, title, name, widget, area, scroll)

    def _add_optional_panels(self) -> None:
        """The tone generator, scales and live spectrogram docks (shell/docks.py), built lazily."""
        panels = self.panel_docks = PanelDocks(self, self.controls_dock)
        self._tone_page, self._scales_page = panels.tone_page, panels.scales_page
        self._live_page, self.live_dock = panels.live_page, panels.live_dock
        self.live_dock.visibilityChanged.connect(self._size_live_dock)
        self.live_dock.hide()  # opened from View > Live spectrogram (Ctrl+L)

    def _size_live_dock(self, visible: bool) -> None:
        self.dock_sizes.size_live_dock(visible)

    @property
    def live_view(self):
        return self._live_page.widget()

    @property
    def tone_panel(self):
        return self._tone_page.widget()

    @property
    def scales_panel(self):
        return self._scales_page.widget()

    def _set_audio_label(self) -> None:
        if self.playback.available:
            self.audio_label.setText("♪ audio ready")
            self.audio_label.setToolTip(self.audio_message)
        else:
            self.audio_label.setText("no audio output — playback disabled")
            self.audio_label.setToolTip(self.audio_message)
            self.audio_label.setStyleSheet("color: #ffb74d; padding-right: 6px;")

    def _make_menus(self) -> None:
        """File, View and Help menus and the keys (shell/menus.py); their actions kept here."""
        self.menus = WindowMenus(self)
        m = self.menus
        self.open_file_action, self.open_folder_action = m.open_file_action, m.open_folder_action
        self.recent_menu, self.recent, self.export_menu = m.recent_menu, m.recent, m.export_menu
        self.quit_action, self.view_menu, self.keys = m.quit_action, m.view_menu, m.keys
        self.dataset.add_export(self.export_menu)
        self.analysis.add_menu()

    def _connect(self) -> None:
        s = self.session
        self.browser.fileSelected.connect(self._file_selected)
        self.browser.playRequested.connect(self._play_requested)
        self.browser.folderChanged.connect(self._folder_changed)
        self._first_of: tuple[Path, str] | None = None  # (folder, note) of a folder opened
        self.browser.folderListed.connect(self._folder_listed)
        self.browser.folderFailed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        s.loadStarted.connect(self._load_started)
        s.clipChanged.connect(self._clip_changed)
        # a long file's summaries fill in while read; the info panel gets its peak at the end
        s.overviewChanged.connect(self.waveform.update_overview)
        s.overviewComplete.connect(
            lambda loaded: self.info.show_clip(loaded.original, loaded.clip, loaded.summary))
        s.loadFailed.connect(self._load_failed)
        s.spectrogramStarted.connect(
            lambda: self.spectrogram.set_message("computing…") if self.spectrogram.spec is None
            else None)
        s.spectrogramChanged.connect(self.spectrogram.set_spectrogram)
        s.spectrogramFailed.connect(lambda msg: self.spectrogram.clear(f"spectrogram failed: {msg}"))
        s.status.connect(lambda text: self.statusBar().showMessage(text))
        s.selectionChanged.connect(self.waveform.set_selection)
        s.selectionChanged.connect(self.spectrogram.set_selection)
        s.selectionChanged.connect(self.playback.set_selection)
        s.selectionChanged.connect(lambda sel: self.selection_label.setText(
            selection_text(sel, self.waveform.sample_rate)))
        self.controls.paramsEdited.connect(s.set_params)
        self.controls.colormapChanged.connect(self.spectrogram.set_colormap)
        self.controls.axisModeChanged.connect(self.spectrogram.set_axis_mode)
        self.controls.arrayModeChanged.connect(self.spectrogram.set_array_mode)
        self.controls.channelChanged.connect(s.set_spec_channel)
        self.waveform.seekRequested.connect(self.playback.seek)
        self.spectrogram.seekRequested.connect(self.playback.seek)
        self.waveform.selectionChanged.connect(s.set_selection)
        self.spectrogram.selectionChanged.connect(s.set_selection)
        self.playback.positionChanged.connect(self.waveform.set_playhead)
        self.playback.positionChanged.connect(self.spectrogram.set_playhead)
        self.playback.failed.connect(
            lambda msg: self.statusBar().showMessage(f"Playback failed: {msg}", 8000))
        self.playback.deviceLost.connect(lambda msg: self.statusBar().showMessage(
            f"Playback stopped: {msg}. Press Play to try again.", 30000))
        self.playback.notice.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.transport.resampleRequested.connect(s.set_target_rate)

    # ---- opening things ---------------------------------------------------------------------
    def open_initial(self, paths: list[str]) -> None:
        with self.dataset.quietly():  # the start keeps its layout; the folder is scanned
            if paths:
                self.open_paths(paths)
            else:
                folder = samples_dir()
                if folder.is_dir():
                    self.open_paths([str(folder)])
        if not self.playback.available:
            self.statusBar().showMessage(self.audio_message, 10000)
        QTimer.singleShot(0, self.browser.table.setFocus)

    def open_paths(self, paths) -> bool:
        """Open dropped or given files/folders; False (and nothing changes) if none is audio."""
        items = [Path(p) for p in paths]
        folders = [p for p in items if p.is_dir()]
        files = [p for p in items if p.is_file() and is_audio_path(p)]
        rejected = [p for p in items if p not in folders and p not in files]
        if not folders and not files:
            self.statusBar().showMessage(refusal(rejected), 10000)
            return False
        note = f" (ignored {len(rejected)} non-audio item{'s' * (len(rejected) > 1)})" \
            if rejected else ""
        if folders:
            folder = folders[0].resolve()
            self._first_of = (folder, note)  # when listed: its first file, or why there is none
            try:
                self.browser.set_folder(folder)  # a big folder: listed by a thread, shown later
            except OSError as exc:  # unreadable: say so, and keep what is shown
                self._first_of = None
                self.statusBar().showMessage(listing_error(folder, exc), 10000)
                return False
            return True
        files = [f.resolve() for f in files]
        # one file: its folder is listed with it selected, so Down steps to its neighbours
        with self.dataset.quietly():  # a file opened alone: its folder is scanned, not shown
            revealed = len(files) == 1 and self._reveal_in_folder(files[0])
        if not revealed:  # (a big folder: the file alone until its folder is listed)
            self.browser.set_files(files, None, keep_listing=len(files) == 1)
            self.browser.select(files[0])
        self.browser.table.setFocus()
        if note:
            self.statusBar().showMessage(f"Opened {len(files)} file(s){note}", 10000)
        return True

    def _folder_listed(self, folder: Path, paths: list[Path]) -> None:
        if self._first_of is None or self._first_of[0] != folder:
            return  # a folder clicked in the tree, or a file's folder: its selection is made
        note = self._first_of[1]
        self._first_of = None
        if paths:
            self.browser.select_row(0)
        else:
            self.statusBar().showMessage(f"{folder}: no audio files in this folder{note}", 10000)

    def _reveal_in_folder(self, path: Path) -> bool:
        try:
            self.browser.set_folder(path.parent, select=path)
        except OSError:
            return False
        return self.browser.current_path() == path

    def open_clip(self, clip: AudioClip) -> None:
        """Show an in-memory clip (e.g. from the tone generator) as the current clip."""
        self.browser.table.clearSelection()
        self.session.open_clip(clip)

    def open_file_dialog(self) -> None:
        start = str(self.browser.folder or self.settings.value("lastFolder", "") or Path.home())
        patterns = " ".join(f"*{e}" for e in AUDIO_EXTENSIONS)
        paths, _ = QFileDialog.getOpenFileNames(self, "Open audio files", start,
                                                f"Audio files ({patterns});;All files (*)")
        if paths:
            self.open_paths(paths)

    def open_folder_dialog(self) -> None:
        start = str(self.browser.folder or self.settings.value("lastFolder", "") or Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open folder", start)
        if folder:
            self.open_paths([folder])

    def _file_selected(self, path: Path) -> None:
        if path != self.session.path or self.session.loaded is None:
            self._play_when_loaded = False
            self.session.open_path(path)

    def _play_requested(self, path: Path) -> None:
        if path == self.session.path and self.session.loaded is not None:
            self.playback.toggle()
        else:
            self._play_when_loaded = True
            if path != self.session.path:
                self.session.open_path(path)

    def _folder_changed(self, folder: Path) -> None:
        self.settings.setValue("lastFolder", str(folder))
        self.recent.add(str(folder))

    def _recent(self) -> list[str]:
        return self.recent.folders()

    def _rebuild_recent(self) -> None:
        self.recent.rebuild()

    # ---- session results --------------------------------------------------------------------
    def _load_started(self, path: Path | None) -> None:
        self.playback.stop()
        name = path.name if path else "clip"
        self.setWindowTitle(f"Audio Explorer — {name}")
        facts = None
        if path is not None:
            row = self.browser.model.row_of(path)
            if row >= 0 and not isinstance(self.browser.model.facts[row], str):
                facts = self.browser.model.facts[row]
        self.info.show_loading(name, facts)

    def _clip_changed(self, loaded: Loaded) -> None:
        from explorer.audio.windowed import playback_parts

        clip = loaded.clip
        self.setWindowTitle(f"Audio Explorer — {loaded.original.name}")
        self.waveform.set_overview(loaded.overview, clip.sample_rate, in_memory=not loaded.long)
        # a long file plays window by window from the file (explorer/audio/windowed.py)
        play_clip, self.playback.player = playback_parts(loaded, self.player)
        self.playback.set_clip(play_clip)
        self.transport.set_duration(clip.duration)
        self.info.show_clip(loaded.original, clip, loaded.summary)
        self.controls.set_channels(clip.channels)
        if self._play_when_loaded:
            self._play_when_loaded = False
            self.playback.play()

    def _load_failed(self, path: Path | None, message: str) -> None:
        name = path.name if path else "clip"
        self.info.show_error(name, message)
        if path is not None:
            self.browser.mark_error(path, message)
        self.waveform.clear()
        self.spectrogram.clear(f"{name}: {message}")
        self.playback.player = self.player
        self.playback.set_clip(None)
        self.transport.set_duration(0.0)
        self._play_when_loaded = False

    # ---- misc -------------------------------------------------------------------------------
    def reset_layout(self) -> None:
        """Docks back where a first start puts them (shown, docked, default sizes)."""
        self.restoreState(self._initial_state)
        for dock in (self.files_dock, self.info_dock, self.controls_dock):
            dock.setFloating(False)
            dock.show()
        self.controls_dock.raise_()
        self._size_docks()
        total = sum(self.splitter.sizes())  # waveform above spectrogram as at first start
        self.splitter.setSizes([total * 260 // 680, total - total * 260 // 680])

    def show_about(self) -> None:
        self.menus.show_about()

    def about_text(self) -> str:
        return self.menus.about_text()

    def quit(self) -> None:
        self.close()
        QApplication.quit()

    def shutdown(self) -> None:
        if self._live_page.is_built:
            self.live_view.shutdown()
        self.playback.stop()
        self.jobs.cancel("load")
        self.jobs.cancel("spectrogram")
        self.jobs.wait(5000)
        self.analysis.shutdown()
        self.browser.model._generation += 1
        self.browser.model.wait(5000)
        self.browser.stop_listing(5000)
        self.compare.shutdown()
        self.annotations.shutdown()  # the labels saved, the journal closed
        self.dataset_map.shutdown()  # ends the map's layout process
        self.dataset.shutdown()  # last: it may wait a second for the scan process

    # ---- drag and drop (shell/drops.py) ---------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        self.drops.drag_enter(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.drops.drag_move(event)

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self.drops.drag_leave()
        super().dragLeaveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self.drops.drop(event)

    # ---- settings ---------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        restore_window(self)  # shell/window_state.py

    def _default_geometry(self) -> None:
        self.dock_sizes.default_geometry()

    def _size_docks(self) -> None:
        self.dock_sizes.size_docks()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.dock_sizes.share_growth(event.oldSize().width(), event.size().width())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.dock_sizes.needs_sizes:
            self.dock_sizes.needs_sizes = False
            QTimer.singleShot(0, self._size_docks)

    def save_settings(self) -> None:
        save_window(self)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_settings()
        self.playback.stop()
        super().closeEvent(event)
