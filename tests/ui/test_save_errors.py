"""Saving from the window: the source's sample format kept, the open file replaced only when
confirmed, and a full disk said in a dialog with the old file byte-identical."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtWidgets import QMessageBox

from explorer.ui.export import menu as export_menu
from tests.ui.conftest import wait_loaded


class Dialogs:
    """Stand-ins for the modal dialogs: what the user answers, and what the window said."""

    def __init__(self, monkeypatch, save_as=None, answer=QMessageBox.StandardButton.Yes):
        self.save_as = save_as
        self.filter = None
        self.answer = answer
        self.asked: list[str] = []
        self.warnings: list[str] = []
        self.offered: tuple[str, str] | None = None
        monkeypatch.setattr(export_menu.QFileDialog, "getSaveFileName", self._save)
        monkeypatch.setattr(export_menu.QMessageBox, "question", self._question)
        monkeypatch.setattr(export_menu.QMessageBox, "warning", self._warning)

    def _save(self, parent, title, start, filters, selected=""):
        self.offered = (filters, selected)
        return str(self.save_as), self.filter or selected

    def _question(self, parent, title, text, *args):
        self.asked.append(text)
        return self.answer

    def _warning(self, parent, title, text, *args):
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def window_on(qtbot, make_window):
    def open_file(path):
        window = make_window()
        window.open_paths([str(path)])
        wait_loaded(qtbot, window, path)
        return window

    return open_file


def test_clip_and_selection_keep_the_source_format(window_on, tmp_path, speech_path,
                                                   trumpet_path):
    window = window_on(speech_path)
    menu = window.export_menu
    source, _ = sf.read(speech_path, dtype="int16")
    written = menu.export_wav(tmp_path / "clip.wav")
    assert sf.info(written).subtype == "PCM_16"
    data, _ = sf.read(written, dtype="int16")
    np.testing.assert_array_equal(data, source)  # the same samples, bit for bit
    window.session.set_selection((1.0, 2.0))
    part = menu.export_wav(tmp_path / "part.wav", selection=True)
    assert sf.info(part).subtype == "PCM_16" and sf.info(part).frames == 16000
    window = window_on(trumpet_path)
    assert sf.info(window.export_menu.export_wav(tmp_path / "t.wav")).subtype == "PCM_24"


def test_the_dialog_offers_subtypes_with_the_sources_preselected(window_on, monkeypatch,
                                                                 tmp_path, speech_path):
    window = window_on(speech_path)
    dialogs = Dialogs(monkeypatch, save_as=tmp_path / "out.wav")
    window.export_menu.actions["wav"].trigger()
    filters, selected = dialogs.offered
    assert selected == "WAV, 16-bit PCM (*.wav)"
    assert "WAV, 32-bit float (*.wav)" in filters.split(";;") and selected in filters.split(";;")
    assert sf.info(tmp_path / "out.wav").subtype == "PCM_16"
    dialogs.filter = "WAV, 32-bit float (*.wav)"
    window.export_menu.actions["wav"].trigger()
    assert sf.info(tmp_path / "out.wav").subtype == "FLOAT"
    assert not dialogs.asked and not dialogs.warnings


def test_replacing_the_open_file_asks_first(qtbot, window_on, monkeypatch, tmp_path, speech_path):
    path = tmp_path / "rec.wav"
    shutil.copy(speech_path, path)
    window = window_on(path)
    before = path.read_bytes()
    dialogs = Dialogs(monkeypatch, save_as=path, answer=QMessageBox.StandardButton.Cancel)
    dialogs.filter = "WAV, 32-bit float (*.wav)"
    window.session.set_selection((0.0, 1.0))
    window.export_menu.actions["selection"].trigger()
    assert len(dialogs.asked) == 1 and "rec.wav" in dialogs.asked[0]
    assert path.read_bytes() == before  # declined: untouched
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.export_menu.actions["selection"].trigger()
    assert len(dialogs.asked) == 2
    assert sf.info(path).subtype == "FLOAT" and sf.info(path).frames == 16000
    row = window.browser.model.row_of(path)
    qtbot.waitUntil(lambda: window.browser.model.facts[row].subtype == "FLOAT", timeout=5000)
    qtbot.waitUntil(lambda: window.session.original is not None
                    and window.session.original.frames == 16000, timeout=10000)


def test_full_disk_under_the_open_file_shows_why_and_keeps_it(window_on, monkeypatch,
                                                              small_disk, speech_path):
    path = small_disk.root / "speech.wav"
    shutil.copy(speech_path, path)
    window = window_on(path)
    before = small_disk.files()
    small_disk.fill()
    dialogs = Dialogs(monkeypatch, save_as=path)
    dialogs.filter = "WAV, 32-bit float (*.wav)"  # twice the size: the case that cut the file
    window.export_menu.actions["wav"].trigger()
    assert len(dialogs.asked) == 1
    assert dialogs.warnings == [f"cannot write {path}: disk full"]
    assert small_disk.files() == before
    assert "disk full" in window.statusBar().currentMessage()


@pytest.mark.parametrize("kind", ["array", "image", "figure", "waveform"])
def test_every_window_export_on_a_full_disk(window_on, monkeypatch, small_disk, speech_path,
                                            kind):
    window = window_on(speech_path)
    names = {"array": "x.npy", "image": "x.png", "figure": "x.svg", "waveform": "x.png"}
    path = small_disk.root / names[kind]
    path.write_bytes(b"old " * 100)
    small_disk.fill()
    dialogs = Dialogs(monkeypatch, save_as=path)
    window.export_menu.actions[kind].trigger()
    assert dialogs.warnings == [f"cannot write {path}: disk full"]
    assert small_disk.files() == {names[kind]: b"old " * 100}


def test_figures_still_write_png_and_svg(window_on, tmp_path, speech_path):
    menu = window_on(speech_path).export_menu
    png = menu.export_figure(tmp_path / "f.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = menu.export_figure(tmp_path / "f.svg").read_text()
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")


def test_folder_export_onto_a_full_disk_says_it_once(qtbot, make_window, small_disk, tmp_path,
                                                     speech_path):
    from explorer.model import export as batch
    from tests.model.test_export import write_clips

    src = tmp_path / "src"
    write_clips(src, speech_path, 10)
    window = make_window()
    window.open_paths([str(src)])
    wait_loaded(qtbot, window, src / "clip0.wav")  # its status message comes first
    menu = window.export_menu
    settings = menu.settings_for("npy")
    out = small_disk.root / "out"
    batch.prepare_output(out, settings)
    small_disk.fill()
    menu.start_folder_export(out, settings, jobs=1, show_progress=False)
    qtbot.waitUntil(lambda: menu.last_summary is not None, timeout=60000)
    text = export_menu.summary_text(menu.last_summary, out).splitlines()
    assert text[0].startswith("Stopped: 0 written, 0 already done, 0 failed, 10 not written")
    assert text[1:] == [f"  cannot write {out / 'clip0.npy'}: disk full"]
    assert window.statusBar().currentMessage() == f"cannot write {out / 'clip0.npy'}: disk full"
    assert [p.name for p in out.iterdir()] == ["params.json"]


def test_folder_export_into_a_read_only_folder_fails_in_words(qtbot, make_window, small_disk,
                                                              tmp_path, speech_path):
    from tests.model.test_export import write_clips

    src = tmp_path / "src"
    write_clips(src, speech_path, 3)
    window = make_window()
    window.open_paths([str(src)])
    wait_loaded(qtbot, window, src / "clip0.wav")  # its status message comes first
    small_disk.read_only()
    menu = window.export_menu
    menu.start_folder_export(small_disk.root / "out", menu.settings_for("npy"), jobs=1,
                             show_progress=False)
    qtbot.waitUntil(lambda: menu.job is None, timeout=60000)
    assert window.statusBar().currentMessage() == (
        f"Export failed: cannot write {small_disk.root / 'out'}: read-only file system")
