"""Scales panel: Hz <-> mel agrees with librosa, the dB calculator with the notebook."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from explorer.model import scales
from explorer.ui.scales.panel import (
    HTK_COLOR,
    SLANEY_COLOR,
    SLANEY_PLOT_SCALE,
    TABLE_COLOR,
    ScalesPanel,
    format_number,
)


@pytest.fixture
def panel(qtbot):
    p = ScalesPanel()
    qtbot.addWidget(p)
    p.resize(800, 700)
    return p


@pytest.mark.parametrize("hz", [0.0, 20.0, 440.0, 999.0, 1000.0, 1001.0, 4000.0, 8000.0, 16000.0])
def test_hz_to_mel_equals_librosa(panel, hz):
    panel.set_hz(hz)
    assert panel.htk_mel() == pytest.approx(librosa.hz_to_mel(hz, htk=True), rel=1e-12)
    assert panel.slaney_mel() == pytest.approx(librosa.hz_to_mel(hz, htk=False), rel=1e-12)
    assert panel.htk_out.text() == format_number(librosa.hz_to_mel(hz, htk=True))
    assert panel.slaney_out.text() == format_number(librosa.hz_to_mel(hz))


def test_typing_hz_updates_both_mels(panel, qtbot):
    panel.hz_spin.selectAll()
    qtbot.keyClicks(panel.hz_spin, "4000")
    qtbot.keyClick(panel.hz_spin, Qt.Key.Key_Return)
    assert panel.hz() == 4000
    assert panel.htk_out.text() == "2146.06"
    assert panel.slaney_out.text() == "35.1638"
    # the marker on the plot follows
    assert panel.hz_marker.value() == 4000


@pytest.mark.parametrize("htk", [True, False])
@pytest.mark.parametrize("mels", [0.0, 10.0, 15.0, 30.0, 500.0, 1000.0, 2840.0])
def test_mel_to_hz_equals_librosa(panel, mels, htk):
    panel.set_mel(mels, htk=htk)
    assert panel.mel_is_htk() is htk
    assert panel.mel_hz() == pytest.approx(librosa.mel_to_hz(mels, htk=htk), rel=1e-12)
    assert panel.mel_hz_out.text() == f"{format_number(librosa.mel_to_hz(mels, htk=htk))} Hz"


def test_choosing_the_scale_in_the_combo(panel):
    panel.set_mel(15.0, htk=True)
    htk_hz = panel.mel_hz()
    panel.mel_scale_combo.setCurrentIndex(1)  # Slaney: 15 mel is 1000 Hz
    assert panel.mel_hz() == pytest.approx(1000.0)
    assert panel.mel_hz_out.text() == "1000 Hz"
    assert htk_hz == pytest.approx(librosa.mel_to_hz(15.0, htk=True))


def test_plot_has_both_curves_and_the_perceptual_table(panel):
    x, y = panel.htk_curve.getData()
    assert x.max() >= 16000
    assert np.allclose(y, librosa.hz_to_mel(x, htk=True))
    x, y = panel.slaney_curve.getData()
    assert np.allclose(y / SLANEY_PLOT_SCALE, librosa.hz_to_mel(x))
    tx, ty = panel.table_points.getData()
    assert list(zip(tx, ty, strict=True)) == [tuple(map(float, p))
                                              for p in scales.PERCEPTUAL_TABLE]
    legend = panel.plot.getPlotItem().legend
    names = [label.text for _sample, label in legend.items]
    assert names == ["HTK", "Slaney (right axis)", "perceptual table (Hz, mel)"]
    # the right axis reads Slaney mels: 1000 Hz is drawn at 1000 and labelled 15
    right = panel.plot.getPlotItem().getAxis("right")
    assert right.scale * 1000.0 == pytest.approx(15.0)


@pytest.mark.parametrize("index, db, energy, amplitude", [
    (0, 10.0, 10.0, 3.16228), (1, 20.0, 100.0, 10.0), (2, 25.0, 316.228, 17.7828),
])
def test_db_examples_are_one_click(panel, qtbot, index, db, energy, amplitude):
    qtbot.mouseClick(panel.example_buttons[index], Qt.MouseButton.LeftButton)
    assert panel.power_db() == db
    assert panel.power_ratio() == pytest.approx(scales.DB_EXAMPLES[index][1], abs=0.005)
    assert panel.power_ratio() == pytest.approx(energy, rel=1e-5)
    assert panel.power_ratio_edit.text() == format_number(energy)
    assert panel.amplitude_db() == db
    assert panel.amplitude_ratio() == pytest.approx(amplitude, rel=1e-5)
    assert f"{format_number(energy)}× the energy" in panel.db_message_text()


def test_button_labels_are_the_notebooks(panel):
    assert [b.text() for b in panel.example_buttons] == [
        "+10 dB = 10×", "+20 dB = 100×", "+25 dB = 316.23×"]  # after "Energy:"


def test_db_calculator_is_two_way(panel, qtbot):
    # amplitude ratio 2 -> 6.02 dB (20 log10)
    panel.amp_ratio_edit.clear()
    qtbot.keyClicks(panel.amp_ratio_edit, "2")
    assert panel.amplitude_db() == pytest.approx(20 * np.log10(2))
    assert panel.amp_db_edit.text() == "6.0206"
    # -6 dB of amplitude -> 0.501
    panel.amp_db_edit.clear()
    qtbot.keyClicks(panel.amp_db_edit, "-6")
    assert panel.amplitude_ratio() == pytest.approx(10 ** (-6 / 20))
    # power ratio 2 -> 3.01 dB (10 log10)
    panel.power_ratio_edit.clear()
    qtbot.keyClicks(panel.power_ratio_edit, "2")
    assert panel.power_db() == pytest.approx(10 * np.log10(2))
    assert panel.power_db_edit.text() == "3.0103"
    panel.power_db_edit.clear()
    qtbot.keyClicks(panel.power_db_edit, "30")
    assert panel.power_ratio() == pytest.approx(1000.0)
    assert panel.power_ratio_edit.text() == "1000"


def test_bad_ratios_say_why(panel, qtbot):
    panel.set_power_ratio(10.0)
    panel.power_ratio_edit.clear()
    qtbot.keyClicks(panel.power_ratio_edit, "0")
    assert "above 0" in panel.db_message_text()
    assert panel.power_db() == pytest.approx(10.0)  # the last good value stays


def test_format_number():
    assert format_number(316.22776601683796) == "316.228"
    assert format_number(1000.0) == "1000"
    assert format_number(0.001) == "0.001"
    assert format_number(1e-9) == "1e-09"
    assert format_number(0.0) == "0"


def _curve_rows(pixels: np.ndarray, colour: str) -> dict[int, float]:
    """Mean row of the pixels close to `colour`, per column (the drawn curve's height there)."""
    target = np.array(QColor(colour).getRgb()[:3], dtype=np.int32)
    near = np.abs(pixels[:, :, :3].astype(np.int32) - target).sum(axis=2) < 40
    return {int(c): float(np.nonzero(near[:, c])[0].mean()) for c in np.nonzero(near.any(axis=0))[0]}


def _scene_rect(plot, item) -> tuple[int, int, int, int]:
    rect = plot.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def test_renders(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.plot.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    pixels = pixels[:, :image.width()].copy()
    item = panel.plot.getPlotItem()
    left, top, right, bottom = _scene_rect(panel.plot, item.getViewBox())
    l_left, l_top, l_right, l_bottom = _scene_rect(panel.plot, item.legend)
    pixels[l_top:l_bottom + 1, l_left:l_right + 1] = 0  # the legend's samples are not the curves
    pixels = pixels[top:bottom, left:right]  # inside the axes (the right axis is drawn in Slaney's colour)
    for colour in (HTK_COLOR, SLANEY_COLOR):
        rows = _curve_rows(pixels, colour)
        # drawn across most of the plot, and rising (rows go up the screen) at every step of 40 px
        assert min(rows) < pixels.shape[1] * 0.05 and max(rows) > pixels.shape[1] * 0.9, colour
        steps = [rows[c] for c in range(0, max(rows), 40) if c in rows]
        assert len(steps) > pixels.shape[1] // 40 - 3, colour
        assert all(a > b for a, b in zip(steps, steps[1:], strict=False)), (colour, steps)
    assert _curve_rows(pixels, TABLE_COLOR)  # the perceptual table's points
