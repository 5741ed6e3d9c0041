"""Waveform interaction: click to seek, drag to select; transport rate reaches the player."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from explorer.model.overview import Overview, polyline


def view_point(waveform, seconds):
    scene = waveform.viewbox.mapViewToScene(QPointF(seconds, 0.0))
    return waveform.plot_widget.mapFromScene(scene)


def test_click_seeks(qtbot, window_on_samples, fake_player):
    window = window_on_samples
    waveform = window.waveform
    qtbot.waitUntil(lambda: waveform.viewbox.width() > 100)
    qtbot.mouseClick(waveform.plot_widget.viewport(), Qt.MouseButton.LeftButton,
                     pos=view_point(waveform, 1.0))
    assert window.playback.cursor == pytest.approx(1.0, abs=0.05)
    assert waveform.playhead.value() == pytest.approx(1.0, abs=0.05)
    window.playback.play()
    rate = window.session.clip.sample_rate
    assert fake_player.called("play")[-1][4] == pytest.approx(rate, rel=0.05)
    qtbot.mouseClick(waveform.plot_widget.viewport(), Qt.MouseButton.LeftButton,
                     pos=view_point(waveform, 2.0))
    assert fake_player.called("seek")[-1][1] == pytest.approx(2 * rate, rel=0.05)


def test_drag_selects_and_loops(qtbot, window_on_samples, fake_player):
    window = window_on_samples
    waveform = window.waveform
    qtbot.waitUntil(lambda: waveform.viewbox.width() > 100)
    viewport = waveform.plot_widget.viewport()
    a, b = view_point(waveform, 0.5), view_point(waveform, 1.5)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, 11):
        qtbot.mouseMove(viewport, QPoint(a.x() + (b.x() - a.x()) * i // 10, a.y()))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)
    sel = window.session.selection
    assert sel is not None
    assert sel[0] == pytest.approx(0.5, abs=0.05) and sel[1] == pytest.approx(1.5, abs=0.05)
    window.transport.loop_box.setChecked(True)
    window.playback.play()
    rate = window.session.clip.sample_rate
    play = fake_player.called("play")[-1]
    assert play[6] is True and play[5] == pytest.approx(1.5 * rate, rel=0.05)


def test_rate_change_reaches_player(qtbot, window_on_samples, fake_player):
    window = window_on_samples
    t = window.transport
    t.double_button.click()
    assert fake_player.rate == 2.0 and t.rate_box.currentText() == "×2"
    t.half_button.click()
    assert fake_player.rate == 0.5
    t.rate_box.setCurrentIndex(t.rate_box.findData(0.25))
    t.rate_box.activated.emit(t.rate_box.currentIndex())
    assert fake_player.rate == 0.25
    t.rate_box.setEditText("1.5")
    t.rate_box.lineEdit().editingFinished.emit()
    assert fake_player.rate == 1.5
    window.playback.play()
    assert fake_player.called("play")[-1][3] == 1.5
    t.volume.setValue(50)
    assert fake_player.volume == 0.5


def test_overview_decimates_and_shows_samples_when_zoomed():
    rng = np.random.default_rng(0)
    signal = rng.uniform(-1, 1, (2_000_000, 2)).astype(np.float32)
    ov = Overview.from_array(signal, 44100)
    env = ov.envelope(0, len(signal), 1000)
    x, y = polyline(env)
    assert not env.is_raw and len(y) <= 4 * 1500  # 4 points a column, <= 1.5 columns a pixel
    assert y.max() == signal.mean(axis=1).max()
    env = ov.envelope(1000, 1100, 1000, channel=1)
    assert env.is_raw and np.array_equal(polyline(env)[1], signal[1000:1100, 1])
    x, y = polyline(ov.envelope(0, len(signal), 1000, channel=0), magnitude=True)
    assert y.min() >= 0 and y.max() == np.abs(signal[:, 0]).max()


def _drawn(waveform) -> list[np.ndarray]:
    """The y values of each curve the waveform draws (empty curves left out)."""
    ys = [curve.getData()[1] for curve in waveform.curves]
    return [y for y in ys if y is not None and len(y)]


def test_channel_and_magnitude_choices_change_what_is_drawn(qtbot):
    from explorer.ui.waveform.view import WaveformView

    sr = 8000
    t = np.arange(2 * sr) / sr
    wave = np.sin(2 * np.pi * 50 * t)
    stereo = np.stack([0.6 * wave, -0.2 * wave], axis=1).astype(np.float32)  # mono mix: 0.2 sin
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    view.set_overview(Overview.from_array(stereo, sr), sr)
    box = view.channel_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "Mono mix", "All channels", "Channel 1", "Channel 2"]
    assert box.isEnabled()

    def peaks() -> list[tuple[float, float]]:
        return [(round(float(y.min()), 3), round(float(y.max()), 3)) for y in _drawn(view)]

    assert peaks() == [(-0.2, 0.2)]  # the mix of the two (in antiphase)
    box.setCurrentIndex(box.findText("Channel 1"))
    assert view.channel_mode == 0 and peaks() == [(-0.6, 0.6)]
    box.setCurrentIndex(box.findText("Channel 2"))
    assert peaks() == [(-0.2, 0.2)]
    box.setCurrentIndex(box.findText("All channels"))
    assert peaks() == [(-0.6, 0.6), (-0.2, 0.2)]
    first, second = (curve.opts["pen"].color().name() for curve in view.curves[:2])
    assert first != second  # told apart by colour
    # magnitude: |x|, from 0 up, on an axis from 0 to 1
    view.mode_box.setCurrentIndex(view.mode_box.findText("Magnitude |x|"))
    assert view.magnitude and peaks() == [(0.0, 0.6), (0.0, 0.2)]
    assert view.plot.getAxis("left").labelText == "|amplitude|"
    assert view.viewbox.viewRange()[1][0] == pytest.approx(-0.02, abs=0.01)
    view.mode_box.setCurrentIndex(0)
    box.setCurrentIndex(box.findText("Mono mix"))
    assert not view.magnitude and peaks() == [(-0.2, 0.2)]  # one curve again, signed
    # a mono file has nothing to choose: the box says so and is off
    view.set_overview(Overview.from_array(wave[:, None].astype(np.float32), sr), sr)
    assert box.count() == 1 and not box.isEnabled() and peaks() == [(-1.0, 1.0)]
