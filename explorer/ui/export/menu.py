"""The Export menu: what the window shows, saved as arrays, images, figures, WAV or Python code,
and the browsed folder exported in the background with progress, cancel and a summary."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import soundfile as sf
from PySide6.QtCore import QBuffer, QIODevice, QObject, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explorer.model import atomic, images
from explorer.model import export as batch
from explorer.model.colormaps import COLORMAPS
from explorer.model.names import shown
from explorer.model.snippet import python_snippet

#: WAV sample formats offered when saving a clip: (soundfile subtype, what the dialog says).
WAV_SUBTYPES = (("PCM_16", "16-bit PCM"), ("PCM_24", "24-bit PCM"), ("PCM_32", "32-bit PCM"),
                ("FLOAT", "32-bit float"))


def figure_bytes(widget: QWidget, svg: bool) -> bytes:
    """A view as it looks on screen, encoded in memory: PNG (at the screen's pixel ratio) or SVG
    (vector). The file is then written by the atomic writer, which knows why a write failed."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if svg:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(widget.width(), widget.height()))
        generator.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
        generator.setTitle(widget.windowTitle() or "Audio Explorer")
        generator.setDescription("Exported from Audio Explorer")
        painter = QPainter(generator)
        widget.render(painter, QPoint(0, 0))
        painter.end()
    elif not widget.grab().save(buffer, "PNG"):
        raise ValueError("could not encode the view as PNG")
    return bytes(buffer.data())


def save_figure(widget: QWidget, path: str | Path) -> Path:
    """A view as it looks on screen: PNG or SVG (by the name's ending)."""
    path = Path(path)
    return atomic.write_bytes(path, figure_bytes(widget, path.suffix.lower() == ".svg"))


def wav_subtype_for(clip) -> str:
    """The subtype a saved clip keeps: the source's when WAV can hold it (PCM_16 stays PCM_16),
    else 32-bit float (every sample as it is)."""
    subtype = (getattr(clip, "subtype", "") or "").upper()
    if subtype and sf.check_format("WAV", subtype):
        return subtype
    return "FLOAT"


def wav_filters(source_subtype: str) -> tuple[list[tuple[str, str]], str]:
    """The save dialog's (subtype, filter text) choices and the one preselected (the source's)."""
    choices = list(WAV_SUBTYPES)
    if source_subtype not in dict(choices):
        choices.insert(0, (source_subtype, sf.available_subtypes("WAV").get(source_subtype,
                                                                           source_subtype)))
    filters = [(subtype, f"WAV, {label} (*.wav)") for subtype, label in choices]
    return filters, dict(filters)[source_subtype]


class FolderExport(QObject):
    """One background folder export; signals arrive in the GUI thread (queued)."""

    progressed = Signal(object)  # ExportProgress
    finished = Signal(object)  # ExportSummary
    failed = Signal(str)

    def __init__(self, src: Path, out: Path, settings: batch.ExportSettings, recursive: bool,
                 force: bool, jobs: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.args = (src, out, settings)
        self.options = dict(recursive=recursive, force=force, jobs=jobs)
        self._cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="folder-export", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def _run(self) -> None:
        try:
            summary = batch.export_folder(*self.args, progress=self.progressed.emit,
                                          cancelled=self._cancel.is_set, **self.options)
        except Exception as exc:  # reported in the window, never lost in a thread
            self.failed.emit(f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc))
            return
        self.finished.emit(summary)


class FolderExportDialog(QDialog):
    """Where to, which format and picture; the spectrogram parameters are the window's."""

    def __init__(self, src: Path, colormap: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export folder")
        form = QFormLayout(self)
        form.addRow("From", QLineEdit(str(src), readOnly=True))
        self.out_edit = QLineEdit(str(src.parent / f"{src.name}-spectrograms"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.out_edit)
        row.addWidget(browse)
        form.addRow("To", row)
        self.format_box = QComboBox()
        self.format_box.addItems(["png", "npy"])
        form.addRow("Format", self.format_box)
        self.colormap_box = QComboBox()
        self.colormap_box.addItems(list(COLORMAPS) + ["gray 16-bit"])
        self.colormap_box.setCurrentText(colormap)
        form.addRow("Colours (PNG)", self.colormap_box)
        self.format_box.currentTextChanged.connect(
            lambda f: self.colormap_box.setEnabled(f == "png"))
        self.recursive_box = QCheckBox("Include sub-folders (the tree is mirrored)")
        form.addRow("", self.recursive_box)
        self.force_box = QCheckBox("Redo files already exported")
        form.addRow("", self.force_box)
        self.jobs_spin = QSpinBox(minimum=1, maximum=max(1, os.cpu_count() or 1) * 2)
        self.jobs_spin.setValue(os.cpu_count() or 1)
        form.addRow("Processes", self.jobs_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.out_edit.text())
        if folder:
            self.out_edit.setText(folder)

    def picture(self) -> tuple[str | None, int | None]:
        text = self.colormap_box.currentText()
        return ("gray", 16) if text == "gray 16-bit" else (text, 8)


class ExportMenu(QObject):
    """Builds the Export menu of a MainWindow; every action has a method that takes a path."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.job: FolderExport | None = None
        self.last_summary: batch.ExportSummary | None = None
        self.menu = QMenu("&Export", window)
        self.actions: dict[str, QAction] = {}
        add = self._add
        add("array", "Spectrogram &array (.npy)…", self._ask_array, "Ctrl+Shift+A")
        add("image", "Spectrogram &image, one pixel per bin (.png)…", self._ask_image)
        add("figure", "Spectrogram &figure as shown (PNG or SVG)…", self._ask_figure)
        add("waveform", "&Waveform figure as shown (PNG or SVG)…", self._ask_waveform)
        self.menu.addSeparator()
        add("wav", "&Clip as WAV…", lambda: self._ask_wav(selection=False))
        add("selection", "&Selection as WAV…", lambda: self._ask_wav(selection=True))
        self.menu.addSeparator()
        add("python", "Copy as &Python", self.copy_python, "Ctrl+Shift+C")
        self.menu.addSeparator()
        add("folder", "Export &folder…", self._ask_folder, "Ctrl+Shift+E")
        self.menu.aboutToShow.connect(self.update_enabled)
        for signal in (self.session.clipChanged, self.session.spectrogramChanged,
                       self.session.selectionChanged, self.session.loadFailed,
                       window.browser.folderChanged):
            signal.connect(self.update_enabled)
        self.update_enabled()

    def _add(self, key: str, text: str, slot, shortcut: str | None = None) -> None:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.actions[key] = action

    # ---- state -------------------------------------------------------------------------------
    def update_enabled(self) -> None:
        s = self.session
        has_spec = s.spectrogram is not None
        for key in ("array", "image", "figure"):
            self.actions[key].setEnabled(has_spec)
        self.actions["waveform"].setEnabled(s.clip is not None)
        self.actions["wav"].setEnabled(s.clip is not None)
        self.actions["selection"].setEnabled(s.clip is not None and s.selection is not None)
        self.actions["python"].setEnabled(has_spec and s.path is not None)
        self.actions["folder"].setEnabled(self.window.browser.folder is not None and self.job is None)

    def _base_name(self) -> str:
        clip = self.session.clip
        return Path(clip.name).stem.replace(" ", "_") if clip is not None else "spectrogram"

    def _ask(self, title: str, suffix_filter: str, default: str) -> Path | None:
        folder = self.window.browser.folder or Path.home()
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(folder) / default),
                                              suffix_filter)
        return Path(path) if path else None

    def _done(self, path: Path) -> None:
        self.window.statusBar().showMessage(f"Exported {shown(path)}", 8000)

    def _report(self, action, *args) -> Path | None:
        """Run one export; a failure is one line in a dialog (and the status bar), not a
        traceback on stderr."""
        try:
            path = action(*args)
        except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: libsndfile's
            message = str(exc) if isinstance(exc, atomic.WriteError) else f"Export failed: {exc}"
            self.window.statusBar().showMessage(message, 15000)
            QMessageBox.warning(self.window, "Export failed", message)
            return None
        self._done(path)
        return path

    # ---- one view -----------------------------------------------------------------------------
    def export_array(self, path: str | Path) -> Path:
        """The array the spectrogram view shows, as it is (bins x frames, float32)."""
        path = Path(path).with_suffix(".npy")
        return atomic.save_npy(path, self.session.spectrogram.values)

    def export_image(self, path: str | Path, colormap: str | None = None, depth: int = 8) -> Path:
        """One pixel per bin and frame, low frequencies at the bottom."""
        path = Path(path).with_suffix(".png")
        cmap = colormap or self.window.spectrogram.colormap
        images.write_png(path, images.spectrogram_pixels(self.session.spectrogram.values, cmap, depth))
        return path

    def export_figure(self, path: str | Path, view: QWidget | None = None) -> Path:
        return save_figure(view or self.window.spectrogram, path)

    def export_wav(self, path: str | Path, selection: bool = False,
                   subtype: str | None = None) -> Path:
        """The current clip (the resampled one when resampled), or the selected part of it, in
        the source's sample format unless told (`wav_subtype_for`)."""
        clip = self.session.clip
        subtype = subtype or wav_subtype_for(clip)
        if selection and self.session.selection is not None:
            clip = clip.slice(*self.session.selection)
        path = Path(path).with_suffix(".wav")
        return atomic.write_sound(path, clip.samples, clip.sample_rate, subtype=subtype,
                                  format="WAV")

    def is_open_file(self, path: str | Path) -> bool:
        """True when path is the file the window shows (saving over it replaces the recording)."""
        current = self.session.path
        if current is None:
            return False
        try:
            return os.path.samefile(path, current)
        except OSError:
            return False

    def python_code(self) -> str:
        s = self.session
        spec = s.spectrogram
        return python_snippet(s.path, spec.params, spec.sample_rate,
                              resampled=s.target_rate is not None, channel=s.spec_channel)

    def copy_python(self) -> str:
        if self.session.spectrogram is None or self.session.path is None:
            self.window.statusBar().showMessage("Copy as Python needs a spectrogram of a file", 8000)
            return ""
        code = self.python_code()
        QGuiApplication.clipboard().setText(code)
        self.window.statusBar().showMessage("Copied the librosa code for this spectrogram", 8000)
        return code

    def _ask_array(self) -> None:
        path = self._ask("Export spectrogram array", "NumPy array (*.npy)", self._base_name() + ".npy")
        if path:
            self._report(self.export_array, path)

    def _ask_image(self) -> None:
        path = self._ask("Export spectrogram image", "PNG image (*.png)", self._base_name() + ".png")
        if path:
            self._report(self.export_image, path)

    def _ask_figure(self) -> None:
        path = self._ask("Export spectrogram figure", "PNG image (*.png);;SVG drawing (*.svg)",
                         self._base_name() + "-spectrogram.png")
        if path and self._may_replace(path, "the figure"):
            self._report(self.export_figure, path)

    def _ask_waveform(self) -> None:
        path = self._ask("Export waveform figure", "PNG image (*.png);;SVG drawing (*.svg)",
                         self._base_name() + "-waveform.png")
        if path and self._may_replace(path, "the figure"):
            self._report(self.export_figure, path, self.window.waveform)

    def _may_replace(self, path: Path, what: str) -> bool:
        """False unless the user agrees, when path is the recording open in the window."""
        if not self.is_open_file(path):
            return True
        answer = QMessageBox.question(
            self.window, "Replace the open file?",
            f"{shown(path.name)} is the file open in the window. Replace it with {what}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_wav(self, selection: bool) -> None:
        suffix = "-selection" if selection else ""
        filters, preselected = wav_filters(wav_subtype_for(self.session.clip))
        folder = self.window.browser.folder or Path.home()
        default = Path(folder) / (self._base_name() + suffix + ".wav")
        name, chosen = QFileDialog.getSaveFileName(
            self.window, "Export WAV", str(default), ";;".join(text for _, text in filters),
            preselected)
        if not name:
            return
        subtype = next((st for st, text in filters if text == chosen), None)
        path = Path(name).with_suffix(".wav")
        what = "the selection" if selection else "the clip"
        reload = self.is_open_file(path)
        if not self._may_replace(path, f"{what} ({subtype or wav_subtype_for(self.session.clip)})"):
            return
        written = self._report(self.export_wav, path, selection, subtype)
        if written is not None and reload:  # show what the file now holds
            self.window.browser.refresh(written)
            self.session.open_path(written)

    # ---- a whole folder ---------------------------------------------------------------------
    def settings_for(self, fmt: str = "png", colormap: str | None = None,
                     depth: int | None = 8) -> batch.ExportSettings:
        """The window's parameters (and resample rate) as batch export settings."""
        return batch.ExportSettings(params=self.session.params, format=fmt,
                                    colormap=colormap or self.window.spectrogram.colormap,
                                    depth=depth, sr=self.session.target_rate)

    def start_folder_export(self, out: str | Path, settings: batch.ExportSettings,
                            recursive: bool = False, force: bool = False,
                            jobs: int | None = None, show_progress: bool = True) -> FolderExport:
        src = Path(self.window.browser.folder)
        job = FolderExport(src, Path(out), settings, recursive, force, jobs or os.cpu_count() or 1,
                           self)
        self.job = job
        progress = None
        if show_progress:
            progress = QProgressDialog(f"Exporting {src.name}…", "Cancel", 0, 0, self.window)
            progress.setWindowTitle("Export folder")
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)
            progress.canceled.connect(job.cancel)
            job.progressed.connect(lambda p: self._show_progress(progress, p))
        job.finished.connect(lambda summary: self._folder_finished(summary, Path(out), progress))
        job.failed.connect(lambda message: self._folder_failed(message, progress))
        job.start()
        self.update_enabled()
        return job

    @staticmethod
    def _show_progress(dialog: QProgressDialog, p: batch.ExportProgress) -> None:
        dialog.setMaximum(max(1, p.total))
        dialog.setValue(p.done)
        left = p.remaining_seconds
        eta = f", about {left:.0f} s left" if left is not None else ""
        dialog.setLabelText(f"{p.done} of {p.total} files — {p.rate:.1f} files/s{eta}")

    def _folder_finished(self, summary: batch.ExportSummary, out: Path, progress) -> None:
        self.job = None
        self.last_summary = summary
        if progress is not None:
            progress.reset()
        self.update_enabled()
        text = summary_text(summary, out)
        self.window.statusBar().showMessage(summary.stopped or text.splitlines()[0], 15000)
        if progress is not None:
            box = QMessageBox(QMessageBox.Icon.Information if not (summary.failed or summary.stopped)
                              else QMessageBox.Icon.Warning, "Export folder", text, parent=self.window)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.open()

    def _folder_failed(self, message: str, progress) -> None:
        self.job = None
        if progress is not None:
            progress.reset()
        self.update_enabled()
        self.window.statusBar().showMessage(f"Export failed: {message}", 15000)
        if progress is not None:
            QMessageBox.warning(self.window, "Export folder", message)

    def _ask_folder(self) -> None:
        src = self.window.browser.folder
        if src is None:
            return
        dialog = FolderExportDialog(Path(src), self.window.spectrogram.colormap, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fmt = dialog.format_box.currentText()
        colormap, depth = dialog.picture() if fmt == "png" else (None, None)
        out = Path(dialog.out_edit.text()).expanduser()
        settings = self.settings_for(fmt, colormap, depth)
        force = dialog.force_box.isChecked()
        try:
            batch.plan(src, out, settings, recursive=dialog.recursive_box.isChecked(), force=force)
        except batch.ParamsChanged as exc:
            answer = QMessageBox.question(
                self.window, "Export folder",
                f"{out} holds an export with other settings:\n{exc}\n\nRedo every file?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            force = True
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export folder", str(exc))
            return
        self.start_folder_export(out, settings, dialog.recursive_box.isChecked(), force,
                                 dialog.jobs_spin.value())


def summary_text(summary: batch.ExportSummary, out: Path) -> str:
    """What the end-of-export box says: counts first, then each failure with its reason."""
    head = "Cancelled: " if summary.cancelled else "Stopped: " if summary.stopped else ""
    left = f", {summary.left} not written" if summary.left else ""
    lines = [f"{head}{summary.written} written, {summary.up_to_date} already done, "
             f"{summary.failed} failed{left} ({summary.seconds:.1f} s) in {shown(out)}"]
    if summary.stopped:
        lines.append(f"  {shown(summary.stopped)}")
    for result in summary.failures[:20]:
        lines.append(f"  {shown(Path(result.src).name)}: {result.reason}")
    if len(summary.failures) > 20:
        lines.append(f"  … and {len(summary.failures) - 20} more")
    return "\n".join(lines)
