"""Export from the window: arrays, images, figures, WAV, Python code, and a whole folder."""

from __future__ import annotations

import base64
import contextlib
import io
import re
import shutil

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtGui import QGuiApplication, QImage

from explorer.model.spectrogram import compute_file
from tests.pngs import decode_png


def test_actions_are_in_the_file_menu_and_follow_the_state(make_window):
    window = make_window()
    menu = window.export_menu
    file_menu = window.menuBar().actions()[0].menu()
    assert menu.menu.menuAction() in file_menu.actions()
    assert not menu.actions["array"].isEnabled()  # nothing loaded yet
    assert menu.actions["array"].shortcut().toString() == "Ctrl+Shift+A"


def test_array_image_and_wav_equal_what_is_shown(window_on_samples, tmp_path):
    window = window_on_samples
    menu = window.export_menu
    assert menu.actions["array"].isEnabled() and menu.actions["python"].isEnabled()
    values = window.session.spectrogram.values
    np.testing.assert_array_equal(np.load(menu.export_array(tmp_path / "a.npy")), values)
    grey = decode_png(menu.export_image(tmp_path / "g.png", "gray", 16))
    assert grey.shape == values.shape and grey.dtype == np.uint16
    row, col = np.unravel_index(np.argmax(values), values.shape)
    assert grey[values.shape[0] - 1 - row, col] == 65535  # low frequencies at the bottom
    rgb = decode_png(menu.export_image(tmp_path / "c.png"))
    assert rgb.shape == (*values.shape, 3)
    clip = window.session.clip
    data, rate = sf.read(menu.export_wav(tmp_path / "clip.wav"), dtype="float32", always_2d=True)
    assert rate == clip.sample_rate
    np.testing.assert_array_equal(data, clip.samples)
    window.session.set_selection((0.5, 1.0))
    part, _ = sf.read(menu.export_wav(tmp_path / "part.wav", selection=True), always_2d=True)
    assert part.shape[0] == pytest.approx(0.5 * clip.sample_rate, abs=1)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), -1)[:, :image.width()].copy()


def test_figures_as_png_and_svg(window_on_samples, tmp_path):
    window = window_on_samples
    menu = window.export_menu
    # PNG: decoded by Qt's reader, the view's own pixels, spectrogram and all
    png = menu.export_figure(tmp_path / "spec.png")
    on_screen = _pixels(window.spectrogram.grab().toImage())
    saved = _pixels(QImage(str(png)))
    assert saved.shape == on_screen.shape and saved.shape[1] > 300
    np.testing.assert_array_equal(saved, on_screen)
    assert np.unique(saved).size > 100  # a spectrogram, not a blank frame
    # SVG: the axis labels as text, and the spectrogram as the very image drawn on screen
    svg = menu.export_figure(tmp_path / "spec.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and svg.rstrip().endswith("</svg>")
    texts = [t.strip() for t in re.findall(r">([^<>]+)</text>", svg)]
    assert {"time", "frequency (Hz)", "-80 dB", "+0 dB"} <= set(texts)
    drawn = window.spectrogram.image.qimage
    embedded = [QImage.fromData(base64.b64decode(data), "PNG")
                for data in re.findall(r'<image [^>]*href="data:image/png;base64,([^"]+)"', svg)]
    same = [im for im in embedded if im.size() == drawn.size()]
    assert same and np.unique(_pixels(same[0])).size > 100
    np.testing.assert_array_equal(_pixels(same[0]), _pixels(drawn))
    wave = menu.export_figure(tmp_path / "wave.svg", window.waveform).read_text()
    assert {"time", "amplitude"} <= {t.strip() for t in re.findall(r">([^<>]+)</text>", wave)}
    assert "<path" in wave or "<polyline" in wave  # the curve, as vectors


def test_copy_as_python_reproduces_the_array(window_on_samples):
    window = window_on_samples
    code = window.export_menu.copy_python()
    assert QGuiApplication.clipboard().text() == code
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<clipboard>", "exec"), namespace)  # noqa: S102  (our own code)
    np.testing.assert_allclose(namespace["S_db"], window.session.spectrogram.values, atol=1e-4)


def test_folder_export_in_the_background_with_a_summary(qtbot, make_window, samples_dir, tmp_path):
    src = tmp_path / "data"
    src.mkdir()
    for name in ("speech_198-209-0000.wav", "robin_44k_stereo.wav"):
        shutil.copy(samples_dir / name, src / name)
    (src / "broken.wav").write_text("not audio")
    window = make_window()
    window.open_paths([str(src)])
    qtbot.waitUntil(lambda: window.browser.folder is not None, timeout=10000)
    menu = window.export_menu
    settings = menu.settings_for("npy")
    job = menu.start_folder_export(tmp_path / "out", settings, jobs=1, show_progress=False)
    assert not menu.actions["folder"].isEnabled()  # one export at a time
    seen = []
    job.progressed.connect(seen.append)
    qtbot.waitUntil(lambda: menu.last_summary is not None, timeout=120000)
    summary = menu.last_summary
    assert (summary.written, summary.failed) == (2, 1)
    assert "broken.wav" in summary.failures[0].src.name
    out = np.load(tmp_path / "out" / "robin_44k_stereo.npy")
    np.testing.assert_array_equal(out, compute_file(src / "robin_44k_stereo.wav", settings.params).values)
    assert (tmp_path / "out" / "params.json").exists()
    assert menu.actions["folder"].isEnabled()


def test_folder_export_can_be_cancelled(qtbot, make_window, samples_dir, tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(40):
        shutil.copy(samples_dir / "speech_198-209-0000.wav", src / f"clip{i:02d}.wav")
    window = make_window()
    window.open_paths([str(src)])
    qtbot.waitUntil(lambda: window.browser.folder is not None, timeout=10000)
    menu = window.export_menu
    job = menu.start_folder_export(tmp_path / "out", menu.settings_for(), jobs=1, show_progress=False)
    job.progressed.connect(lambda p: job.cancel())
    qtbot.waitUntil(lambda: menu.last_summary is not None, timeout=120000)
    summary = menu.last_summary
    assert summary.cancelled and summary.written < 40
    assert not list((tmp_path / "out").glob("*.part")) and not list((tmp_path / "out").glob(".*"))
    loaded = window.session.loaded
    assert loaded is None or loaded.original.path.parent == src
