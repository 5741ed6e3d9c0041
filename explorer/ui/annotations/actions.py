"""The Labels menu and its keys (L label the selection, or the box a Ctrl+drag drew on the
spectrogram; Ctrl+M a point, F2 rename, Delete, Tab / Shift+Tab next / previous, Ctrl+Z / Ctrl+Shift+Z), Save
labels / Save labels as… (also in File), and New tier…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
)

from explorer.model.annotations.edits import AddTier, RemoveTier, RenameTier
from explorer.model.annotations.formats import FormatError, losses
from explorer.model.annotations.tiers import KINDS

#: Save labels as…: the dialog's filters, the format and the ending each writes.
SAVE_FILTERS = {
    "Praat TextGrid (*.TextGrid)": ("textgrid", ".TextGrid"),
    "Audacity labels (*.txt)": ("audacity", ".txt"),
    "Raven selection table (*.selections.txt)": ("raven", ".selections.txt"),
    "Sonic Visualiser CSV (*.csv)": ("sv-csv", ".csv"),
    "Labels table CSV (*.csv)": ("csv", ".csv"),
}


def _typing(widget) -> bool:
    """The focus is in a text field: Tab moves between fields there, as everywhere."""
    return isinstance(widget, QLineEdit | QAbstractSpinBox) or (
        isinstance(widget, QComboBox) and widget.isEditable())


class LabelActions(QObject):
    """Made once the window's menus exist; `link` is the AnnotationsLink."""

    def __init__(self, window, link) -> None:
        super().__init__(window)
        self.window, self.link = window, link
        editor = link.editor
        self.actions: dict[str, QAction] = {}
        menu = self.menu = QMenu("&Labels", window)
        window.menuBar().insertMenu(window.view_menu.menuAction(), menu)
        add = self._add
        add(menu, "label", "&Label the selection", link.label_selection, "L", "Ctrl+B")
        add(menu, "point", "Label a &point at the playhead", link.label_point, "Ctrl+M")
        hint = menu.addAction("Label a box: Ctrl+drag on the spectrogram, then L")
        hint.setEnabled(False)
        add(menu, "rename", "&Rename the label", link.rename_current, "F2")
        add(menu, "delete", "&Delete the label", link.delete_current, "Delete")
        menu.addSeparator()
        add(menu, "next", "&Next label", lambda: self._tab(True), "Tab")
        add(menu, "previous", "Pre&vious label", lambda: self._tab(False), "Shift+Tab",
            "Shift+Backtab")
        menu.addSeparator()
        self.undo_action = editor.undo_stack.createUndoAction(window, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = editor.undo_stack.createRedoAction(window, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        self.snap_action = add(menu, "snap", "S&nap edges to zero crossings",
                               lambda: None)
        self.snap_action.setCheckable(True)
        self.snap_action.toggled.connect(link.panel.snap_box.setChecked)
        link.panel.snap_box.toggled.connect(self.snap_action.setChecked)
        add(menu, "new_tier", "New &tier…", self.new_tier)
        add(menu, "rename_tier", "Rena&me the tier…", self.rename_tier)
        add(menu, "delete_tier", "Delete the t&ier", self.delete_tier)
        menu.addSeparator()
        add(menu, "save", "&Save labels", link.save, "Ctrl+S")
        add(menu, "save_as", "Save labels &as…", self.save_as)
        # File > Save labels as… too (where export lives)
        file_menu = window.menuBar().actions()[0].menu()
        file_menu.insertAction(window.quit_action, self.actions["save_as"])
        file_menu.insertSeparator(window.quit_action)
        link.panel.newTierRequested.connect(self.new_tier)

    def _add(self, menu: QMenu, key: str, text: str, slot, *keys) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        menu.addAction(action)
        self.actions[key] = action
        return action

    def _tab(self, forward: bool) -> None:
        """Tab goes to the next label, except in a text field, where it moves the focus on."""
        focus = QApplication.focusWidget()
        if _typing(focus):
            focus.focusNextPrevChild(forward)
            return
        self.link.step(forward)

    # ---- tiers ------------------------------------------------------------------------------
    def new_tier(self) -> bool:
        editor = self.link.editor
        if editor.store is None:
            self.window.statusBar().showMessage("Open an audio file to label it", 6000)
            return False
        name, ok = QInputDialog.getText(self.window, "New tier", "Name of the tier:")
        name = name.strip()
        if not ok or not name:
            return False
        if editor.annotations.has_tier(name):
            QMessageBox.warning(self.window, "New tier", f"There is already a tier named {name!r}.")
            return False
        kinds = ["interval", "point", "box"]
        kind, ok = QInputDialog.getItem(self.window, "New tier", "It holds:", kinds, 0, False)
        if not ok or kind not in KINDS:
            return False
        done = editor.push(AddTier(name, kind))
        if done:
            self.link.panel.set_annotations(editor.annotations, editor.current)
            index = self.link.panel.tier_box.findData(name)
            self.link.panel.tier_box.setCurrentIndex(index)
        return done

    def rename_tier(self) -> bool:
        """The listed tier gets a new name (undoable)."""
        editor, panel = self.link.editor, self.link.panel
        old = panel.tier_name()
        if old is None:
            return False
        name, ok = QInputDialog.getText(self.window, "Rename the tier", "New name:", text=old)
        name = name.strip()
        if not ok or not name or name == old:
            return False
        if editor.annotations.has_tier(name):
            QMessageBox.warning(self.window, "Rename the tier",
                                f"There is already a tier named {name!r}.")
            return False
        current = editor.current
        done = editor.push(RenameTier(old, name), None)
        if done:
            editor.set_current((name, current[1]) if current and current[0] == old else None)
            panel.tier_box.setCurrentIndex(panel.tier_box.findData(name))
        return done

    def delete_tier(self) -> bool:
        """The listed tier and its labels go (Ctrl+Z brings them back)."""
        editor, panel = self.link.editor, self.link.panel
        name = panel.tier_name()
        if name is None:
            return False
        done = editor.push(RemoveTier.of(editor.annotations, name), None)
        if done:
            self.window.statusBar().showMessage(f"Deleted the tier {name} (Ctrl+Z undoes it)",
                                                8000)
        return done

    # ---- save as ----------------------------------------------------------------------------
    def save_as(self) -> Path | None:
        """The labels in a format the user picks; a file they came from (a Praat TextGrid, say)
        is replaced only when the user says so, and what the format cannot hold is said first."""
        link, window = self.link, self.window
        store = link.editor.store
        if store is None:
            window.statusBar().showMessage("Open an audio file to save its labels", 6000)
            return None
        start = str(store.audio.with_name(store.audio.stem + ".TextGrid"))
        path, chosen = QFileDialog.getSaveFileName(window, "Save labels as", start,
                                                   ";;".join(SAVE_FILTERS))
        if not path:
            return None
        fmt, ending = SAVE_FILTERS.get(chosen, (None, ""))
        if fmt is None:
            fmt = next((f for f, e in SAVE_FILTERS.values() if path.endswith(e)), "textgrid")
            ending = next(e for f, e in SAVE_FILTERS.values() if f == fmt)
        if not path.lower().endswith(ending.lower()):
            path += ending
        target = Path(path)
        originals = [p.resolve() for p in store.sources if p != store.sidecar]
        if target.resolve() in originals:
            answer = QMessageBox.question(
                window, "Save labels as",
                f"{target.name} is the file these labels were read from (made by another "
                "program, perhaps). Replace it with the labels as they are now?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        lost = losses(store.annotations, fmt)
        if lost:
            answer = QMessageBox.question(
                window, "Save labels as", "This format cannot hold everything:\n• "
                + "\n• ".join(lost) + "\n\nSave anyway? (The sidecar keeps it all.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            out = store.save_as(target, fmt)
        except (OSError, FormatError) as exc:  # the writer says why in words
            QMessageBox.warning(window, "Save labels as", str(exc))
            return None
        link.save()
        window.statusBar().showMessage(f"Saved the labels to {out}", 10000)
        return out
