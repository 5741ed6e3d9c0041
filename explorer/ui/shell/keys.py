"""Window-wide keys and menus for the habits users bring from Audacity and Sonic Visualiser:
Space plays wherever the focus is (text fields keep their keys), Home/End, Escape, zoom commands
with a history, a right-click menu on the plots, and a Help list made from the actual actions."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.common.zoom import TimeZoom

# keys handled by widgets themselves (not actions), listed in Help > Keyboard shortcuts too
WIDGET_KEYS = (("File list: next / previous file", "Down, Up"),
               ("File list: play the file", "Return"),
               ("Plots: zoom time / pan", "mouse wheel / Shift+drag"),
               ("Spectrogram: time-frequency box (then L to label it, Ctrl+Shift+M to measure it)",
                "Ctrl+drag"),
               ("Labels list: play the label / rename it", "Return / double-click"))


def _keys(*names) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for name in names:
        if isinstance(name, QKeySequence.StandardKey):
            out += [k for k in QKeySequence.keyBindings(name) if k not in out]
        else:
            out.append(QKeySequence(name))
    return out


class WindowKeys(QObject):
    """Builds the Play menu, the zoom and layout items of View, and Help > Keyboard shortcuts."""

    def __init__(self, window, view_menu: QMenu, help_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        waveform = window.waveform
        self.zoom = TimeZoom(waveform.viewbox, self._extent, lambda: window.playback.cursor
                             if window.playback.state == "stopped" else waveform.playhead.value())
        self.actions: dict[str, QAction] = {}
        add = self._add

        play = QMenu("&Play", window)
        window.menuBar().insertMenu(view_menu.menuAction(), play)
        add(play, "play", "&Play / pause", self.play_pause, " ")
        add(play, "play_selection", "Play &selection", window.playback.play_selection)
        add(play, "stop", "S&top", window.playback.stop)
        play.addSeparator()
        add(play, "start", "Go to s&tart", lambda: window.playback.seek(0.0), "Home")
        add(play, "end", "Go to &end", self.go_to_end, "End")
        add(play, "clear", "&Clear selection", lambda: window.session.set_selection(None),
            "Escape")

        first = view_menu.actions()[0] if view_menu.actions() else None
        zoom = [
            add(None, "fit", "Zoom to &fit", self.zoom.fit, "Ctrl+F"),
            add(None, "zoom_in", "Zoom &in", self.zoom.zoom_in, "Ctrl+1",
                QKeySequence.StandardKey.ZoomIn),
            add(None, "zoom_out", "Zoom &out", self.zoom.zoom_out, "Ctrl+3",
                QKeySequence.StandardKey.ZoomOut),
            add(None, "zoom_selection", "Zoom to &selection",
                lambda: self.zoom.to_selection(window.session.selection), "Ctrl+E"),
            add(None, "zoom_back", "&Previous zoom", self.zoom.previous, "Alt+Left",
                "Backspace"),
        ]
        for action in zoom:
            view_menu.insertAction(first, action)
        view_menu.insertSeparator(first)
        view_menu.addSeparator()
        add(view_menu, "reset_layout", "&Reset layout", window.reset_layout)

        add(help_menu, "shortcuts", "&Keyboard shortcuts", self.show_shortcuts, "F1")
        help_menu.insertAction(help_menu.actions()[0], self.actions["shortcuts"])

        for view in (waveform, window.spectrogram):
            view.viewbox.sigContextMenu.connect(
                lambda pos, v=view: self.plot_menu(v).popup(pos.toPoint()))
        window.session.clipChanged.connect(lambda _loaded: self.zoom.clear())
        window.session.selectionChanged.connect(self._update_enabled)
        self._update_enabled()

    def _add(self, menu: QMenu | None, key: str, text: str, slot, *keys) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcuts(_keys(*keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # works while the menu bar is hidden, too
        if menu is not None:
            menu.addAction(action)
        self.actions[key] = action
        return action

    def _extent(self) -> tuple[float, float] | None:
        duration = self.window.waveform.duration
        return (0.0, duration) if duration > 0 else None

    def _update_enabled(self, *_args) -> None:
        has = self.window.session.selection is not None
        self.actions["zoom_selection"].setEnabled(has)
        self.actions["play_selection"].setEnabled(has)

    # ---- commands -------------------------------------------------------------------------------
    def play_pause(self) -> None:
        """Space: the file list plays its current file (loading it first if need be); anywhere
        else it plays or pauses what is shown."""
        window = self.window
        path = window.browser.current_path()
        if window.focusWidget() is window.browser.table and path is not None:
            window.browser.playRequested.emit(path)
        else:
            window.playback.toggle()

    def go_to_end(self) -> None:
        self.window.playback.seek(self.window.waveform.duration)

    def plot_menu(self, view: QWidget) -> QMenu:
        """The right-click menu of a plot: zoom, play the selection, export the view."""
        menu = QMenu(view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for key in ("fit", "zoom_selection", "zoom_back"):
            menu.addAction(self.actions[key])
        menu.addSeparator()
        menu.addAction(self.actions["play_selection"])
        menu.addSeparator()
        export = self.window.export_menu
        key = "waveform" if view is self.window.waveform else "figure"
        export.update_enabled()
        action = menu.addAction("Export this view (PNG or SVG)…", export.actions[key].trigger)
        action.setEnabled(export.actions[key].isEnabled())
        self.menu = menu  # the one shown last (for tests)
        return menu

    # ---- help ---------------------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) of every action and QShortcut of the window that has keys, then the
        keys widgets handle themselves: made from the live objects, so it cannot go stale."""
        rows: list[tuple[str, str]] = []
        seen: set[int] = set()
        for action in self.window.findChildren(QAction) + self.window.actions():
            if id(action) in seen or not action.shortcuts():
                continue
            seen.add(id(action))
            rows.append((action.text().replace("&", "").rstrip("…").strip(),
                         ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                                   for k in action.shortcuts())))
        for shortcut in self.window.findChildren(QShortcut):
            if not shortcut.key().isEmpty():
                rows.append((shortcut.whatsThis() or shortcut.objectName() or "shortcut",
                             shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
        return sorted(rows, key=lambda r: r[0].lower()) + list(WIDGET_KEYS)

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Keyboard shortcuts")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Command", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, (what, keys) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(what))
            table.setItem(i, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(520, 560)
        dialog.show()
        self.dialog = dialog
        return dialog
