"""The transport's output-device box: the device chosen is the one the player's stream opens,
also mid-play, and a choice survives the device list being read again (after a lost device)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.audio import Player
from explorer.audio import devices as devices_module
from explorer.model import from_array, make_tone
from explorer.ui.playback.transport import Playback, TransportBar
from tests.audio.test_player_logic import BLOCK, FakeSD

SR = 8000


def _device(name: str, index: int, sd: FakeSD | None = None) -> SimpleNamespace:
    if sd is not None:  # PortAudio knows it too
        sd.devices.append({"index": index, "name": name, "hostapi": 0, "max_input_channels": 0,
                           "max_output_channels": 2, "default_samplerate": 48000.0})
    return SimpleNamespace(name=name, index=index)


@pytest.fixture()
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> FakeSD:
    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    ticks = itertools.count(0.0, 10.0)
    monkeypatch.setattr("explorer.audio.player._monotonic", lambda: next(ticks))
    return sd


def _choose(qtbot, box, text: str) -> None:
    """Like a user: arrow keys on the focused box until `text` shows (each step is a choice)."""
    box.setFocus()
    key = Qt.Key.Key_Down if box.findText(text) > box.currentIndex() else Qt.Key.Key_Up
    while box.currentText() != text:
        qtbot.keyClick(box, key)


def test_the_chosen_device_is_where_sound_goes(qtbot, fake_sd):
    player = Player(blocksize=BLOCK)
    playback = Playback(player)
    devices = [_device("fake", 0), _device("USB headset", 3, fake_sd)]
    bar = TransportBar(playback, devices)
    qtbot.addWidget(bar)
    bar.show()
    box = bar.device_box
    assert [box.itemText(i) for i in range(box.count())] == ["default output", "fake", "USB headset"]
    playback.set_clip(from_array(make_tone(440, 2.0, SR, 0.3), SR))
    playback.play()
    assert player.device is None and fake_sd.stream.kwargs["device"] == 0  # the default (fake)
    fake_sd.stream.pump(20)
    heard = player.position

    _choose(qtbot, box, "USB headset")  # while playing: on there, from where it was
    assert player.device == 3
    stream = fake_sd.stream
    assert stream.kwargs["device"] == 3 and stream.active
    assert not any(s.active for s in fake_sd.streams[:-1])  # one stream plays: the headset's
    assert player.state == "playing" and player.position == pytest.approx(heard, abs=BLOCK)
    start = player.position
    stream.pump(1)
    tone = make_tone(440, 2.0, SR, 0.3)
    np.testing.assert_allclose(stream.sent[0][:, 0], tone[start:start + BLOCK], atol=1e-6)  # goes on

    # the list read again (after a lost device): the headset has a new index, the choice stays
    bar.set_devices([_device("USB headset", 5, fake_sd), _device("fake", 0)])
    assert box.currentText() == "USB headset" and player.device == 5
    assert fake_sd.stream.kwargs["device"] == 5
    # ... and when it is gone, the default output
    bar.set_devices([_device("fake", 0)])
    assert box.currentText() == "default output" and player.device is None
    _choose(qtbot, box, "fake")
    assert player.device == 0 and fake_sd.stream.kwargs["device"] == 0
    playback.stop()
