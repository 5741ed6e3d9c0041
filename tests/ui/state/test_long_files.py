"""Long files: summaries and spectrogram tiles from the file, the event loop never stalls.

The "long" threshold is lowered through AUDIO_EXPLORER_LONG_SECONDS so that a 20-minute file
at 8 kHz (19 MB) stands in for hours in CI; reading its summaries in small, slowed-down blocks
stands in for the seconds a ten-hour file takes."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf

from explorer.model import overview as overview_module
from explorer.model.overview import Overview, OverviewBuilder
from explorer.ui.state.long_file import LONG_SECONDS_ENV, LongClip, LongSpectrogram
from tests.conftest import SAMPLES
from tests.heartbeat import Heartbeat

SR = 8000
MINUTES = 20


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "field_20min.wav"
    rng = np.random.default_rng(0)
    block = SR * 60
    with sf.SoundFile(path, "w", SR, 1, "PCM_16") as f:
        for k in range(MINUTES):
            t = (k * block + np.arange(block)) / SR
            x = 0.3 * np.sin(2 * np.pi * (500 + 300 * (k % 2)) * t)
            f.write((x + 0.02 * rng.standard_normal(block)).astype(np.float32))
    return path


@pytest.fixture
def long_threshold(monkeypatch):
    monkeypatch.setenv(LONG_SECONDS_ENV, "300")


@pytest.fixture
def slow_summaries(monkeypatch):
    """Summaries read in 293 blocks of 32 Ki frames, each 4 ms slower: the 20-minute file takes
    over a second, like ten hours at 44.1 kHz, so what is shown meanwhile can be looked at."""
    monkeypatch.setattr(overview_module, "READ_FRAMES", 1 << 15)
    add = OverviewBuilder.add

    def slow_add(self, block):
        time.sleep(0.004)
        add(self, block)

    monkeypatch.setattr(OverviewBuilder, "add", slow_add)


def test_long_file_opens_from_summaries_and_tiles(qtbot, make_window, long_wav, long_threshold):
    window = make_window()
    qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
    qtbot.wait(300)  # the window's first layout and paint are not what is measured
    beat = Heartbeat()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    loaded = window.session.loaded
    assert loaded.long and isinstance(loaded.clip, LongClip)
    # the session holds no sample array: only summaries (far smaller than the file)
    with pytest.raises(ValueError):
        loaded.clip.samples  # noqa: B018
    qtbot.waitUntil(lambda: loaded.overview.complete, timeout=20000)
    assert loaded.overview.nbytes < 0.2 * SR * 60 * MINUTES * 4
    assert window.waveform.overview is loaded.overview
    assert window.waveform.duration == pytest.approx(MINUTES * 60)
    spec_view = window.spectrogram
    qtbot.waitUntil(lambda: isinstance(window.session.spectrogram, LongSpectrogram))
    qtbot.waitUntil(spec_view.overview_complete, timeout=20000)
    assert "long file" in spec_view.stats_label.text()
    assert "fixed ref" in spec_view.stats_label.text()
    assert spec_view.long_step <= spec_view.overview_step
    qtbot.wait(300)  # the window settles its layout; tiles for the final width come too
    whole_step = spec_view.long_step
    # at whole-file zoom about one column per pixel (never fewer columns than pixels)
    assert spec_view._long_values.shape[1] >= spec_view.viewbox.width()
    info_text = window.info.text()
    assert "first and last" in info_text and "Long file" in info_text

    # zoom in to 2 s around minute 7: finer tiles are computed and drawn
    window.waveform.viewbox.setXRange(420.0, 422.0, padding=0)
    qtbot.waitUntil(lambda: spec_view.long_step == 1, timeout=5000)
    source = window.session.spectrogram.source

    def fine_tiles_drawn():
        keys = [source.key(1, i) for i in source.tiles_for(420.0, 422.0, 1)]
        assert all(k in spec_view.tiles.cache for k in keys)

    qtbot.waitUntil(fine_tiles_drawn, timeout=10000)
    qtbot.wait(100)
    frames = spec_view._long_frames
    row, col, value, t, f = spec_view.value_at(421.0, 500.0)
    # the waveform at that zoom draws from the file (raw or fine summaries)
    assert window.waveform.curves[0].xData is not None
    # zoom out again: the overview columns come from the cache, nothing is recomputed
    computed = spec_view.tiles.computed
    window.waveform.viewbox.setXRange(0.0, MINUTES * 60.0, padding=0)
    qtbot.waitUntil(lambda: spec_view.long_step == whole_step, timeout=5000)
    qtbot.wait(100)
    assert spec_view.tiles.computed == computed
    gap = beat.stop()
    # the drawn columns at step 1 were the exact tile columns
    assert np.all(np.diff(frames) == 1)
    assert frames[0] * source.hop_seconds <= 420.0 + source.hop_seconds
    assert abs(t - 421.0) < 2 * source.hop_seconds
    assert value == pytest.approx(float(source.tile(1, col // 256)[row, col % 256]), abs=1e-4)
    # 50 ms is the target (bench/long_gui.py measures it); CI machines are shared and noisy
    assert gap < 0.050 * 3, f"event loop stalled {gap * 1000:.0f} ms"  # 50 ms target, CI noise
    # other axes and the array mode work on the tiles too (array mode says why it is off)
    spec_view.set_axis_mode("mel")
    assert spec_view._long_values.shape[0] == source.rows
    spec_view.set_array_mode(True)
    assert "not for long files" in spec_view.message.toPlainText()
    spec_view.set_array_mode(False)
    spec_view.set_axis_mode("Hz")
    assert spec_view.message.toPlainText() == ""
    # new parameters: new tiles for the same file, with the new parameters' rows
    window.session.set_params(window.session.params.with_(kind="mel", n_mels=64))
    qtbot.waitUntil(lambda: window.session.spectrogram.params.kind == "mel"
                    and spec_view.overview_complete(), timeout=10000)
    qtbot.wait(100)
    assert spec_view._long_values.shape[0] == 64
    # resampling a long file is refused (it would decode the whole file)
    window.session.set_target_rate(16000)
    assert window.session.clip is loaded.clip
    spec_view.tiles.set_source(None)
    spec_view.tiles.wait(5000)
    qtbot.wait(50)


def test_long_file_stats_do_not_widen_the_window(qtbot, make_window, long_wav, long_threshold):
    """A long file's stats line is long: it wraps instead of pushing the window off the screen
    and squeezing the file and info docks."""
    window = make_window()
    qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
    docks = window.browser.width()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(window.spectrogram.overview_complete, timeout=20000)
    qtbot.wait(200)
    assert len(window.spectrogram.stats_label.text()) > 100
    assert window.minimumSizeHint().width() <= 1280 and window.width() == 1280
    assert window.browser.width() >= docks - 20
    window.spectrogram.tiles.set_source(None)
    window.spectrogram.tiles.wait(5000)


def test_a_wider_window_gets_a_finer_overview(qtbot, make_window, long_wav, long_threshold):
    """The overview is one column per pixel of the width the view has, even when it grows
    after the file opened (the first layout, a maximised window)."""
    window = make_window()
    window.resize(900, 700)
    qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
    window.open_paths([str(long_wav)])
    spec_view = window.spectrogram
    qtbot.waitUntil(spec_view.overview_complete, timeout=20000)
    qtbot.wait(300)  # the layout settles (opening a file widens the view a little)
    qtbot.waitUntil(spec_view.overview_complete, timeout=20000)
    narrow_step, narrow_width = spec_view.overview_step, spec_view.viewbox.width()
    source = window.session.spectrogram.source
    window.resize(2400, 700)
    try:
        qtbot.waitUntil(lambda: spec_view.viewbox.width() > 1.5 * narrow_width, timeout=5000)
    except Exception:
        raise AssertionError(f"the view did not widen: {narrow_width} -> "
                             f"{spec_view.viewbox.width()} (window {window.width()})") from None
    qtbot.waitUntil(lambda: spec_view.overview_step < narrow_step and spec_view.overview_complete(),
                    timeout=20000)
    assert source.columns(spec_view.overview_step) >= spec_view.viewbox.width()
    assert not np.isnan(spec_view._ov).any()
    # the finer overview holds the tiles' own columns
    tile = source.tile(spec_view.overview_step, 1)
    np.testing.assert_array_equal(spec_view._ov[:, 256:256 + tile.shape[1]], tile)
    spec_view.tiles.set_source(None)
    spec_view.tiles.wait(5000)


def _drawn_now(wave) -> bool:
    return not wave._redraw_timer.isActive()


def _view_envelope(wave, overview: Overview):
    """The envelope the waveform view asks `overview` for at its current range and width."""
    (x0, x1), _ = wave.viewbox.viewRange()
    width = max(100, int(wave.viewbox.width()))
    return overview.envelope(int(np.floor(x0 * SR)) - 1, int(np.ceil(x1 * SR)) + 2, width)


def test_waveform_fills_in_while_the_summaries_are_read(qtbot, make_window, long_wav,
                                                        long_threshold, slow_summaries):
    samples = sf.read(long_wav, dtype="float32", always_2d=True)[0]
    reference = Overview.from_array(samples, SR)  # what the complete overview must equal
    total = MINUTES * 60 * SR
    window = make_window()
    wave = window.waveform
    qtbot.waitUntil(lambda: wave.viewbox.width() > 100)
    qtbot.wait(300)  # the window's first layout and paint are not what is measured
    updates = []
    window.session.overviewChanged.connect(updates.append)
    beat = Heartbeat()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=10000)
    loaded = window.session.loaded
    # at once, from the header: the whole time axis, the facts; nothing drawn, all hatched
    assert not loaded.overview.complete and loaded.overview.frames == total
    assert wave.duration == pytest.approx(MINUTES * 60)
    assert wave.viewbox.viewRange()[0] == pytest.approx([0, MINUTES * 60])
    assert wave.unread.isVisible()
    info = window.info.text()
    assert f"{total} samples" in info and "1200.000 s" in info
    assert "shown when the summaries are complete" in info
    # the spectrogram's tiles need only the header: they start before the summaries are read
    qtbot.waitUntil(lambda: isinstance(window.session.spectrogram, LongSpectrogram), timeout=5000)
    assert not window.session.loaded.overview.complete

    def partial_drawn():
        ov = wave.overview
        assert 0 < ov.frames_done < total and _drawn_now(wave)

    qtbot.waitUntil(partial_drawn, timeout=5000)
    ov = wave.overview
    assert ov is window.session.loaded.overview
    part, whole = _view_envelope(wave, ov), _view_envelope(wave, reference)
    # the curve is the part read so far, the same columns as the complete overview's
    assert 0 < len(part.x) < len(whole.x) and part.end <= ov.frames_done
    n = len(part.x) - 1  # (the last column may cover frames not read yet)
    np.testing.assert_array_equal(part.low[:n], whole.low[:n])
    np.testing.assert_array_equal(part.high[:n], whole.high[:n])
    assert len(wave.curves[0].yData) == 4 * len(part.x)  # 4 points a column (polyline)
    # the rest is hatched as not read yet, and the label and status bar say how much is read
    assert wave.unread.getRegion() == pytest.approx((ov.frames_done / SR, MINUTES * 60))
    assert "% summarised" in wave.progress_label.text()
    assert "reading the waveform summaries" in window.statusBar().currentMessage()

    # zooming while it builds: an unread stretch stays empty, then fills in where the user is
    wave.viewbox.setXRange(1100.0, 1130.0, padding=0)
    qtbot.waitUntil(lambda: _drawn_now(wave) and wave.overview.frames_done < 1100 * SR)
    assert wave.curves[0].xData is None or len(wave.curves[0].xData) == 0
    qtbot.waitUntil(lambda: wave.overview.complete, timeout=20000)
    qtbot.waitUntil(lambda: _drawn_now(wave))
    gap = beat.stop()
    assert wave.viewbox.viewRange()[0] == pytest.approx([1100.0, 1130.0])  # not reset
    assert len(wave.curves[0].xData) > 0 and wave.curves[0].xData.min() >= 1099.0
    # complete: exactly the overview read in one go, nothing hatched, the peak in the panel
    final = wave.overview
    assert final is window.session.loaded.overview and final.frames_done == total
    for a, b in zip(reference.levels, final.levels, strict=True):
        np.testing.assert_array_equal(a.mins, b.mins)
        np.testing.assert_array_equal(a.maxs, b.maxs)
    assert not wave.unread.isVisible() and wave.progress_label.text() == ""
    assert "dBFS (from the summaries)" in window.info.text()
    assert window.session.loaded.builder is None
    assert "long file, summaries" in window.statusBar().currentMessage()
    # a few updates a second, not one per block (293 blocks)
    assert 3 <= len(updates) <= 15 and updates[-1] is final
    assert gap < 0.050 * 3, f"event loop stalled {gap * 1000:.0f} ms"  # 50 ms target, CI noise


def test_opening_another_file_stops_reading_the_summaries(qtbot, make_window, long_wav,
                                                          long_threshold, slow_summaries,
                                                          speech_path):
    from tests.ui.conftest import wait_loaded

    window = make_window()
    session = window.session

    def reading():
        assert session.loaded is not None and session.loaded.builder is not None
        assert session.loaded.builder.frames_done > 0

    window.open_paths([str(long_wav)])
    qtbot.waitUntil(reading, timeout=10000)
    builder = session.loaded.builder
    window.open_paths([str(speech_path)])
    t0 = time.perf_counter()
    qtbot.waitUntil(lambda: not session.summaries_active(), timeout=2000)
    assert time.perf_counter() - t0 < 0.5  # stopped between two blocks
    done = builder.frames_done
    assert done < builder.frames
    wait_loaded(qtbot, window, speech_path)
    qtbot.wait(300)
    assert builder.frames_done == done  # nothing more was read
    # the short file is shown, nothing of the long one arrives late
    assert window.waveform.overview is session.loaded.overview
    assert window.waveform.overview.complete and not window.waveform.unread.isVisible()
    assert window.waveform.overview.frames == session.loaded.clip.frames
    # shutting down stops a build too
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(reading, timeout=10000)
    builder = session.loaded.builder
    window.shutdown()
    qtbot.waitUntil(lambda: not session.summaries_active(), timeout=2000)
    assert builder.frames_done < builder.frames


def test_a_read_error_part_way_keeps_what_was_read(qtbot, make_window, long_wav,
                                                   long_threshold, monkeypatch):
    monkeypatch.setattr(overview_module, "READ_FRAMES", 1 << 20)
    add = OverviewBuilder.add

    def failing_add(self, block):
        if self.frames_done >= 3 << 20:
            raise OSError("read error")
        add(self, block)

    monkeypatch.setattr(OverviewBuilder, "add", failing_add)
    window = make_window()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None
                    and window.session.loaded.overview.complete, timeout=10000)
    qtbot.waitUntil(lambda: _drawn_now(window.waveform))
    overview = window.waveform.overview
    assert overview is window.session.loaded.overview and overview.frames_done == 3 << 20
    assert not window.waveform.unread.isVisible() and len(window.waveform.curves[0].xData)
    assert "Could not read all" in window.statusBar().currentMessage()
    assert "the file ended early" in window.info.text()


def test_short_files_keep_the_exact_path(qtbot, window_on_samples):
    loaded = window_on_samples.session.loaded
    assert not loaded.long
    assert window_on_samples.spectrogram.long_spec is None
    assert window_on_samples.session.spectrogram.values.ndim == 2


def test_switching_from_long_to_short(qtbot, make_window, long_wav, long_threshold, speech_path):
    from tests.ui.conftest import wait_loaded

    window = make_window()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: isinstance(window.session.spectrogram, LongSpectrogram),
                    timeout=20000)
    window.open_paths([str(speech_path)])
    wait_loaded(qtbot, window, speech_path)
    qtbot.waitUntil(lambda: window.spectrogram.long_spec is None)
    assert window.spectrogram.spec is window.session.spectrogram
    assert not window.session.loaded.long


def test_long_file_plays_window_by_window(qtbot, make_window, fake_player, long_wav,
                                          long_threshold):
    """The player gets one window of the file at a time, never the whole file; the next window
    is chained onto the playing stream ahead of time (gapless), one window ahead at most."""
    from explorer.audio.windowed import FIRST_WINDOW_SECONDS, WINDOW_SECONDS, WindowedPlayer

    window = make_window()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    assert isinstance(window.playback.player, WindowedPlayer)
    frames, first = int(WINDOW_SECONDS * SR), int(FIRST_WINDOW_SECONDS * SR)
    window.playback.seek(600.0)
    window.playback.play()
    # the click reads only a short first window (on the GUI thread), so sound starts at once
    play = fake_player.called("play")[-1]
    assert play[1] == first and play[2] == SR and play[4] == 0
    assert window.playback.player.position == 600 * SR
    # the next window is read off the GUI thread and queued behind the playing one
    qtbot.waitUntil(lambda: len(fake_player.called("queue_next")) == 1)
    assert fake_player.called("queue_next")[0] == ("queue_next", frames, False)
    qtbot.wait(150)
    assert len(fake_player.called("queue_next")) == 1  # one window ahead, no more
    # the player moved on into it: positions continue in file frames, the one after is queued
    fake_player.queued, fake_player.position = 0, first + 100
    assert window.playback.player.position == 600 * SR + first + 100
    qtbot.waitUntil(lambda: len(fake_player.called("queue_next")) == 2)
    assert len(fake_player.called("play")) == 1
    # had the chain run out (a read too late), playback goes on from where it ended
    fake_player.state = "stopped"
    fake_player.position = first + 2 * frames
    assert window.playback.player.state == "playing"
    assert window.playback.player.position == 600 * SR + first + 2 * frames
    assert len(fake_player.called("play")) == 2
    # a seek outside the held windows reads from there
    window.playback.seek(60.0)
    assert fake_player.called("play")[-1][1] == first
    assert window.playback.player.position == 60 * SR
    # a short loop region is played as one looping window
    window.session.set_selection((100.0, 102.0))
    window.playback.set_loop(True)
    assert fake_player.called("play")[-1][1] == 2 * SR and fake_player.called("play")[-1][6]
    window.playback.stop()
    # a short file after it plays through the real player again
    window.open_paths([str(SAMPLES)])
    qtbot.waitUntil(lambda: window.session.loaded is not None and not window.session.loaded.long,
                    timeout=20000)
    assert window.playback.player is fake_player
