"""Issue 13, point 5 ("long files and small things"): clock time axes, the long spectrogram's
header and stats, a constant colour bar, 0.00 dBFS, square waves drawn as bands, a silent live
view, and the single-instance key per display."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from explorer.model.overview import Overview
from explorer.ui.waveform.view import WaveformView


# ---- time axis ------------------------------------------------------------------------------
def axis_labels(axis, lo: float, hi: float, size: float = 500) -> list[str]:
    """The major tick labels the axis draws for a view from lo to hi seconds."""
    spacing, values = axis.tickValues(lo, hi, size)[0]
    return axis.tickStrings(values, 1.0, spacing)


def test_time_axis_reads_as_a_clock_zoomed_out_and_in(qtbot):
    from explorer.ui.common.time_axis import TimeAxis, format_clock

    view = WaveformView()
    qtbot.addWidget(view)
    axis = view.plot.getAxis("bottom")
    assert isinstance(axis, TimeAxis)
    # a 40-minute file: minutes, not "1.9135 ks"; no SI prefix on the label
    assert axis_labels(axis, 0, 2400) == ["0:00", "10:00", "20:00", "30:00", "40:00"]
    axis.setRange(0, 2400)
    assert axis.autoSIPrefixScale == 1.0 and "ks" not in axis.labelString()
    # two hours: h:mm:ss throughout
    assert axis_labels(axis, 0, 7200) == ["0:00:00", "0:30:00", "1:00:00", "1:30:00", "2:00:00"]
    # zoomed into 200 ms at 20 minutes: m:ss with the decimals the ticks need
    assert axis_labels(axis, 1200, 1200.2) == ["20:00.00", "20:00.05", "20:00.10", "20:00.15",
                                               "20:00.20"]
    # a short file reads the same way
    assert axis_labels(axis, 0, 10)[:3] == ["0:00", "0:02", "0:04"]
    assert format_clock(59.9996, 3) == "1:00.000" and format_clock(-0.0001, 3) == "0:00.000"


def test_both_views_of_a_long_file_label_time_as_a_clock(qtbot, make_window, tmp_path,
                                                          monkeypatch):
    import soundfile as sf

    from explorer.ui.state.long_file import LONG_SECONDS_ENV
    from tests.ui.conftest import wait_loaded

    monkeypatch.setenv(LONG_SECONDS_ENV, "60")
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(1000 * 1900, np.float32), 1000, subtype="PCM_16")
    window = make_window()
    window.open_paths([str(path)])
    wait_loaded(qtbot, window, path)
    for plot in (window.waveform.plot, window.spectrogram.plot):
        axis = plot.getAxis("bottom")
        lo, hi = plot.getViewBox().viewRange()[0]
        labels = axis_labels(axis, lo, hi, axis.width())
        assert "30:00" in labels and all("k" not in s for s in labels), labels
        assert "ks" not in axis.labelString()
    window.spectrogram.tiles.set_source(None)
    window.spectrogram.tiles.wait(5000)


# ---- waveform of a square wave ----------------------------------------------------------------
def painted_columns(view: WaveformView, lo: float, hi: float) -> np.ndarray:
    """Per pixel column of the plot: does the curve's colour cover every row from y=lo to y=hi
    (True), some of them (None, stored as -1) or none (False, 0)?"""
    image = view.plot_widget.grab().toImage()

    def pixel(x_view: float, y_view: float):
        scene = view.viewbox.mapViewToScene(QPointF(x_view, y_view))
        p = view.plot_widget.mapFromScene(scene)
        return p.x(), p.y()

    x0, top = pixel(0.02 * view.duration, hi)
    x1, bottom = pixel(0.98 * view.duration, lo)
    out = []
    for x in range(x0, x1):
        rows = [image.pixelColor(x, y) for y in range(top, bottom + 1)]
        blue = [c.blue() > 170 and c.red() < 150 for c in rows]
        out.append(1 if all(blue) else (-1 if any(blue) else 0))
    return np.array(out)


def test_a_full_scale_square_wave_draws_vertical_edges_not_ramps(qtbot):
    sr = 44100
    t = np.arange(10 * sr) / sr
    square = np.where(np.sin(2 * np.pi * 2 * t) >= 0, 1.0, -1.0).astype(np.float32)
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    qtbot.waitUntil(lambda: view.viewbox.width() > 500)
    view.set_overview(Overview.from_array(square[:, None], sr), sr)
    qtbot.wait(50)
    # the curve: one x per column, repeated; from one column to the next only level joins
    x, y = view.curves[0].getData()
    assert len(x) > 1000 and np.all(x[0::4] == x[3::4])
    moves = np.flatnonzero(np.diff(x) != 0)
    assert np.all(y[moves] == y[moves + 1]), "a join between columns is not level: a ramp"
    # the picture: in the middle of the band, a column is either empty or a full edge
    columns = painted_columns(view, -0.5, 0.5)
    assert not np.any(columns == -1), f"partly painted columns at {np.flatnonzero(columns == -1)}"
    edges = np.count_nonzero(np.diff((columns == 1).astype(int)) == 1)
    assert edges == 39  # the transitions 0.25 s apart between 0.2 s and 9.8 s


# ---- 0.00 dBFS, not -0.00 -------------------------------------------------------------------
def test_a_full_scale_square_reads_0_00_dbfs_not_minus_zero(qtbot):
    from explorer.model.clip import from_array
    from explorer.ui.info.panel import InfoPanel, format_dbfs

    sr = 44100
    square = np.sign(np.sin(2 * np.pi * 100 * np.arange(sr) / sr))  # a few exact zeros in it
    clip = from_array(square, sr, "square")
    assert -0.005 < clip.rms_dbfs() < 0  # what printed as "-0.00 dBFS"
    panel = InfoPanel()
    qtbot.addWidget(panel)
    panel.show_clip(clip)
    text = panel.text()
    assert "RMS\n0.00 dBFS" in text and "Peak\n0.00 dBFS" in text and "-0.00" not in text
    assert format_dbfs(-0.004) == "0.00 dBFS" and format_dbfs(-0.006) == "-0.01 dBFS"
    assert format_dbfs(float("-inf")) == "-inf dBFS (silent)"


# ---- colour bar of a constant array -----------------------------------------------------------
def drawn_labels(axis) -> list[str]:
    """The texts an axis draws (its tick labels), as pyqtgraph lays them out to paint."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(200, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]] if specs else []


