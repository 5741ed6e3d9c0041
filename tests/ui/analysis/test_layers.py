"""The layers draw exactly what librosa returns, on the real recordings, on every axis."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from explorer.model.analysis.features import PITCH_FMAX, PITCH_FMIN
from explorer.ui.analysis.worker import PROCESS
from explorer.ui.spectrogram.axes import axis_coordinates
from tests.ui.analysis.conftest import show_layer


def test_pitch_curve_is_pyin_on_every_axis(qtbot, window_on, speech_path):
    window = window_on(speech_path)
    data = show_layer(qtbot, window, "pyin")
    y, sr = librosa.load(speech_path, sr=None, mono=True)
    f0, voiced, _ = librosa.pyin(y, sr=sr, fmin=PITCH_FMIN, fmax=PITCH_FMAX)
    times = librosa.times_like(f0, sr=sr)
    assert voiced.any() and (~voiced).any()  # speech has both
    item = window.analysis.overlay.items["pyin"]
    for mode in ("Hz", "mel", "log"):
        window.controls.axis_mode.setCurrentText(mode)
        qtbot.wait(20)
        assert window.spectrogram.axis_mode == mode
        x, drawn = item.getOriginalDataset()
        np.testing.assert_allclose(x, times)
        # voiced frames: f0 mapped to the axis; unvoiced: NaN, so the curve breaks there
        np.testing.assert_array_equal(np.isnan(drawn), np.isnan(f0))
        np.testing.assert_allclose(drawn[voiced], axis_coordinates(f0[voiced], mode))
    assert item.opts["connect"] == "finite"
    assert np.array_equal(data.result.rows["f0"], f0, equal_nan=True)
    # the CQT view: rows at log2(Hz), the same curve over it
    show_layer(qtbot, window, "cqt")
    cqt_item = window.analysis.images["cqt"].overlay.items["pyin"]
    x, drawn = cqt_item.getOriginalDataset()
    np.testing.assert_allclose(drawn[voiced], np.log2(f0[voiced]))
    assert np.isnan(drawn[~voiced]).all()
    assert "Pitch (pyin)" in [label.text for _, label in window.analysis.overlay.legend.items]


def test_onset_and_beat_markers_at_librosas_times(qtbot, window_on, trumpet_path):
    window = window_on(trumpet_path)
    show_layer(qtbot, window, "onsets")
    beats = show_layer(qtbot, window, "beats")
    y, sr = librosa.load(trumpet_path, sr=None, mono=True)
    onsets = librosa.onset.onset_detect(y=y, sr=sr, units="time")
    tempo, beat_times = librosa.beat.beat_track(y=y, sr=sr, units="time")
    overlay = window.analysis.overlay
    x, lines = overlay.items["onsets"].getOriginalDataset()
    np.testing.assert_allclose(x[::2], onsets)
    np.testing.assert_allclose(x[1::2], onsets)  # vertical lines
    (_, _), (y0, y1) = window.spectrogram.viewbox.viewRange()
    assert lines[0] == pytest.approx(y0) and lines[1] == pytest.approx(y1)
    x, _ = overlay.items["beats"].getOriginalDataset()
    np.testing.assert_allclose(x[::2], beat_times)
    tempo = float(np.atleast_1d(tempo)[0])
    assert beats.result.tempo == pytest.approx(tempo)
    labels = [label.text for _, label in overlay.legend.items]
    assert f"Beats (beat_track): {tempo:.1f} BPM" in labels
    assert f"{tempo:.1f} BPM" in window.analysis.panel.states["beats"].text()
    # onset strength in the strip under the spectrogram
    show_layer(qtbot, window, "onset_strength")
    strength = librosa.onset.onset_strength(y=y, sr=sr)
    _, drawn = window.analysis.strip.curves["onset_strength"].getOriginalDataset()
    np.testing.assert_allclose(drawn, strength, rtol=1e-6)


def test_strip_features_and_images_equal_librosa(qtbot, window_on, robin_path):
    window = window_on(robin_path)
    y, sr = librosa.load(robin_path, sr=None, mono=True)
    strip = window.analysis.strip
    show_layer(qtbot, window, "centroid")
    show_layer(qtbot, window, "rms")
    assert strip.isVisible() and list(strip.plots) == ["centroid", "rms"]
    x, drawn = strip.curves["centroid"].getOriginalDataset()
    centroid = librosa.feature.spectral_centroid(y=y, sr=sr)[0]
    np.testing.assert_allclose(drawn, centroid, rtol=1e-6)
    np.testing.assert_allclose(x, librosa.times_like(centroid, sr=sr))
    _, drawn = strip.curves["rms"].getOriginalDataset()
    np.testing.assert_allclose(drawn, librosa.feature.rms(y=y)[0], rtol=1e-6)
    # the strip shares the time axis: zooming the waveform zooms it
    window.waveform.viewbox.setXRange(1.0, 2.0, padding=0)
    qtbot.wait(50)
    assert strip.plots["centroid"].getViewBox().viewRange()[0] == pytest.approx([1.0, 2.0], abs=1e-6)
    # the centroid over the spectrogram too
    show_layer(qtbot, window, "centroid_over")
    _, over = window.analysis.overlay.items["centroid_over"].getOriginalDataset()
    np.testing.assert_allclose(over, centroid, rtol=1e-6)
    # hidden again: the strip keeps only RMS
    window.analysis.panel.checks["centroid"].setChecked(False)
    assert list(strip.plots) == ["rms"]

    mfcc = show_layer(qtbot, window, "mfcc")
    view = window.analysis.images["mfcc"]
    assert view.isVisible()
    np.testing.assert_allclose(view.image.image, librosa.feature.mfcc(y=y, sr=sr), rtol=1e-4,
                               atol=1e-3)
    assert view.row_axis.labels == tuple(str(i) for i in range(20))
    assert mfcc.result.values.shape == (20, len(centroid))
    show_layer(qtbot, window, "chroma")
    chroma = window.analysis.images["chroma"]
    assert chroma.row_axis.labels == ("C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A",
                                      "A♯", "B") or chroma.row_axis.labels[:3] == ("C", "C#", "D")
    np.testing.assert_allclose(chroma.image.image, librosa.feature.chroma_stft(y=y, sr=sr),
                               rtol=1e-5, atol=1e-6)
    assert chroma.colour_bar.axis.unit == "value"


def test_cqt_view_has_note_names_and_db(qtbot, window_on, trumpet_path):
    window = window_on(trumpet_path)
    data = show_layer(qtbot, window, "cqt")
    y, sr = librosa.load(trumpet_path, sr=None, mono=True)
    magnitude = np.abs(librosa.cqt(y, sr=sr))
    np.testing.assert_allclose(data.result.values, magnitude, rtol=1e-5, atol=1e-6)
    view = window.analysis.images["cqt"]
    np.testing.assert_allclose(view.image.image, librosa.amplitude_to_db(magnitude, ref=np.max),
                               atol=1e-3)
    assert view.colour_bar.axis.unit == "dB"
    freqs = librosa.cqt_frequencies(84, fmin=librosa.note_to_hz("C1"))
    np.testing.assert_allclose(data.frequencies, freqs)
    (lo, hi) = view.viewbox.viewRange()[1]
    ticks = view.row_axis.tickValues(lo, hi, 300)[0][1]
    labels = view.row_axis.tickStrings(ticks, 1.0, 1.0)
    assert "A4" in labels and "C4" in labels
    a4 = ticks[labels.index("A4")]
    assert a4 == pytest.approx(np.log2(440.0))


def test_note_names_on_the_hz_and_log_axes(qtbot, window_on, trumpet_path):
    window = window_on(trumpet_path)
    axis = window.spectrogram.freq_axis
    window.analysis.panel.note_names.setChecked(True)
    for mode in ("log", "Hz"):
        window.controls.axis_mode.setCurrentText(mode)
        lo, hi = window.spectrogram.viewbox.viewRange()[1]
        ticks = axis.tickValues(lo, hi, 400)[0][1]
        labels = axis.tickStrings(ticks, 1.0, 1.0)
        assert "A4" in labels, (mode, labels)
        assert ticks[labels.index("A4")] == pytest.approx(axis_coordinates(440.0, mode))
        assert all(label[0] in "CDEFGAB" for label in labels)
    window.analysis.panel.note_names.setChecked(False)
    lo, hi = window.spectrogram.viewbox.viewRange()[1]
    labels = axis.tickStrings(axis.tickValues(lo, hi, 400)[0][1], 1.0, 1.0)
    assert "A4" not in labels


def test_a_parameter_change_recomputes_with_it(qtbot, window_on, robin_path):
    window = window_on(robin_path)
    layers = window.analysis.layers
    show_layer(qtbot, window, "centroid")
    panel = window.analysis.panel
    qtbot.waitUntil(lambda: panel.param_specs is not None, timeout=60_000)
    editor = panel.editor("centroid")
    assert "n_fft" in editor.fields and "sr" not in editor.fields
    before = layers.data["centroid"]
    editor.set_text("n_fft", "1024")
    assert layers.requests[-1] == ("centroid", {"n_fft": 1024})
    qtbot.waitUntil(lambda: layers.data["centroid"] is not before, timeout=60_000)
    y, sr = librosa.load(robin_path, sr=None, mono=True)
    expected = librosa.feature.spectral_centroid(y=y, sr=sr, n_fft=1024)[0]
    _, drawn = window.analysis.strip.curves["centroid"].getOriginalDataset()
    np.testing.assert_allclose(drawn, expected, rtol=1e-6)
    # a wrong value is refused in words and computes nothing
    count = len(layers.requests)
    editor.set_text("n_fft", "lots")
    assert len(layers.requests) == count
    assert "whole number" in editor.fields["n_fft"].toolTip()


def test_a_newer_request_supersedes_and_a_new_clip_recomputes(qtbot, window_on, robin_path,
                                                              trumpet_path):
    window = window_on(robin_path)
    layers = window.analysis.layers
    show_layer(qtbot, window, "rms")
    sent = PROCESS.signals_sent
    # three changes in a row: only the last one's result is shown
    for length in (1024, 4096, 512):
        layers.set_param("rms", "frame_length", length)
    qtbot.waitUntil(lambda: layers.data["rms"].params == {"frame_length": 512}, timeout=60_000)
    layers.wait(30_000)
    qtbot.wait(50)
    assert layers.data["rms"].params == {"frame_length": 512}
    y, sr = librosa.load(robin_path, sr=None, mono=True)
    _, drawn = window.analysis.strip.curves["rms"].getOriginalDataset()
    np.testing.assert_allclose(drawn, librosa.feature.rms(y=y, frame_length=512)[0], rtol=1e-5)
    assert PROCESS.signals_sent == sent  # the process kept the clip's signal: named, not sent
    # another clip: the layer is recomputed on it, with the same parameters
    window.open_paths([str(trumpet_path)])
    qtbot.waitUntil(lambda: layers.data["rms"] is not None and window.session.loaded.original.path
                    == trumpet_path, timeout=60_000)
    y, sr = librosa.load(trumpet_path, sr=None, mono=True)
    _, drawn = window.analysis.strip.curves["rms"].getOriginalDataset()
    np.testing.assert_allclose(drawn, librosa.feature.rms(y=y, frame_length=512)[0], rtol=1e-5)
    assert PROCESS.signals_sent == sent + 1  # the new clip's signal, once
