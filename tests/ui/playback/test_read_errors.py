"""A long file that stops being readable while it plays: the transport stops and says why."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from explorer.audio.windowed import FIRST_WINDOW_SECONDS, WindowedPlayer
from explorer.ui.state.long_file import LONG_SECONDS_ENV

SR = 8000


@pytest.mark.parametrize("when", ["feeding the next window", "restarting after the chain ran out"])
def test_a_read_error_while_playing_stops_the_transport_and_says_why(
        qtbot, make_window, fake_player, tmp_path, monkeypatch, when):
    monkeypatch.setenv(LONG_SECONDS_ENV, "60")
    path = tmp_path / "field.wav"
    sf.write(path, np.full(SR * 150, 0.1, np.float32), SR, subtype="PCM_16")  # 2.5 min: "long"
    window = make_window()
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    playback = window.playback
    assert isinstance(playback.player, WindowedPlayer)
    failed: list[str] = []
    playback.failed.connect(failed.append)
    playback.play()
    qtbot.waitUntil(lambda: len(fake_player.called("queue_next")) == 1)  # the next window, read
    tiles = window.spectrogram.tiles  # the views' own reading done (theirs is another story)
    qtbot.waitUntil(lambda: not window.jobs.active() and not tiles.pending(), timeout=20000)
    tiles.wait()
    path.unlink()  # the file goes away (deleted, its drive unplugged) while it plays
    first = int(FIRST_WINDOW_SECONDS * SR)
    fake_player.queued, fake_player.position = 0, first + 100  # into the queued window
    if when.startswith("restarting"):
        fake_player.state = "stopped"  # the feeder was too late: the window reads from the file
    qtbot.waitUntil(lambda: playback.state == "stopped", timeout=3000)
    assert fake_player.state == "stopped" and fake_player.called("stop")  # the sound stops now
    assert failed == [playback.player.read_error]
    assert failed[0] == "field.wav could not be read (no such file or directory)"
    assert window.statusBar().currentMessage() == f"Playback failed: {failed[0]}"
    assert playback.cursor == (first + 100) / SR  # Play would go on from where it stopped
    assert len(fake_player.called("play")) == 1  # and nothing restarted by itself
