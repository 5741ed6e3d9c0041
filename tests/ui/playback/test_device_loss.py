"""The window when the sound server goes away while it plays: the transport stops within ~2 s and
says so, the clip stays, the GUI thread never stalls, and Play plays again once a server is back."""

from __future__ import annotations

import signal
import time

import pytest
from PySide6.QtCore import QTimer

from explorer.audio import Player
from tests.private_pulse import PrivatePulse, loud, private_pulse  # noqa: F401 (fixture)
from tests.ui.conftest import wait_loaded

pytestmark = pytest.mark.sound

SIGNALS = {"killed": signal.SIGKILL, "terminated": signal.SIGTERM, "frozen": signal.SIGSTOP}


class StallMeter:
    """The longest gap between ticks of a 10 ms GUI timer: how long the GUI thread was busy."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._last = time.monotonic()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self._last)
        self._last = now


@pytest.mark.parametrize("how", list(SIGNALS))
def test_window_stops_says_so_and_plays_again_on_a_new_server(
        qtbot, make_window, private_pulse: PrivatePulse, speech_path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    for key, value in private_pulse.env().items():
        if key.startswith("PULSE"):
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("PULSE_SINK", raising=False)
    window = make_window(player=Player())
    window.open_paths([str(speech_path)])
    wait_loaded(qtbot, window, speech_path)
    playback = window.playback
    playback.rate = 0.5  # 28 s: it would play on long after the server is gone
    playback.seek(3.0)  # into the speech (it starts quietly)

    rec = private_pulse.recorder()
    try:
        qtbot.wait(300)
        window.transport.play_button.click()
        qtbot.waitUntil(lambda: playback.state == "playing", timeout=5000)
        qtbot.wait(2000)
        heard = loud(rec.samples())
    finally:
        rec.close()
    assert heard > 0.3, f"no sound came out before the server was {how}"
    assert playback.state == "playing"

    meter = StallMeter()
    private_pulse.signal(SIGNALS[how])
    lost_at = time.monotonic()
    qtbot.waitUntil(lambda: playback.state == "stopped", timeout=6000)
    took = time.monotonic() - lost_at
    print(f"window, server {how}: transport stopped {took:.2f} s later, "
          f"GUI thread busy {meter.worst * 1000:.0f} ms at most")
    assert took < 2.5
    message = window.statusBar().currentMessage()
    assert "sound device lost" in message and "Press Play to try again" in message
    assert window.transport.play_button.text() == "▶ Play"
    assert playback.clip is not None and window.session.loaded is not None  # the clip stays
    assert playback.cursor > 3.2  # stopped where it was (2 s at x0.5 from 3 s), not at the start
    qtbot.wait(500)
    assert playback.state == "stopped"  # it does not restart by itself

    if how == "frozen":  # Play while the server is still frozen: a message, not a hang
        window.transport.play_button.click()
        asked = time.monotonic()
        qtbot.waitUntil(lambda: "did not answer" in window.statusBar().currentMessage(),
                        timeout=8000)
        print(f"window, Play on a frozen server: told {time.monotonic() - asked:.2f} s later")
        assert playback.state == "stopped"
    assert meter.worst < 1.0, f"the GUI thread stalled {meter.worst:.2f} s"

    private_pulse.restart()  # a server is back (the frozen one killed first)
    rec = private_pulse.recorder()
    try:
        qtbot.wait(300)
        window.transport.play_button.click()  # lists the devices again, then plays
        qtbot.waitUntil(lambda: playback.state == "playing", timeout=8000)
        qtbot.wait(2000)
        heard = loud(rec.samples())
        assert playback.player.state == "playing" and not playback.player.lost
    finally:
        rec.close()
        playback.stop()
    meter.timer.stop()
    assert heard > 0.3, "no sound came out of the restarted server after Play"
    assert window.transport.device_box.count() >= 2  # the refreshed list: default + devices
    assert meter.worst < 1.0, f"the GUI thread stalled {meter.worst:.2f} s"


def test_a_long_file_stops_on_a_lost_device_and_does_not_restart_itself(
        qtbot, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np
    import soundfile as sf

    from explorer.audio import devices as devices_module
    from explorer.audio.windowed import PlaybackClip, WindowedPlayer
    from explorer.model import info
    from explorer.ui.playback.transport import Playback
    from explorer.ui.state.long_file import LongClip
    from tests.audio.test_player_logic import BLOCK, FakeSD

    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    sf.write(tmp_path / "long.wav", np.full(80000, 0.1, np.float32), 8000, subtype="FLOAT")
    clip = LongClip(info(tmp_path / "long.wav"))
    playback = Playback(WindowedPlayer(Player(blocksize=BLOCK), clip, window_seconds=1.0))
    playback.set_clip(PlaybackClip(clip))
    playback.play()
    sd.stream.pump(10)  # 0.32 s sent, of which the last ~0.13 s still queued (fake latency)
    lost: list[str] = []
    playback.deviceLost.connect(lost.append)
    sd.stream.active = False
    sd.stream.finished_callback()  # PortAudio's word when the sound server dies
    qtbot.waitUntil(lambda: playback.state == "stopped", timeout=2000)
    qtbot.wait(200)  # the feeder and the state poll must not start a new stream
    assert len(sd.streams) == 1 and playback.state == "stopped"
    assert lost and lost[0].startswith("sound device lost: 'fake' stopped with an error")
    assert 0.15 < playback.cursor <= 10 * BLOCK / 8000  # kept where it was heard
