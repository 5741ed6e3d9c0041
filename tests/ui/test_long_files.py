"""Long files: summaries and spectrogram tiles from the file, the event loop never stalls.

The "long" threshold is lowered through AUDIO_EXPLORER_LONG_SECONDS so that a 20-minute file
at 8 kHz (19 MB) stands in for hours in CI."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QTimer

from explorer.ui.long_file import LONG_SECONDS_ENV, LongClip, LongSpectrogram

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


class Heartbeat:
    """A 10 ms timer recording the largest gap between two of its ticks."""

    def __init__(self) -> None:
        self.max_gap = 0.0
        self.last = time.perf_counter()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.max_gap


def test_long_file_opens_from_summaries_and_tiles(qtbot, make_window, long_wav, long_threshold):
    window = make_window()
    qtbot.waitUntil(lambda: window.spectrogram.viewbox.width() > 100)
    beat = Heartbeat()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    loaded = window.session.loaded
    assert loaded.long and isinstance(loaded.clip, LongClip)
    # the session holds no sample array: only summaries (far smaller than the file)
    with pytest.raises(ValueError):
        loaded.clip.samples  # noqa: B018
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
    from explorer.ui.long_playback import WINDOW_SECONDS, WindowedPlayer

    window = make_window()
    window.open_paths([str(long_wav)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    assert isinstance(window.playback.player, WindowedPlayer)
    frames = int(WINDOW_SECONDS * SR)
    window.playback.seek(600.0)
    window.playback.play()
    play = fake_player.called("play")[-1]
    assert play[1] == frames and play[2] == SR and play[4] == 0
    assert window.playback.player.position == 600 * SR
    # the next window is read off the GUI thread and queued behind the playing one
    qtbot.waitUntil(lambda: len(fake_player.called("queue_next")) == 1)
    assert fake_player.called("queue_next")[0] == ("queue_next", frames, False)
    qtbot.wait(150)
    assert len(fake_player.called("queue_next")) == 1  # one window ahead, no more
    # the player moved on into it: positions continue in file frames, the one after is queued
    fake_player.queued, fake_player.position = 0, frames + 100
    assert window.playback.player.position == 600 * SR + frames + 100
    qtbot.waitUntil(lambda: len(fake_player.called("queue_next")) == 2)
    assert len(fake_player.called("play")) == 1
    # had the chain run out (a read too late), the next window plays from where it ended
    fake_player.state = "stopped"
    fake_player.position = 3 * frames
    assert window.playback.player.state == "playing"
    assert window.playback.player.position == 600 * SR + 3 * frames
    assert len(fake_player.called("play")) == 2
    # a seek outside the window reads the window there
    window.playback.seek(60.0)
    assert fake_player.called("play")[-1][1] == int(WINDOW_SECONDS * SR)
    assert window.playback.player.position == 60 * SR
    # a short loop region is played as one looping window
    window.session.set_selection((100.0, 102.0))
    window.playback.set_loop(True)
    assert fake_player.called("play")[-1][1] == 2 * SR and fake_player.called("play")[-1][6]
    window.playback.stop()
    # a short file after it plays through the real player again
    window.open_paths([str(Path(__file__).resolve().parents[2] / "resources" / "samples")])
    qtbot.waitUntil(lambda: window.session.loaded is not None and not window.session.loaded.long,
                    timeout=20000)
    assert window.playback.player is fake_player
