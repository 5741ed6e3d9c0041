"""The live view: scrolling columns from a source, freeze, record, switching and failing sources.

Without sound: a fake player whose tap the test writes, and fake input streams. With the virtual
sound card (@sound): the null sink's monitor as input, and Playback through a real Player.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import soundfile as sf
from PySide6.QtGui import QColor

from explorer.audio.live import PLAYBACK, LiveInput, SourceSpec
from explorer.model import SpectrogramParams, compute, from_array, load, make_tone
from explorer.model.colormaps import lookup_table
from explorer.ui.live.view import LiveView
from tests.audio.test_live_input import FakeStream
from tests.soundcard import dominant_frequency, trim

SR = 48000


class TapPlayer:
    """What LiveView needs of a Player: a tap attribute, a stream rate, a state, underflows."""

    def __init__(self, rate: int = SR) -> None:
        self.tap = None
        self.stream_rate = rate
        self.state = "playing"
        self.underflows = 0

    def send(self, samples: np.ndarray, block: int = 1024) -> None:
        samples = np.asarray(samples, np.float32)
        for start in range(0, samples.size, block):
            self.tap.write(samples[start:start + block])


@pytest.fixture
def make_view(qtbot):
    views = []

    def make(player=None, **kwargs):
        view = LiveView(player=player, **kwargs)
        qtbot.addWidget(view)
        view.resize(1000, 500)
        view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def test_playback_columns_scroll_and_freeze_stops_them(qtbot, make_view):
    player = TapPlayer()
    view = make_view(player)
    assert view.source == PLAYBACK and player.tap is not None
    player.send(make_tone(2000, 0.5, SR, 0.5))
    qtbot.waitUntil(lambda: view.live is not None and view.live.total_columns >= 40, timeout=3000)
    assert view.live.peak()[0] == pytest.approx(2000, abs=SR / 2048)
    assert view.frames > 0 and view.image.pixels.any()

    view.freeze_button.click()
    assert view.frozen and view.freeze_button.text() == "Resume"
    columns, pixels = view.live.total_columns, view.image.pixels.copy()
    player.send(make_tone(500, 0.5, SR, 0.5))
    qtbot.wait(150)
    assert view.live.total_columns == columns
    np.testing.assert_array_equal(view.image.pixels, pixels)

    view.freeze_button.click()
    assert not view.frozen
    player.send(make_tone(500, 0.5, SR, 0.5))
    qtbot.waitUntil(lambda: view.live.total_columns > columns + 20, timeout=3000)
    assert view.live.peak()[0] == pytest.approx(500, abs=SR / 2048)


def test_record_emits_a_clip_and_saves_wav(qtbot, make_view, tmp_path):
    player = TapPlayer()
    view = make_view(player)
    view.set_seconds(2)
    tone = make_tone(1000, 1.0, SR, 0.5)
    player.send(tone)
    qtbot.waitUntil(lambda: view.history is not None and view.history.written >= tone.size,
                    timeout=3000)
    view.set_frozen(True)
    with qtbot.waitSignal(view.openInExplorer) as signal:
        view.record_button.click()
    clip = signal.args[0]
    assert clip.sample_rate == SR and clip.samples.shape[0] <= 2 * SR
    assert dominant_frequency(trim(clip.samples[:, 0], SR), SR) == pytest.approx(1000, abs=2)
    path = view.save_wav(tmp_path / "live.wav")
    data, rate = sf.read(path, dtype="float32")
    assert rate == SR
    np.testing.assert_array_equal(data, clip.samples[:, 0])


def test_controls_rebuild_from_the_kept_samples(qtbot, make_view):
    player = TapPlayer()
    view = make_view(player)
    player.send(make_tone(3000, 0.6, SR, 0.5))
    qtbot.waitUntil(lambda: view.live is not None and view.live.total_columns >= 50, timeout=3000)
    view.set_frozen(True)
    view.set_params(SpectrogramParams(n_fft=1024, hop_length=256))
    assert view.live.n_fft == 1024 and view.live.total_columns >= 100  # past re-analysed
    assert view.live.peak()[0] == pytest.approx(3000, abs=SR / 1024)
    for mode in ("mel", "log", "Hz"):
        view.set_axis_mode(mode)
        assert view.image.pixels.shape[0] <= 1024 and view.image.pixels.any()
    view.set_params(SpectrogramParams(kind="mel", n_mels=64))
    assert view.live.image.shape[0] == 64
    view.set_colormap("viridis")
    view.set_levels(-80, -10)
    viridis = lookup_table("viridis").astype(np.int64)
    words = (0xFF000000 | (viridis[:, 0] << 16) | (viridis[:, 1] << 8) | viridis[:, 2]).astype(np.uint32)
    drawn = view.image.pixels[view.image.pixels != 0]
    assert np.isin(drawn, words).all()  # the image is recoloured with the new map
    # the colour bar: viridis from -80 dB at the bottom to -10 dB at the top, brighter at every step
    assert view.colour_bar.axis.limits == (-80, -10)
    bar = view.colour_bar
    image = bar.grab().toImage()  # lays the plot out first
    box = bar.mapFromScene(bar.image.sceneBoundingRect()).boundingRect()
    column = [QColor(image.pixel(box.center().x(), y)) for y in range(box.bottom() - 1, box.top(), -1)]
    rgb = np.array([c.getRgb()[:3] for c in column])
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    steps = luma[::8]
    assert len(steps) > 20 and (np.diff(steps) > 0).all()
    assert np.abs(rgb[0] - viridis[0]).max() <= 6 and np.abs(rgb[-1] - viridis[-1]).max() <= 6


def test_switching_sources_and_a_device_that_fails(qtbot, make_view):
    FakeStream.instances = []
    player = TapPlayer()
    view = make_view(player, live_input=LiveInput(player, stream_factory=FakeStream))
    mic = SourceSpec("input", "fake mic", 7)
    view.select_source(mic)
    assert player.tap is None  # the tap goes with Playback
    qtbot.waitUntil(lambda: view.input.state == "running", timeout=3000)
    stream = FakeStream.instances[-1]
    stream.feed(make_tone(1500, 0.3, SR, 0.5))
    qtbot.waitUntil(lambda: view.live is not None and view.live.total_columns > 10, timeout=3000)
    assert view.live.peak()[0] == pytest.approx(1500, abs=SR / 2048)

    stream.vanish()  # the device went away
    qtbot.waitUntil(lambda: view.input.state == "failed", timeout=3000)
    qtbot.wait(50)
    assert "disconnected" in view.status_label.text()
    assert "disconnected" in view.message.toPlainText()
    assert not view._timer.isActive()
    qtbot.waitUntil(lambda: stream.closed, timeout=3000)

    view.select_source("Playback")  # back to playback: running again
    assert view.input.state == "running" and view._timer.isActive()
    assert player.tap is not None


def test_an_input_that_cannot_open_shows_a_message(qtbot, make_view):
    def broken(**_kwargs):
        raise RuntimeError("Invalid number of channels [PaErrorCode -9998]")

    view = make_view(None, live_input=LiveInput(stream_factory=broken))
    view.select_source(SourceSpec("input", "broken mic", 9))
    qtbot.waitUntil(lambda: view.input.state == "failed", timeout=3000)
    qtbot.waitUntil(lambda: "Invalid number of channels" in view.status_label.text(), timeout=3000)
    assert view.record() is None  # nothing recorded: a message, no exception


def test_overflows_show_in_the_indicator(qtbot, make_view):
    FakeStream.instances = []
    view = make_view(None, live_input=LiveInput(stream_factory=FakeStream))
    view.select_source(SourceSpec("input", "fake mic", 7))
    qtbot.waitUntil(lambda: view.input.state == "running", timeout=3000)
    from tests.audio.test_live_input import OVERFLOW

    FakeStream.instances[-1].feed(np.zeros(256), OVERFLOW)
    qtbot.waitUntil(lambda: "1 xruns" in view.xrun_label.text(), timeout=3000)


# ----- through the virtual sound card -----
def _monitor_spec(null_sink) -> SourceSpec:
    return SourceSpec("input", f"monitor {null_sink.monitor}", "pulse", null_sink.monitor)


@pytest.mark.sound
def test_monitor_input_follows_a_tone_from_1k_to_3k_and_records_both(qtbot, make_view, null_sink):
    from explorer.audio import Player

    player = Player()
    view = make_view(player)
    view.set_seconds(4)
    view.select_source(_monitor_spec(null_sink))
    qtbot.waitUntil(lambda: view.input.state == "running", timeout=5000)
    tones = np.concatenate([make_tone(1000, 1.0, SR, 0.5), make_tone(3000, 1.0, SR, 0.5)])
    player.play(tones, SR)
    peaks = []

    def saw(freq):
        peaks.append(view.live.peak()[0] if view.live is not None else 0.0)
        assert abs(peaks[-1] - freq) < SR / 2048

    qtbot.waitUntil(lambda: saw(1000), timeout=5000)
    qtbot.waitUntil(lambda: saw(3000), timeout=5000)
    qtbot.waitUntil(lambda: player.state == "stopped", timeout=5000)
    qtbot.wait(300)
    view.set_frozen(True)
    clip = view.record()
    player.stop()
    samples = trim(clip.samples[:, 0], SR)
    assert samples.size == pytest.approx(2 * SR, rel=0.05)
    half = samples.size // 2
    assert dominant_frequency(samples[:half], SR) == pytest.approx(1000, abs=5)
    assert dominant_frequency(samples[half:], SR) == pytest.approx(3000, abs=5)
    assert view.input.input_overflows == 0


@pytest.mark.sound
def test_playback_source_shows_the_model_spectrogram_of_the_file(qtbot, make_view, null_sink,
                                                                 speech_path):
    """The tap is bit-exact, so the live columns equal the model's (center=False) columns of the
    same samples, within 0.01 dB where the level is above -80 dBFS (float32 FFTs)."""
    from explorer.audio import Player

    clip = load(speech_path)
    sr = clip.sample_rate
    x = clip.mono()[:2 * sr].astype(np.float32)
    player = Player()
    view = make_view(player)
    view.set_seconds(5)
    assert view.source == PLAYBACK
    player.play(x, sr)
    qtbot.waitUntil(lambda: player.state == "stopped", timeout=8000)
    qtbot.waitUntil(lambda: view.rate == sr, timeout=3000)
    qtbot.wait(200)
    view.set_frozen(True)
    live = view.live
    assert player.stream_rate == sr  # no resampling: the tap holds the file's samples
    history = view.recorded_samples()
    corr = scipy.signal.correlate(history, x, mode="valid", method="fft")
    o = int(np.argmax(corr))
    np.testing.assert_array_equal(history[o:o + x.size], x)  # counted: exactly the file

    n_fft, hop = live.n_fft, live.hop
    first_live_start = history.size - live.samples_after_last_column - n_fft  # newest column
    r = (first_live_start - o) % hop
    model = compute(x[r:], SpectrogramParams(center=False, db=False, power=2.0), sample_rate=sr)
    model_db = 10 * np.log10(np.maximum(model.values / live._full_scale ** 2, 1e-30))
    ordered = live.ordered()
    compared, worst = 0, 0.0
    for i in range(model_db.shape[1]):
        j = (first_live_start - (o + r + i * hop)) // hop  # columns back from the newest
        if not 0 <= j < min(live.total_columns, live.columns):
            continue
        col = ordered[:, live.columns - 1 - j]
        loud = model_db[:, i] > -80
        np.testing.assert_allclose(col[loud], model_db[loud, i], atol=0.01)
        worst = max(worst, float(np.max(np.abs(col[loud] - model_db[loud, i]), initial=0)))
        compared += 1
    assert compared >= model_db.shape[1] - 1 and worst < 0.01


def test_no_sources_at_all_gives_a_message(qtbot, make_view, monkeypatch):
    import explorer.ui.live.controls as live_controls

    monkeypatch.setattr(live_controls, "list_sources", lambda **_kwargs: [])
    view = make_view(None)
    assert view.source_combo.count() == 0
    assert "no live source" in view.message.toPlainText()
    assert view.record() is None


def test_the_window_docks_the_live_view_and_builds_it_on_demand(qtbot, make_window):
    window = make_window()
    assert not window.live_dock.isVisible() and not window._live_page.is_built
    toggle = window.live_dock.toggleViewAction()
    assert toggle.shortcut().toString() == "Ctrl+L"
    toggle.trigger()
    qtbot.waitUntil(lambda: window._live_page.is_built, timeout=5000)
    assert window.live_view.player is window.player
    qtbot.waitUntil(lambda: window.live_dock.height() >= 260, timeout=3000)  # readable, not squashed
    clip = from_array(np.zeros(800, np.float32), 8000, name="recorded")
    window.live_view.openInExplorer.emit(clip)
    qtbot.waitUntil(lambda: window.session.clip is not None, timeout=10000)
    assert window.windowTitle() == "Audio Explorer — recorded"


def test_saving_a_recording_on_a_full_disk_says_why(qtbot, make_view, small_disk, save_dialog):
    from explorer.ui.live import recording as live_recording

    player = TapPlayer()
    view = make_view(player)
    player.send(make_tone(1000, 0.5, SR, 0.5))
    qtbot.waitUntil(lambda: view.history is not None and view.history.written > 0, timeout=3000)
    path = small_disk.root / "live.wav"
    path.write_bytes(b"old take")
    small_disk.fill()
    warnings = save_dialog(live_recording, path)
    view.save_button.click()
    assert warnings == [f"cannot write {path}: disk full"]
    assert view.status_label.text() == warnings[0]
    assert small_disk.files() == {"live.wav": b"old take"}