@pytest.mark.parametrize("samples", [np.zeros(44100), np.array([0.5])], ids=["silence", "one"])
def test_a_constant_spectrogram_has_one_colour_bar_label_saying_so(qtbot, samples):
    from explorer.model.spectrogram import compute
    from explorer.ui.spectrogram.view import SpectrogramView

    spec = compute(samples.astype(np.float32), sample_rate=44100)
    assert np.ptp(spec.values) == 0  # every value the same
    view = SpectrogramView()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    view.set_spectrogram(spec)
    labels = drawn_labels(view.colour_bar.axis)
    value = float(spec.values.flat[0])
    assert labels == [f"{value:+2.0f} dB\nconstant"], labels
    assert view.colour_bar.constant and "constant" in view.colour_bar.toolTip()
    # a varying array gets its ladder back
    view.set_spectrogram(compute(np.random.default_rng(0).standard_normal(44100).astype(
        np.float32), sample_rate=44100))
    labels = drawn_labels(view.colour_bar.axis)
    assert len(labels) >= 4 and len(set(labels)) == len(labels) and "constant" not in labels[0]
    assert not view.colour_bar.constant and view.colour_bar.toolTip() == ""


# ---- the live view when nothing plays ---------------------------------------------------------
def test_the_live_view_says_silent_instead_of_minus_200_dbfs(qtbot):
    from explorer.model import make_tone
    from explorer.ui.live.view import LiveView
    from tests.ui.live.test_live_view import SR, TapPlayer

    player = TapPlayer()
    view = LiveView(player=player)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    try:
        player.send(np.zeros(SR, np.float32))  # a player playing nothing sends zeros
        qtbot.waitUntil(lambda: view.live is not None and view.live.total_columns > 10)
        qtbot.waitUntil(lambda: "silent" in view.level_label.text(), timeout=3000)
        shown = view.peak_label.text() + view.level_label.text()
        assert "-200" not in shown and " 0 Hz" not in shown, shown
        assert "silent" in view.message.toPlainText()
        assert len(view.peak_marker.data) == 0
        # a tone brings the numbers back and the message goes
        player.send(make_tone(1000, 0.5, SR, 0.5))

        def peak_near_1k():
            match = re.match(r"peak\s+(\d+) Hz", view.peak_label.text())
            assert match and abs(int(match.group(1)) - 1000) < SR / 2048

        qtbot.waitUntil(peak_near_1k, timeout=3000)
        qtbot.waitUntil(lambda: view.message.toPlainText() == "", timeout=3000)
        assert "RMS" in view.level_label.text()
    finally:
        view.shutdown()


# ---- a long file's spectrogram header ---------------------------------------------------------
def label_rects(bar) -> list:
    """Where a colour bar's tick labels are drawn, in the bar widget's pixels."""
    from PySide6.QtGui import QImage, QPainter

    axis = bar.axis
    image = QImage(200, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(bar.mapFromScene(axis.mapRectToScene(rect)).boundingRect(), text)
            for rect, _flags, text in specs[2]]


@pytest.mark.parametrize("vmin, vmax", [(-80.0, 0.0), (-59.07, -11.35)])
def test_colour_bar_labels_stand_inside_the_bar(qtbot, vmin, vmax):
    """The top label was cut in half (or under a two-line header) when a tick fell into the
    padding above the scale."""
    from explorer.ui.spectrogram.colour_bar import ColourBar

    bar = ColourBar()
    qtbot.addWidget(bar)
    bar.resize(86, 380)
    bar.show()
    bar.set_range(vmin, vmax, "dB")
    qtbot.wait(20)
    rects = label_rects(bar)
    assert len(rects) >= 4
    for rect, text in rects:
        assert rect.top() >= 0 and rect.bottom() <= bar.height(), (text, rect)


