"""Bad files, the info panel, resampling, in-memory clips, settings and audio-less start."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from explorer.model import from_array, info, load
from tests.ui.conftest import wait_loaded


def test_bad_file_shows_error_and_app_goes_on(qtbot, make_window, speech_path, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(speech_path, folder / "a_good.wav")
    (folder / "b_broken.wav").write_bytes(b"this is not a wave file at all" * 10)
    shutil.copy(speech_path, folder / "c_good.wav")
    window = make_window()
    window.open_paths([str(folder)])
    wait_loaded(qtbot, window, (folder / "a_good.wav").resolve())
    window.browser.model.wait(5000)
    table = window.browser.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    bad = (folder / "b_broken.wav").resolve()
    qtbot.waitUntil(lambda: window.session.error is not None, timeout=10000)
    assert "not an audio file" in window.session.error
    assert "b_broken.wav" in window.info.text() and "Cannot open" in window.info.text()
    row = window.browser.model.row_of(bad)
    cell = window.browser.model.index(row, 1).data()
    assert cell == "⚠ not audio"  # short in the cell, whole in the tooltip
    tip = window.browser.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "not an audio file" in tip
    assert window.spectrogram.spec is None
    qtbot.keyClick(table, Qt.Key.Key_Down)
    wait_loaded(qtbot, window, (folder / "c_good.wav").resolve())
    assert window.session.error is None


def test_info_panel_for_known_file_and_resampled(qtbot, make_window, speech_path):
    window = make_window()
    window.open_paths([str(speech_path)])
    wait_loaded(qtbot, window, speech_path.resolve())
    facts = info(speech_path)
    clip = load(speech_path)
    text = window.info.text()
    for piece in ("speech_198-209-0000.wav", "16000 Hz", f"{facts.frames} samples",
                  f"{facts.duration:.3f} s", "WAV/PCM_16", "float32",
                  f"{clip.peak_dbfs():.2f} dBFS", f"{clip.rms_dbfs():.2f} dBFS",
                  str(clip.mono()).replace("\n", "")):
        assert piece in text, piece
    assert "..." in str(clip.mono())  # numpy's summarised form, shown on one line
    window.transport.set_target_rate(8000)
    qtbot.waitUntil(lambda: window.session.clip is not None
                    and window.session.clip.sample_rate == 8000, timeout=30000)
    text = window.info.text()
    assert "Resampled to 8000 Hz" in text and "16000 Hz" in text
    assert str(window.session.clip.mono()).replace("\n", "") in text
    assert window.playback.clip.sample_rate == 8000
    qtbot.waitUntil(lambda: window.spectrogram.spec is not None
                    and window.spectrogram.spec.sample_rate == 8000, timeout=30000)


def test_open_clip_from_memory(qtbot, make_window):
    window = make_window()
    t = np.arange(22050) / 22050
    clip = from_array(0.5 * np.sin(2 * np.pi * 440 * t), 22050, name="tone 440 Hz")
    window.open_clip(clip)
    qtbot.waitUntil(lambda: window.spectrogram.spec is not None, timeout=30000)
    assert window.windowTitle() == "Audio Explorer — tone 440 Hz"
    spec = window.spectrogram.spec
    peak_row = int(np.argmax(spec.values[:, spec.values.shape[1] // 2]))
    assert abs(spec.frequencies[peak_row] - 440) < 15


def test_without_audio_the_app_starts_with_transport_disabled(qtbot, make_window, samples_dir):
    window = make_window(player=None)
    window.open_initial([])
    assert not window.transport.play_button.isEnabled()
    assert "playback disabled" in window.audio_label.text()
    assert window.transport.resample_box.isEnabled()
    first = sorted(samples_dir.glob("*.wav"))[0]
    wait_loaded(qtbot, window, first.resolve())
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.open_file_action.shortcut().toString() == "Ctrl+O"
    assert window.open_folder_action.shortcut().toString() == "Ctrl+Shift+O"


def test_settings_remembered(qtbot, make_window, samples_dir, private_settings):
    window = make_window()
    window.open_paths([str(samples_dir)])
    window.controls.colormap.setCurrentText("viridis")
    window.controls.notebook_button.click()
    window.close()
    assert (private_settings / "audio-explorer.ini").exists()
    again = make_window()
    assert again.session.params.kind == "mel" and again.session.params.db_ref == "min"
    assert again.spectrogram.colormap == "viridis"
    assert again._recent()[0] == str(samples_dir.resolve())


def test_big_folder_lists_at_once_and_fills_in(qtbot, make_window, tmp_path):
    import time

    import soundfile as sf

    folder = tmp_path / "big"
    folder.mkdir()
    tone = (0.1 * np.sin(np.arange(800) / 5)).astype(np.float32)
    for i in range(1500):
        sf.write(folder / f"utt{i}.wav", tone, 8000, subtype="PCM_16")
    window = make_window()
    start = time.perf_counter()
    window.open_paths([str(folder)])
    elapsed = time.perf_counter() - start
    assert window.browser.count_text() == "1500 files"
    assert elapsed < 1.5, f"listing took {elapsed:.2f} s on the GUI thread"
    model = window.browser.model
    qtbot.waitUntil(lambda: all(f is not None for f in model.facts), timeout=30000)
    assert model.index(1499, 1).data() == "0.10 s"
    assert model.paths[2].name == "utt2.wav"  # natural order: utt2 before utt10
    wait_loaded(qtbot, window, (folder / "utt0.wav").resolve())
    window.browser.filter.setText("utt14")
    assert window.browser.count_text() == "111 of 1500"


def test_tone_and_scales_docks_share_the_player(qtbot, make_window, fake_player):
    from PySide6.QtWidgets import QDockWidget

    window = make_window()
    titles = {d.windowTitle() for d in window.findChildren(QDockWidget)}
    assert {"Files", "Info", "Spectrogram", "Tone generator", "Scales"} <= titles
    assert not window._tone_page.is_built  # built on first use, not at start-up
    assert window.tone_panel.player() is window.player
    assert window.tabifiedDockWidgets(window.controls_dock)
    clip = from_array(np.zeros(4000, np.float32) + 0.1, 8000, name="from the tone panel")
    window.tone_panel.openInExplorer.emit(clip)
    qtbot.waitUntil(lambda: window.session.clip is not None, timeout=10000)
    assert window.windowTitle() == "Audio Explorer — from the tone panel"


def test_hidden_panels_are_built_when_their_tab_is_raised(qtbot, make_window):
    from PySide6.QtWidgets import QDockWidget

    window = make_window()
    qtbot.wait(50)
    assert not window._scales_page.is_built
    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Scales")
    dock.raise_()
    qtbot.waitUntil(lambda: window._scales_page.is_built, timeout=3000)
    qtbot.waitUntil(window.scales_panel.isVisible, timeout=3000)  # shown by a queued call


def test_tone_opened_in_explorer_shows_the_models_spectrogram(qtbot, make_window):
    from explorer.model import SpectrogramParams, compute
    from explorer.ui.spectrogram.view import stats_text

    window = make_window()
    panel = window.tone_panel
    name = next(n for n in panel.presets() if "5000" in n and "500 " in n)  # 500 + 5000 Hz mixed
    panel.apply_preset(name)
    clip = panel.open_in_explorer()
    np.testing.assert_array_equal(clip.mono(), panel.result().astype(np.float32))
    qtbot.waitUntil(lambda: window.spectrogram.spec is not None
                    and window.session.clip is not None and window.session.clip.name == clip.name,
                    timeout=20000)
    window.session.set_params(SpectrogramParams(kind="mel"))
    qtbot.waitUntil(lambda: window.spectrogram.spec is not None
                    and window.spectrogram.spec.params.kind == "mel", timeout=20000)
    expected = compute(clip, SpectrogramParams(kind="mel"))
    assert window.spectrogram.spec.stats == expected.stats
    assert stats_text(expected) in window.spectrogram.stats_label.text()


def test_opening_one_file_reveals_its_folder_in_the_tree(qtbot, make_window, robin_path):
    window = make_window()
    window.open_paths([str(robin_path)])
    browser = window.browser
    qtbot.waitUntil(lambda: browser.dirs.filePath(browser.tree.currentIndex())
                    == str(robin_path.parent.resolve()), timeout=5000)


def test_a_file_whose_header_lies_opens_with_a_warning(qtbot, make_window, trumpet_path, tmp_path):
    """The table row gets a warning icon and the warning in its tooltip; the info panel says it."""
    from PySide6.QtGui import QIcon

    folder = tmp_path / "recorder"
    folder.mkdir()
    short = folder / "b_short.wav"
    short.write_bytes(trumpet_path.read_bytes()[:-3])  # 3 bytes short of its last frame
    shutil.copy(trumpet_path, folder / "a_whole.wav")
    window = make_window()
    window.open_paths([str(folder)])
    wait_loaded(qtbot, window, (folder / "a_whole.wav").resolve())
    model = window.browser.model
    model.wait(5000)
    qtbot.waitUntil(lambda: all(f is not None for f in model.facts), timeout=10000)
    warning = ("the header promises 1,411,206 bytes of audio, the file holds 1,411,203: "
               "showing the 235,200 frames present")
    row, whole = model.row_of(short.resolve()), model.row_of((folder / "a_whole.wav").resolve())
    icon = model.index(row, 0).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert model.index(whole, 0).data(Qt.ItemDataRole.DecorationRole) is None
    assert warning in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 1).data() == "5.33 s"  # a duration, not an error
    table = window.browser.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    wait_loaded(qtbot, window, short.resolve())
    assert window.session.error is None
    text = window.info.text()
    assert "Warning" in text and warning in text and "235200 samples" in text


def test_long_file_info_shows_the_warning(tmp_path, speech_path):
    from explorer.model.overview import OverviewBuilder
    from explorer.ui.state.long_file import LongClip, long_summary
    from tests.model.mutants import set_data_size

    path = tmp_path / "crashed.wav"
    path.write_bytes(set_data_size(speech_path.read_bytes()[:1044], 0xFFFFFFFE))
    clip = LongClip(info(path))
    overview = OverviewBuilder.for_file(path).read_file()
    rows = dict(long_summary(clip, overview)[id(clip)][0])
    assert rows["Warning"] == ("the header promises 4,294,967,294 bytes of audio, the file holds "
                               "1,000: showing the 500 frames present")
    assert rows["Length"] == "500 samples"
    assert clip.read(0, 1000).shape == (500, 1)


def test_durations_round_once_as_the_time_axes_do():
    from explorer.ui.files.browser import format_duration

    assert [format_duration(s) for s in (13.914, 65.3, 119.96, 3599.97, 3661.25)] == \
        ["13.91 s", "1:05.3", "2:00.0", "1:00:00.0", "1:01:01.2"]  # never "1:60.0"


def _crowded_folder(folder: Path, wavs: int = 3, other: int = 2500) -> list[Path]:
    """A folder with more entries than the GUI thread lists itself (non-audio files: quick)."""
    import soundfile as sf

    from explorer.ui.files.browser import QUICK_LISTING

    assert other > QUICK_LISTING
    folder.mkdir()
    for i in range(other):
        (folder / f"note{i}.txt").touch()
    tone = (0.1 * np.sin(np.arange(1600) / 5)).astype(np.float32)
    paths = [folder / f"utt{i}.wav" for i in range(wavs)]
    for path in paths:
        sf.write(path, tone, 8000, subtype="PCM_16")
    return [p.resolve() for p in paths]


def test_a_crowded_folder_is_listed_by_a_thread_then_its_first_file_opens(qtbot, make_window,
                                                                           tmp_path):
    paths = _crowded_folder(tmp_path / "crowded")
    window = make_window()
    listed = []
    window.browser.folderListed.connect(lambda folder, files: listed.append(list(files)))
    assert window.open_paths([str(tmp_path / "crowded")])
    if window.browser.listing():  # (a fast machine may be done before we look)
        assert window.browser.count_text() == "listing…"
        assert "listing" in window.browser.folder_label.text()
    qtbot.waitUntil(lambda: bool(listed), timeout=20000)
    assert listed == [paths]
    assert window.browser.count_text() == "3 files"
    assert window.browser.current_path() == paths[0]
    wait_loaded(qtbot, window, paths[0])
    assert window.dataset.dock.isVisible()  # a folder opened shows its dataset


def test_a_file_of_a_crowded_folder_opens_at_once_and_its_folder_follows(qtbot, make_window,
                                                                         tmp_path):
    paths = _crowded_folder(tmp_path / "crowded")
    window = make_window()
    assert window.open_paths([str(paths[1])])
    assert window.browser.current_path() == paths[1]  # the file alone, or already its folder
    qtbot.waitUntil(lambda: window.browser.model.paths == paths, timeout=20000)
    assert window.browser.current_path() == paths[1]
    assert window.browser.folder == paths[1].parent
    wait_loaded(qtbot, window, paths[1])
    assert not window.dataset.dock.isVisible()  # a file opened alone: its folder is not shown


def test_a_newer_folder_drops_a_crowded_folders_listing(qtbot, make_window, tmp_path, samples_dir):
    _crowded_folder(tmp_path / "crowded")
    window = make_window()
    window.open_paths([str(tmp_path / "crowded")])
    window.open_paths([str(samples_dir)])  # small: listed at once
    shown_now = list(window.browser.model.paths)
    assert window.browser.wait_listed(20000)
    qtbot.wait(100)
    assert window.browser.model.paths == shown_now
    assert window.browser.folder == samples_dir.resolve()
