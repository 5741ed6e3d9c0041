"""The Compare window: one time axis and one cursor for every stacked view, A/B playback that
keeps the position, gain, the difference of a clip with itself, alignment, stats."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.audio import Player
from explorer.audio import devices as devices_module
from explorer.model import from_array, load
from explorer.model.compare import shift
from explorer.model.measure import measure_one
from explorer.ui.compare.link import rate_variants
from explorer.ui.compare.stats import ROWS, stat_text
from explorer.ui.compare.window import CompareWindow
from tests.audio.test_player_logic import BLOCK, FakeSD, ramp


@pytest.fixture
def compare(qtbot):
    made = []

    def make(player=None, **kwargs):
        window = CompareWindow(player, **kwargs)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.shutdown()


def shown(qtbot, window, clips, timeout=30000):
    with qtbot.waitSignal(window.loaded, timeout=timeout):
        window.set_clips(clips)
    qtbot.waitUntil(lambda: len(window.ab.buffers) == len(clips[:4]), timeout=timeout)


def x_ranges(window):
    return [tuple(v.viewbox.viewRange()[0]) for v in window.all_views()]


def test_stacked_views_share_the_time_axis_and_the_cursor(qtbot, compare, speech_path):
    window = compare()
    clip = load(speech_path)
    shown(qtbot, window, rate_variants(clip))
    assert len(window.tracks) == 3
    assert [t.clip.sample_rate for t in window.tracks] == [16000, 8000, 32000]
    # all of the longest (x0.5: twice as long) is in view, in every view
    lo, hi = window.tracks[0].waveform.viewbox.viewRange()[0]
    assert lo == pytest.approx(0.0, abs=1e-6) and hi == pytest.approx(2 * clip.duration, rel=1e-6)
    # zooming any of them zooms all of them (waveforms and spectrograms)
    window.tracks[2].spectrogram.viewbox.setXRange(3.0, 4.5, padding=0)
    ranges = x_ranges(window)
    assert len(ranges) == 6
    for r in ranges:
        assert r == pytest.approx((3.0, 4.5), abs=1e-6)
    # one playhead: a click in C's waveform moves it in every view
    window.tracks[2].waveform.seekRequested.emit(3.7)
    for track in window.tracks:
        for view in track.views():
            assert view.playhead.value() == pytest.approx(3.7)
    # one hover cursor
    window.set_hover(4.2)
    for track in window.tracks:
        assert all(line.isVisible() and line.value() == pytest.approx(4.2) for line in track.hover)
    assert "A: sample 67200" in window.status.text() and "B: sample 33600" in window.status.text()
    # a gain redraws one track and leaves the zoom as the user had it
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.tracks[1].set_gain(6.0)
    for r in x_ranges(window):
        assert r == pytest.approx((3.0, 4.5), abs=1e-6)
    peak = np.max(np.abs(window.shown[1].samples))
    assert peak == pytest.approx(np.max(np.abs(clip.samples)) * 10 ** (6 / 20), rel=1e-5)


@pytest.fixture
def fake_sd(monkeypatch) -> FakeSD:
    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    return sd


def test_ab_key_switches_at_the_same_position_within_one_block(qtbot, compare, fake_sd):
    a = ramp(16000)
    b = -ramp(16000)  # B's frame n is -(A's frame n): a jump or a repeat would show
    player = Player(blocksize=BLOCK)
    window = compare(player)
    shown(qtbot, window, [from_array(a, 16000, "a"), from_array(b, 16000, "b")])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.ab.state == "playing"
    stream = fake_sd.stream
    stream.pump(7)
    before = player.position
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.ab.current == 1 and window.heard_box.currentIndex() == 1
    assert "heard" in window.tracks[1].waveform.title.text()
    assert "heard" not in window.tracks[0].waveform.title.text()
    assert abs(player.position - before) <= BLOCK
    stream.pump(5)
    qtbot.keyClick(window, Qt.Key.Key_1)  # back to A by its number
    assert window.ab.current == 0
    stream.pump(3)
    out = stream.output()[:, 0]
    assert len(fake_sd.streams) == 1  # one stream: no reopening gap
    expected = np.concatenate([a[:7 * BLOCK], b[7 * BLOCK:12 * BLOCK], a[12 * BLOCK:15 * BLOCK]])
    np.testing.assert_array_equal(out[:15 * BLOCK], expected)
    # a gain change while playing goes on in the same stream, from the same frame
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.tracks[0].set_gain(-6.0)
    qtbot.waitUntil(lambda: window.ab.buffers[0][100, 0] != a[100])
    stream.pump(1)
    out = stream.output()[:, 0]
    np.testing.assert_allclose(out[15 * BLOCK:16 * BLOCK],
                               a[15 * BLOCK:16 * BLOCK] * 10 ** (-6 / 20), rtol=1e-6)
    assert len(fake_sd.streams) == 1


def test_difference_of_a_file_with_itself_is_zero(qtbot, compare, speech_path):
    window = compare()
    shown(qtbot, window, [load(speech_path), load(speech_path)])
    view = window.difference
    assert view.isVisible()
    assert view.spec.values.shape[1] > 100 and np.all(view.spec.values == 0)
    assert view.colour_bar.constant  # "constant +0 dB" on the bar, not a ladder of zeros
    assert view.colormap == "diverging"


def test_difference_is_symmetric_and_only_for_a_same_rate_pair(qtbot, compare, speech_path):
    window = compare()
    clip = load(speech_path)
    shown(qtbot, window, [clip, clip.resample(8000).resample(16000)])
    view = window.difference
    lo, hi = view.image.getLevels()
    assert lo == pytest.approx(-hi) and hi > 20  # the lost band: tens of dB
    assert view.colour_bar.axis.limits == pytest.approx((lo, hi))
    shown(qtbot, window, rate_variants(clip))
    assert not window.difference.isVisible() and not window.align_button.isEnabled()
    assert "two clips" in window.note.text()


def test_alignment_found_shown_and_applied(qtbot, compare, speech_path):
    window = compare()
    clip = load(speech_path)
    rng = np.random.default_rng(7)
    late = shift(clip, 1234)
    noisy = from_array(late.samples + rng.normal(0, 0.003, late.samples.shape), 16000, "late")
    shown(qtbot, window, [clip, noisy])
    assert not window.apply_box.isEnabled()

    def speech_band_difference() -> float:
        spec = window.difference.spec
        return float(np.median(np.abs(spec.values[spec.frequencies < 2000])))

    before = speech_band_difference()
    window.align_button.click()
    qtbot.waitUntil(lambda: window.alignment is not None, timeout=30000)
    assert abs(window.alignment.lag + 1234) <= 1
    assert "-1234 samples" in window.offset_label.text()
    assert "-77.12 ms" in window.offset_label.text()
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.apply_box.setChecked(True)
    # B is drawn and played 1234 samples earlier: it now lies on A
    np.testing.assert_array_equal(window.shown[1].samples, noisy.samples[1234:])
    qtbot.waitUntil(lambda: window.ab.buffers[1].shape[0] == window.ab.buffers[0].shape[0])
    a, b = window.ab.buffers[0][:, 0], window.ab.buffers[1][:, 0]
    n = clip.frames - 1234
    assert np.sqrt(np.mean((a[:n] - b[:n]) ** 2)) < 0.004  # only the added noise
    # the difference follows: where the speech is, it is far smaller than before the shift
    assert speech_band_difference() < before / 2, (before, speech_band_difference())


def test_stats_are_the_dataset_measurements(qtbot, compare, speech_path, robin_path):
    window = compare()
    with qtbot.waitSignal(window.measured, timeout=60000):
        window.open_paths([speech_path, robin_path])
    rows = [measure_one(speech_path), measure_one(robin_path)]
    assert window.stats.rows == rows
    for column, row in enumerate(rows):
        for _title, field, _show in ROWS:
            assert window.stats.text(field, column) == stat_text(row, field)
    assert window.stats.text("sample_rate", 1) == "44100"


def test_a_file_that_cannot_be_read_is_said_in_words(qtbot, compare, tmp_path, speech_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    window = compare()
    with qtbot.waitSignal(window.failed, timeout=30000) as blocker:
        window.open_paths([speech_path, bad])
    assert blocker.args[0].startswith("broken.wav: "), blocker.args[0]
    assert window.status.text().startswith("Cannot compare:")
    assert "Traceback" not in window.status.text()


def test_without_a_sound_output_play_is_disabled_and_says_why(qtbot, compare, speech_path):
    window = compare(None)
    assert not window.play_button.isEnabled() and not window.stop_button.isEnabled()
    assert "no sound output" in window.play_button.toolTip()
    shown(qtbot, window, [load(speech_path), load(speech_path)])
    window.ab.toggle()  # the key does nothing either, and nothing breaks
    assert window.ab.state == "stopped"
