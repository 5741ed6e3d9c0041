"""The Compare window's A/B key on the (virtual) sound card: Space plays A (a sweep around
440 Hz), B switches to B (one around 660 Hz); the recording turns from one to the other at the
same frame, with no gap (the analysis of tests/audio/test_ab_sound.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from explorer.audio import Player
from explorer.model import from_array
from explorer.ui.compare.window import CompareWindow
from tests.audio.test_ab_sound import (
    A_BAND,
    B_BAND,
    SR,
    check_switch,
    sweep,
    without_underflow,
)
from tests.soundcard import SoundCard

pytestmark = pytest.mark.sound


def test_b_key_switches_what_the_sound_card_plays(qtbot, null_sink: SoundCard) -> None:
    a, b = sweep(A_BAND), sweep(B_BAND)
    player = Player(blocksize=1024)
    window = CompareWindow(player)
    qtbot.addWidget(window)
    window.show()

    def run():
        window.ab.stop()
        window.ab.seek(0.0)
        window.ab.switch(0)
        player.underflows = 0
        with null_sink.recording(rate=SR) as rec:
            qtbot.keyClick(window, Qt.Key.Key_Space)
            assert window.ab.state == "playing"
            qtbot.wait(600)
            qtbot.keyClick(window, Qt.Key.Key_B)
            assert window.ab.current == 1
            qtbot.waitUntil(lambda: window.ab.state == "stopped", timeout=10000)
        return rec, player.underflows

    try:
        with qtbot.waitSignal(window.loaded, timeout=30000):
            window.set_clips([from_array(a, SR, "A ~440 Hz"), from_array(b, SR, "B ~660 Hz")])
        qtbot.waitUntil(lambda: len(window.ab.buffers) == 2, timeout=30000)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        rec = without_underflow(run)
    finally:
        window.shutdown()
    check_switch(rec.samples, a, b, earliest=0.4, latest=1.2)