def stats_numbers(text: str) -> tuple[float, float, float]:
    match = re.search(r"min (-?[\d.]+)\s+max (-?[\d.]+)\s+mean (-?[\d.]+)", text)
    assert match, text
    return float(match.group(1)), float(match.group(2)), float(match.group(3))


@pytest.fixture
def six_minutes(tmp_path, monkeypatch):
    """A 'long' file (threshold lowered to 60 s): a loud tone for 3 minutes, then quiet noise."""
    import soundfile as sf

    from explorer.ui.state.long_file import LONG_SECONDS_ENV

    monkeypatch.setenv(LONG_SECONDS_ENV, "60")
    sr = 8000
    t = np.arange(180 * sr) / sr
    rng = np.random.default_rng(3)
    loud = 0.8 * np.sin(2 * np.pi * 1000 * t)
    quiet = 0.001 * rng.standard_normal(180 * sr)
    path = tmp_path / "six_minutes.wav"
    sf.write(path, np.concatenate([loud, quiet]).astype(np.float32), sr, subtype="PCM_16")
    return path


def test_long_file_header_says_what_its_numbers_describe(qtbot, make_window, six_minutes,
                                                        monkeypatch):
    import time

    from explorer.model import overview as overview_module
    from explorer.model.overview import OverviewBuilder

    monkeypatch.setattr(overview_module, "READ_FRAMES", 1 << 15)
    add = OverviewBuilder.add

    def slow_add(self, block):  # ~1.5 s of reading, so the header can be looked at meanwhile
        time.sleep(0.02)
        add(self, block)

    monkeypatch.setattr(OverviewBuilder, "add", slow_add)
    window = make_window()
    qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
    wave, spec_view = window.waveform, window.spectrogram
    window.open_paths([str(six_minutes)])
    # while the summaries are read: the progress has the line to itself, not cut by the hint
    label = wave.progress_label

    def progress_shown_whole():
        assert "% summarised" in label.text() and not wave.hint.isVisible()
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())

    qtbot.waitUntil(progress_shown_whole, timeout=10000)
    qtbot.waitUntil(lambda: window.session.loaded.overview.complete, timeout=20000)
    qtbot.waitUntil(lambda: wave.hint.isVisible() and not label.text(), timeout=5000)

    # the whole file in view: the overview's stats, called so
    qtbot.waitUntil(spec_view.overview_complete, timeout=20000)
    qtbot.waitUntil(lambda: spec_view.stats_label.text().startswith(
        "whole file, overview (complete"), timeout=5000)
    whole = stats_numbers(spec_view.stats_label.text())
    stats = window.session.spectrogram.stats
    assert whole == pytest.approx((stats.min, stats.max, stats.mean), abs=0.006)

    # zoomed into the quiet part: the visible columns' stats, from the exact tiles
    window.waveform.viewbox.setXRange(200.0, 202.0, padding=0)
    source = window.session.spectrogram.source
    qtbot.waitUntil(lambda: spec_view.long_step == 1, timeout=5000)
    def visible_stats_shown():
        text = spec_view.stats_label.text()
        assert text.startswith("visible 3:20.0–3:22.0 (") and "overview until" not in text, text

    qtbot.waitUntil(visible_stats_shown, timeout=10000)
    shown = stats_numbers(spec_view.stats_label.text())
    hop = source.hop_seconds
    columns = np.concatenate([source.tile(1, i) for i in source.tiles_for(200.0, 202.0, 1)],
                             axis=1)
    first = source.tiles_for(200.0, 202.0, 1)[0] * 256
    times = (first + np.arange(columns.shape[1])) * hop
    visible = columns[:, (times >= 200.0) & (times <= 202.0)]
    expected = (visible.min(), visible.max(), visible.mean(dtype=np.float64))
    assert shown == pytest.approx(expected, abs=0.006)
    assert shown[1] < whole[1] - 20  # quiet noise, not the whole file's loud tone
    assert "whole file, overview" in spec_view.stats_label.toolTip()

    # the header (one line or two) sits above the colour bar; the bar's labels stay inside it
    header = spec_view.stats_label.geometry()
    bar = spec_view.colour_bar
    for rect, text in label_rects(bar):
        assert rect.top() >= 0, text
        assert bar.mapTo(spec_view, rect.topLeft()).y() > header.bottom(), text
    window.waveform.viewbox.setXRange(0.0, 360.0, padding=0)
    qtbot.waitUntil(lambda: spec_view.stats_label.text().startswith("whole file"), timeout=5000)
    spec_view.tiles.set_source(None)
    spec_view.tiles.wait(5000)


def test_clock_and_level_read_outs_elsewhere():
    """The transport reads like the time axes; the live read-out has no "-0.0" either."""
    from explorer.ui.live.level_meter import _db1
    from explorer.ui.playback.transport import format_time

    assert format_time(2400) == "40:00.000"  # under an hour: m:ss.sss, as before
    assert format_time(3900.5) == "1:05:00.500"  # not "65:00.500"
    assert format_time(12.3456, hours=True) == "0:00:12.346"  # beside an hour-long duration
    assert _db1(-0.0004).strip() == "0.0" and _db1(-3.04).strip() == "-3.0"
