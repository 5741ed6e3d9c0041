"""A/B playback of the compared clips: one player, one buffer per clip (same rate, same length),
and a switch that swaps which buffer plays at the frame reached (`Player.swap`), so the ear
hears the other clip at the same moment, without a gap."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal


class ABPlayback(QObject):
    """Plays one of the buffers; `switch` makes another one heard from the same position."""

    positionChanged = Signal(float)  # seconds on the shared time axis
    stateChanged = Signal(str)  # "stopped" | "playing" | "paused"
    currentChanged = Signal(int)  # which clip is heard
    failed = Signal(str)

    def __init__(self, player=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.rate = 0
        self.buffers: list[np.ndarray] = []
        self.current = 0
        self.cursor = 0.0  # where Play starts when stopped (seconds)
        self._state = "stopped"
        self._play_id: int | None = None
        #: called before each play (the window: use the output device the main transport uses)
        self.before_play = None
        self.timer = QTimer(self, interval=16)
        self.timer.timeout.connect(self._poll)

    @property
    def state(self) -> str:
        return self._state

    @property
    def ready(self) -> bool:
        return self.player is not None and bool(self.buffers)

    @property
    def duration(self) -> float:
        return self.buffers[0].shape[0] / self.rate if self.buffers and self.rate else 0.0

    def set_buffers(self, rate: int, buffers: list[np.ndarray]) -> None:
        """New buffers (a gain or an offset changed): what plays goes on with them from where
        it is (swapped when the rate and length stay, else restarted there)."""
        same = (rate == self.rate and len(buffers) == len(self.buffers)
                and all(a.shape[0] == b.shape[0] for a, b in zip(buffers, self.buffers, strict=True)))
        self.rate, self.buffers = int(rate), list(buffers)
        self.current = min(self.current, len(buffers) - 1) if buffers else 0
        if self._state == "stopped" or self.player is None:
            return
        if same and self.player.swap(self.buffers[self.current], play_id=self._play_id):
            return
        paused = self._state == "paused"
        self._start(self._position_seconds())
        if paused:
            self.pause()

    # ---- transport ------------------------------------------------------------------------------
    def toggle(self) -> None:
        if self._state == "playing":
            self.pause()
        elif self._state == "paused":
            self.resume()
        else:
            self.play()

    def play(self) -> None:
        if not self.ready:
            return
        start = self.cursor if self.cursor < self.duration else 0.0
        self._start(start)

    def _start(self, seconds: float) -> None:
        frame = int(round(seconds * self.rate))
        if self.before_play is not None:
            self.before_play()
        try:
            self.player.play(self.buffers[self.current], self.rate, start=frame)
        except Exception as exc:  # no device, a lost one: said in the window
            self.failed.emit(str(exc))
            self._set_state("stopped")
            return
        self._play_id = getattr(self.player, "play_id", None)
        self._set_state("playing")
        self.timer.start()

    def pause(self) -> None:
        if self._state == "playing":
            self.player.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self._state == "paused":
            self.player.resume()
            self._set_state("playing")

    def stop(self) -> None:
        if self.player is not None and self._state != "stopped":
            self.cursor = self._position_seconds()
            self.player.stop()
        self.timer.stop()
        self._set_state("stopped")

    def seek(self, seconds: float) -> None:
        """The shared cursor: every view shows it; playback goes on from there."""
        seconds = max(0.0, float(seconds))
        if self.buffers:  # (before they are made, the views' own range bounds it)
            seconds = min(seconds, self.duration)
        self.cursor = seconds
        if self._state != "stopped" and self.player is not None:
            self.player.seek(int(round(seconds * self.rate)))
        self.positionChanged.emit(seconds)

    def switch(self, index: int | None = None) -> None:
        """Hear clip `index` (None: the next one) from the position reached, without a gap."""
        if not self.buffers:
            return
        index = (self.current + 1) % len(self.buffers) if index is None else int(index)
        if not 0 <= index < len(self.buffers) or index == self.current:
            return
        self.current = index
        if self._state != "stopped" and self.player is not None:
            if not self.player.swap(self.buffers[index], play_id=self._play_id):
                self._start(self._position_seconds())  # it had just ended: start it there
        self.currentChanged.emit(index)

    # ---- position -------------------------------------------------------------------------------
    def _position_seconds(self) -> float:
        if self.player is None or not self.rate:
            return self.cursor
        return self.player.position / self.rate

    def _poll(self) -> None:
        player = self.player
        if player is None:
            return
        if player.state == "stopped" and self._state != "stopped":
            self.timer.stop()
            self.cursor = 0.0 if self._position_seconds() >= self.duration else \
                self._position_seconds()
            self._set_state("stopped")
            lost = getattr(player, "lost", None)
            if lost:
                self.failed.emit(lost)
        self.positionChanged.emit(self._position_seconds())
        check = getattr(player, "check", None)
        if check is not None and self._state != "stopped":
            check()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)
