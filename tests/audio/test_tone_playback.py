"""The tone panel through a real Player into the virtual sound card: what comes out is the tone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from explorer.model.tones import ToneSpec
from tests.soundcard import active_region, dominant_frequency, rms, trim

pytestmark = pytest.mark.sound


@pytest.fixture
def panel(qtbot, null_sink):
    from explorer.audio.player import Player
    from explorer.ui.tones.panel import ToneGeneratorPanel

    player = Player()
    p = ToneGeneratorPanel(player=player)
    qtbot.addWidget(p)
    yield p
    player.stop()


def _play_and_record(panel, qtbot, null_sink, start=None):
    """Record what `start` (default: the Play button) plays until the panel says it ended."""
    with null_sink.recording(rate=48000) as rec:
        with qtbot.waitSignal(panel.playingChanged, timeout=2000) as started:
            if start is None:
                assert panel.play(), panel.status_text()
            else:
                start()
        assert started.args == [True], panel.status_text()
        # the panel notices by itself when the sound has ended
        with qtbot.waitSignal(panel.playingChanged, timeout=10000) as ended:
            pass
        assert ended.args == [False]
        assert panel.player().state == "stopped"
    return rec


@pytest.mark.parametrize("button, pitch, seconds", [(1.0, 500.0, 1.0), (2.0, 1000.0, 0.5)])
def test_recorded_pitch_is_the_tones(panel, qtbot, null_sink, button, pitch, seconds):
    panel.apply_preset("500 Hz")
    # a click on the rate button plays at that rate (no Play needed)
    rec = _play_and_record(panel, qtbot, null_sink, panel.speed_buttons[button].click)
    assert panel.playback_rate() == button
    sound = trim(rec.samples, rec.rate)
    assert rms(sound) == pytest.approx(0.1 / 2**0.5, rel=0.1)  # amplitude 0.1 came through
    assert dominant_frequency(sound, rec.rate) == pytest.approx(pitch, abs=2.0)
    start, end = active_region(rec.samples, rec.rate)
    assert end - start == pytest.approx(seconds, abs=0.05)


def test_typed_rate_and_sequence(panel, qtbot, null_sink):
    """500 then 1000 Hz typed to play at 8000 Hz (Enter plays): an octave lower, twice as long."""
    panel.set_tones([ToneSpec(500, duration=0.4), ToneSpec(1000, duration=0.4)])
    panel.set_combine("sequence")
    panel.show()
    qtbot.waitExposed(panel)
    spin = panel.play_rate_spin

    def type_rate_and_press_enter():
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, "8000")
        qtbot.keyClick(spin, Qt.Key.Key_Return)

    rec = _play_and_record(panel, qtbot, null_sink, type_rate_and_press_enter)
    assert panel.playback_rate() == 0.5
    sound = trim(rec.samples, rec.rate)
    assert len(sound) / rec.rate == pytest.approx(1.6, abs=0.05)
    half = len(sound) // 2
    assert dominant_frequency(sound[: half - 2400], rec.rate) == pytest.approx(250, abs=2)
    assert dominant_frequency(sound[half + 2400:], rec.rate) == pytest.approx(500, abs=2)
