"""Wires labelling into the main window: the Labels dock, the overlays on the waveform and the
spectrogram, the current file's LabelStore (loaded when a file opens, a journal left by a crash
restored and said so, autosaved, saved when the file changes or the window closes) and the
watch for label files another program changes. The keys and menus are in actions.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtWidgets import QLabel

from explorer.model.annotations.formats import FormatError, read_labels
from explorer.model.annotations.snap import nearest_zero_crossing
from explorer.model.annotations.store import LabelStore, read_sidecar
from explorer.model.annotations.tiers import Annotations, Label
from explorer.ui.annotations.editor import AnnotationEditor
from explorer.ui.annotations.label_list import LabelListPanel
from explorer.ui.annotations.overlay import TierOverlay
from explorer.ui.annotations.prompt import LabelPrompt
from explorer.ui.spectrogram.axes import axis_coordinates

#: The sidecar is written this long after the last edit (the journal holds edits until then).
AUTOSAVE_MS = 20000
#: How often the journal is fsynced when edits wait (it holds at most this much unsynced).
SYNC_MS = 500
#: How often the label files read are compared with the disk (the watcher misses replaced files).
POLL_MS = 2000


class AnnotationsLink(QObject):
    """Made by the main window before its menus (so View lists the Labels dock)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.editor = AnnotationEditor(self)
        self.panel = LabelListPanel()
        self.dock = window._dock("Labels", "labels", self.panel,
                                 Qt.DockWidgetArea.RightDockWidgetArea)
        # shown when a file with labels opens or a label is made (View > Labels, too), so the
        # panels above keep their height until labels are used
        self.dock.hide()
        self.prompt = LabelPrompt(window)
        # the labels' state in the status bar, kept while the file is shown (a restore after a
        # crash must still be read after the load's own messages)
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("padding-right: 6px;")
        window.statusBar().addPermanentWidget(self.status_label)
        spec = window.spectrogram
        self.waveform_overlay = TierOverlay(window.waveform.plot, parent=self)
        self.spectrogram_overlay = TierOverlay(
            spec.plot, boxes=True, coord=lambda hz: axis_coordinates(hz, spec.axis_mode),
            to_hz=spec.freq_axis.to_hz, region_alpha=22, parent=self)
        self.overlays = (self.waveform_overlay, self.spectrogram_overlay)
        self.path: Path | None = None
        self.restored = 0  # edits the last opened file's journal gave back
        self.actions = None  # LabelActions (actions.py), made with the menus
        # the Dataset view's label column, filter and chart (ui/dataset/labels.py)
        from explorer.ui.dataset.labels import DatasetLabels

        self.dataset_labels = DatasetLabels(window.dataset.view)

        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save)
        self.sync_timer = QTimer(self, interval=SYNC_MS)
        self.sync_timer.timeout.connect(self._sync)
        self.sync_timer.start()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _path: self._check_timer.start())
        self._check_timer = QTimer(self, singleShot=True, interval=300)
        self._check_timer.timeout.connect(self.check_disk)
        self.poll_timer = QTimer(self, interval=POLL_MS)
        self.poll_timer.timeout.connect(self.check_disk)
        self.poll_timer.start()
        self._offered: set[Path] = set()  # changed files the user was asked about

        self._connect()

    def _connect(self) -> None:
        w, e, p = self.window, self.editor, self.panel
        w.session.loadStarted.connect(self.open_file)
        # the view takes the new axis by the same signal (connected later): boxes redraw after
        w.controls.axisModeChanged.connect(lambda _mode: self.spectrogram_overlay.schedule())
        w.controls.arrayModeChanged.connect(
            lambda on: self.spectrogram_overlay.set_visible(not on))
        w.session.spectrogramChanged.connect(lambda _spec: self.spectrogram_overlay.schedule())
        e.changed.connect(self._changed)
        e.currentChanged.connect(self._current_changed)
        e.failed.connect(lambda text: w.statusBar().showMessage(text, 10000))
        for overlay in self.overlays:
            overlay.moved_label.connect(self._moved)
            overlay.picked.connect(lambda tier, label: e.set_current((tier, label)))
            overlay.renameRequested.connect(self._rename_at)
        p.labelChosen.connect(self.go_to)
        p.playRequested.connect(self.play)
        p.renameRequested.connect(lambda tier, label, text: e.rename(tier, label, text))
        p.deleteRequested.connect(lambda tier, label: e.remove(tier, label))
        p.reloadRequested.connect(self.reload)
        p.keepRequested.connect(self.keep_mine)

    # ---- the file ---------------------------------------------------------------------------
    def open_file(self, path: Path | None) -> None:
        """Save the labels of the file left, then load those of `path` (its sidecar, else the
        label files beside it), restoring what a crash left in its journal."""
        if path is not None and self.path is not None and Path(path) == self.path:
            return
        self.close_file()
        self.path = Path(path) if path is not None else None
        self.restored = 0
        self.status_label.setText("")
        self.status_label.setStyleSheet("padding-right: 6px;")
        self.status_label.setToolTip("")
        if self.path is None:
            self.editor.set_store(None)
            self._where()
            return
        store = LabelStore(self.path)
        try:
            store.load()
        except (FormatError, OSError, ValueError) as exc:
            # a damaged sidecar is left as it is (never overwritten): no labelling for this file
            self.editor.set_store(None)
            self.window.statusBar().showMessage(f"Labels of {self.path.name} not loaded: {exc}",
                                                30000)
            self.panel.where_label.setText(f"Labels not loaded: {exc}")
            return
        try:
            self.restored = store.restore()
        except OSError as exc:
            self.window.statusBar().showMessage(f"Labels: could not save what the journal "
                                                f"restored: {exc}", 30000)
        self.editor.set_store(store)
        self._watch(store)
        if len(store.annotations):
            self.show_dock()
        if self.restored:
            skipped = f" ({store.skipped} could not be applied)" if store.skipped else ""
            text = (f"Restored {self.restored} label edit{'s' * (self.restored != 1)} of "
                    f"{self.path.name} left unsaved by a crash{skipped}")
            self.window.statusBar().showMessage(text, 60000)
            self.status_label.setText("⚠ " + text)
            self.status_label.setStyleSheet("color: #ffb74d; padding-right: 6px;")
            self.status_label.setToolTip(f"They are saved now, in {store.sidecar}")
        elif store.problems:
            self.window.statusBar().showMessage("Labels: " + "; ".join(store.problems), 20000)
        self._where()

    def show_dock(self) -> None:
        """Show the Labels dock (if hidden) at a height its list can be read in."""
        if self.dock.isVisible():
            return
        self.dock.show()
        if not self.dock.isFloating():
            window = self.window
            window.resizeDocks([self.dock], [max(300, window.height() * 9 // 20)],
                               Qt.Orientation.Vertical)

    def close_file(self) -> None:
        """Save the open file's labels (if edited) and close its journal."""
        store = self.editor.store
        self.autosave_timer.stop()
        self.prompt.cancel()
        self.panel.show_changed("")
        self._offered = set()
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        if store is None:
            return
        try:
            store.close()
        except OSError as exc:  # the journal stays on disk: the next launch restores it
            self.window.statusBar().showMessage(f"Labels of {store.audio.name} not saved: {exc}",
                                                30000)

    def save(self) -> bool:
        """Write the sidecar now (autosave, Ctrl+S); False with the reason shown when it fails."""
        store = self.editor.store
        self.autosave_timer.stop()
        if store is None or not store.dirty:
            return store is not None
        try:
            store.save()
        except OSError as exc:
            self.window.statusBar().showMessage(f"Labels not saved: {exc} (the journal keeps "
                                                "them; fix the cause or use Save labels as…)",
                                                30000)
            return False
        self._watch(store)
        self._where()
        return True

    def add_menus(self) -> None:
        """The Labels menu and keys (once the window's menus exist)."""
        from explorer.ui.annotations.actions import LabelActions

        self.actions = LabelActions(self.window, self)

    def shutdown(self) -> None:
        self.sync_timer.stop()
        self.poll_timer.stop()
        self.close_file()
        self.dataset_labels.shutdown()

    def _sync(self) -> None:
        store = self.editor.store
        if store is not None:
            try:
                store.sync_if_due()
            except OSError as exc:
                self.window.statusBar().showMessage(f"Labels journal: {exc}", 10000)

    def _watch(self, store: LabelStore) -> None:
        paths = [str(p) for p in store.sources if p.exists()]
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        if paths:
            self.watcher.addPaths(paths)

    def _where(self) -> None:
        store = self.editor.store
        if store is None:
            self.panel.where_label.setText("Open an audio file to label it.")
            return
        originals = [p.name for p in store.sources if p != store.sidecar]
        text = f"Saved to {store.sidecar.name}"
        tip = f"Edits are saved to {store.sidecar} (and journaled until then)"
        if originals:
            text += f"; {', '.join(originals)} is never overwritten"
            tip += (f".\nRead from {', '.join(originals)}: never written, unless Save labels as… "
                    "is pointed at it and you say yes.")
        self.panel.where_label.setText(text)
        self.panel.where_label.setToolTip(tip)

    # ---- changed on disk --------------------------------------------------------------------
    def check_disk(self) -> list[Path]:
        """Label files another program changed: the Labels dock offers to reload them."""
        store = self.editor.store
        if store is None:
            return []
        try:
            changed = store.changed_on_disk()
        except OSError:
            return []
        fresh = [p for p in changed if p not in self._offered]
        if fresh:
            self._offered.update(fresh)
            names = ", ".join(p.name for p in changed)
            text = f"{names} changed on disk (another program?). Reload the labels from it?"
            self.panel.show_changed(text)
            self.show_dock()
            self.window.statusBar().showMessage(text, 20000)
        return changed

    def reload(self) -> bool:
        """The changed files' labels replace the tiers of the same names (the sidecar's replace
        all of them), as one undoable edit."""
        store = self.editor.store
        if store is None:
            return False
        changed = store.changed_on_disk()
        current = self.editor.annotations
        new = Annotations(tiers=[t.copy() for t in current.tiers])
        try:
            for path in changed:
                if not path.exists():
                    continue
                if path == store.sidecar:
                    new = read_sidecar(path)
                    continue
                for tier in read_labels(path).tiers:
                    names = [t.name for t in new.tiers]
                    if tier.name in names:
                        new.tiers[names.index(tier.name)] = tier
                    else:
                        new.tiers.append(tier)
        except (FormatError, OSError, ValueError) as exc:
            self.window.statusBar().showMessage(f"Could not reload the labels: {exc}", 20000)
            return False
        self.editor.replace_all(new, "reload labels from disk")
        self._acknowledge(store, changed)
        self.panel.show_changed("")
        self.window.statusBar().showMessage(
            f"Reloaded the labels from {', '.join(p.name for p in changed)} (Ctrl+Z brings "
            "back those shown before)", 10000)
        return True

    def keep_mine(self) -> None:
        """Keep the labels shown; the changed file is left alone and not offered again."""
        store = self.editor.store
        if store is not None:
            self._acknowledge(store, store.changed_on_disk())
        self.panel.show_changed("")

    def _acknowledge(self, store: LabelStore, paths: list[Path]) -> None:
        """The store takes the files as they are now as read (they are no longer "changed")."""
        store.acknowledge(paths)
        self._offered.difference_update(paths)
        self._watch(store)

    # ---- edits from the views ---------------------------------------------------------------
    def _changed(self) -> None:
        ann = self.editor.annotations
        for overlay in self.overlays:
            overlay.set_annotations(ann, self.editor.current)
        self.panel.set_annotations(ann, self.editor.current)
        store = self.editor.store
        if store is not None and store.dirty:
            self.autosave_timer.start()
        if self.path is not None and store is not None:
            self.dataset_labels.set_file(self.path, ann)

    def _current_changed(self, current) -> None:
        for overlay in self.overlays:
            overlay.current = current
            overlay.redraw()
        self.panel.show_current(current)

    def snapping(self) -> bool:
        return self.panel.snap_box.isChecked()

    def snap(self, t: float) -> float:
        """`t` moved to the nearest zero crossing when snapping is on and the samples are in
        memory (a long file's edges stay where they are dropped)."""
        loaded = self.window.session.loaded
        if not self.snapping() or loaded is None or loaded.long:
            return t
        clip = loaded.clip
        return nearest_zero_crossing(clip.samples, clip.sample_rate, t)

    def _moved(self, tier: str, old: Label, new: Label) -> None:
        start = self.snap(new.start) if new.start != old.start else new.start
        end = new.end
        if end is not None and end != old.end:
            end = self.snap(end)
        if end is not None and end < start:
            start, end = end, start
        if not self.editor.change(tier, old, replace(new, start=start, end=end)):
            self._changed()  # the item goes back where the label is

    # ---- making labels ----------------------------------------------------------------------
    def drawn_box(self) -> tuple[float, float, float, float] | None:
        """The time-frequency box Ctrl+drag drew on the spectrogram (t0, t1, low Hz, high Hz),
        kept by the analysis link (ui/analysis/box.py: Measure measures the same box)."""
        tf_box = getattr(getattr(self.window, "analysis", None), "box", None)
        return getattr(tf_box, "box", None)

    def label_selection(self) -> bool:
        """L: a box over the drawn time-frequency box, else an interval over the selection;
        its text typed in the prompt."""
        box = self.drawn_box()
        if box is not None:
            self.label_box(*box)
            return True
        selection = self.window.session.selection
        if selection is None:
            self.window.statusBar().showMessage(
                "Select a stretch first (drag on the waveform), then press L to label it", 8000)
            return False
        a, b = sorted(self.snap(t) for t in selection)
        if b <= a:
            a, b = selection
        at = self._window_point(self.window.waveform, a)
        self.prompt.ask(at, "", lambda text: self._add("interval", Label(a, b, text)))
        return True

    def label_point(self) -> bool:
        """Ctrl+M: a point at the playhead (the cursor when stopped)."""
        if self.window.session.loaded is None:
            return False
        playback = self.window.playback
        t = playback.cursor if playback.state == "stopped" else \
            self.window.waveform.playhead.value()
        t = self.snap(float(t))
        at = self._window_point(self.window.waveform, t)
        self.prompt.ask(at, "", lambda text: self._add("point", Label(t, None, text)))
        return True

    def label_box(self, t0: float, t1: float, low: float, high: float) -> None:
        """A box label (L after a Ctrl+drag on the spectrogram), its text typed in the prompt."""
        at = self._window_point(self.window.spectrogram, t0)
        self.prompt.ask(at, "", lambda text: self._add(
            "box", Label(t0, t1, text, low_hz=low, high_hz=high)))

    def _add(self, kind: str, label: Label) -> None:
        added = self.editor.add(kind, label, self.panel.tier_name())
        if added is not None:
            self.show_dock()

    def rename_current(self) -> bool:
        """F2: the current label's text in the prompt."""
        current = self.editor.current
        if current is None:
            return False
        tier, label = current
        self.prompt.ask(self._window_point(self.window.waveform, label.start), label.label,
                        lambda text: self.editor.rename(tier, label, text))
        return True

    def _rename_at(self, tier: str, label: Label, scene_pos: QPointF) -> None:
        view = self.window.spectrogram if label.is_box else self.window.waveform
        at = view.plot_widget.mapTo(self.window, view.plot_widget.mapFromScene(scene_pos))
        self.prompt.ask(at, label.label, lambda text: self.editor.rename(tier, label, text))

    def _window_point(self, view, t: float) -> QPoint:
        """Where time `t` is, near the top of `view`'s plot, in the window's coordinates."""
        vb = view.viewbox
        (x0, x1), (y0, y1) = vb.viewRange()
        t = min(max(t, x0), x1)
        scene = vb.mapViewToScene(QPointF(t, y1 - (y1 - y0) * 0.1))
        return view.plot_widget.mapTo(self.window, view.plot_widget.mapFromScene(scene))

    # ---- going to and playing labels --------------------------------------------------------
    def go_to(self, tier: str, label: Label) -> None:
        """Seek to a label, make it current, and bring it into view when it is not."""
        self.editor.set_current((tier, label))
        window = self.window
        end = label.end if label.end is not None else label.start
        vb = window.waveform.viewbox
        (x0, x1), _ = vb.viewRange()
        if label.start < x0 or end > x1:
            width = max(x1 - x0, (end - label.start) * 1.5)
            left = max(0.0, (label.start + end) / 2 - width / 2)
            vb.setXRange(left, left + width, padding=0)
        window.playback.seek(label.start)
        window.waveform.set_playhead(label.start)

    def step(self, forward: bool) -> bool:
        """Tab / Shift+Tab: the next / previous label of the listed tier."""
        window = self.window
        tier = self.panel.tier_name() or (self.editor.current[0] if self.editor.current else None)
        playback = window.playback
        t = playback.cursor if playback.state == "stopped" else window.waveform.playhead.value()
        found = self.editor.step(tier, float(t), forward)
        if found is None:
            window.statusBar().showMessage("No more labels " + ("after" if forward else "before")
                                           + " this one", 4000)
            return False
        self.go_to(*found)
        return True

    def play(self, tier: str, label: Label) -> None:
        """Play a label: its stretch (selected), or from a point on."""
        self.go_to(tier, label)
        window = self.window
        if label.end is not None and label.end > label.start:
            window.session.set_selection((label.start, label.end))
            window.playback.play_selection()
        else:
            window.playback.stop()
            window.playback.seek(label.start)
            window.playback.play()

    def delete_current(self) -> bool:
        current = self.editor.current or self.panel.chosen()
        if current is None:
            return False
        return self.editor.remove(*current)
