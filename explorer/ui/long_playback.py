"""Playback of long files without loading them: the Player gets a window of the file at a time.

`WindowedPlayer` stands between `transport.Playback` and the real `Player` while a long file is
shown. Playback asks it to play from an absolute frame; it reads the next WINDOW_SECONDS from the
file and plays those, and when the Player has played them (Playback polls `state` at display
rate) it reads and plays the next window. Positions, seeks and loops are translated between file
frames and window frames. Memory stays one window (30 s: 5 MB of float32 at 44.1 kHz mono),
whatever the file's length. The cost: a short gap (the stream reopens) at each window boundary.
A loop region is played as one window when it is at most MAX_LOOP_SECONDS long.
"""

from __future__ import annotations

import numpy as np

WINDOW_SECONDS = 30.0
MAX_LOOP_SECONDS = 300.0


class PlaybackClip:
    """What `Playback` needs of a long clip; `samples` is empty (the WindowedPlayer reads)."""

    def __init__(self, clip) -> None:
        self.long_clip = clip
        self.sample_rate = clip.sample_rate
        self.frames = clip.frames
        self.duration = clip.duration
        self.channels = clip.channels
        self.name = clip.name
        self.samples = np.zeros((0, clip.channels), np.float32)


class WindowedPlayer:
    """The Player interface Playback uses, playing a long file window by window."""

    def __init__(self, player, clip, window_seconds: float = WINDOW_SECONDS) -> None:
        self.player = player
        self.clip = clip
        self.window = max(1, int(window_seconds * clip.sample_rate))
        self.offset = 0  # file frame of the window's first frame
        self.length = 0  # frames in the window
        self.end = clip.frames  # where playback stops (file frames)
        self.loop: tuple[int, int] | None = None  # file frames
        self._running = False  # between play() and stop()/the end
        self.windows_read = 0

    def __getattr__(self, name):  # rate, volume, device, on_finished, ...
        return getattr(self.player, name)

    # ---- windows -----------------------------------------------------------------------------
    def _play_window(self, start: int, rate: float, paused: bool = False) -> None:
        start = max(0, min(int(start), self.end))
        if self.loop is not None:
            a, b = self.loop
            data, self.offset = self.clip.read(a, b), a
            self.length = data.shape[0]
            self.player.play(data, self.clip.sample_rate, rate=rate,
                             start=max(0, min(start - a, self.length)), loop=True)
        else:
            stop = min(self.end, start + self.window)
            data, self.offset = self.clip.read(start, stop), start
            self.length = data.shape[0]
            self.player.play(data, self.clip.sample_rate, rate=rate, start=0)
        self.windows_read += 1
        self._running = True
        if paused:
            self.player.pause()

    # ---- Player interface ----------------------------------------------------------------------
    def play(self, samples, sample_rate, rate: float = 1.0, start: int = 0,
             end: int | None = None, loop: bool = False) -> None:
        self.end = self.clip.frames if end is None else max(0, min(int(end), self.clip.frames))
        self.loop = None
        if loop and end is not None and (self.end - start) <= MAX_LOOP_SECONDS * sample_rate:
            self.loop = (int(start), self.end)
        self._play_window(start, rate)

    @property
    def state(self) -> str:
        state = self.player.state
        if (state == "stopped" and self._running and self.loop is None
                and self.offset + self.length < self.end):
            self._play_window(self.offset + self.length, self.player.rate)  # the next window
            return "playing"
        if state == "stopped":
            self._running = False
        return state

    @property
    def position(self) -> int:
        return self.offset + int(self.player.position)

    @property
    def position_seconds(self) -> float:
        return self.position / self.clip.sample_rate

    def seek(self, frame: int) -> None:
        frame = max(0, min(int(frame), self.end))
        if self.offset <= frame < self.offset + self.length:
            self.player.seek(frame - self.offset)
        elif self._running:
            self._play_window(frame, self.player.rate, paused=self.player.state == "paused")
        else:
            self.offset, self.length = frame, 0

    def set_loop(self, region) -> None:
        if region is None:
            if self.loop is None:
                return  # nothing changes (Playback says so on every selection change)
            self.loop = None
            if self._running:  # go on from here to the end, window by window
                self._play_window(self.position, self.player.rate,
                                  paused=self.player.state == "paused")
            return
        a, b = (max(0, min(int(x), self.clip.frames)) for x in region)
        if b - a > MAX_LOOP_SECONDS * self.clip.sample_rate:
            return  # too long to hold: plays on without looping
        position = self.position
        self.loop = (a, b)
        if self._running:
            start = position if a <= position < b else a
            self._play_window(start, self.player.rate, paused=self.player.state == "paused")

    def stop(self) -> None:
        self._running = False
        self.player.stop()

    def pause(self) -> None:
        self.player.pause()

    def resume(self) -> None:
        self.player.resume()

    def set_rate(self, rate: float) -> None:
        self.player.set_rate(rate)

    def set_volume(self, volume: float) -> None:
        self.player.set_volume(volume)

    def set_device(self, device) -> None:
        self.player.set_device(device)

    def wait(self, timeout: float | None = None) -> bool:
        return self.player.wait(timeout)


def playback_parts(loaded, player):
    """(clip, player) to hand `transport.Playback` for what was loaded: a long file plays
    through a WindowedPlayer around the real one; anything else as it is."""
    if not getattr(loaded, "long", False) or player is None:
        return loaded.clip, player
    return PlaybackClip(loaded.clip), WindowedPlayer(player, loaded.clip)
