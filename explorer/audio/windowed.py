"""Playback of long files without loading them: the Player gets a window of the file at a time.

`WindowedPlayer` stands between `transport.Playback` and the real `Player` while a long file is
shown. Playback asks it to play from an absolute frame; it reads the first FIRST_WINDOW_SECONDS
from the file and plays those. A feeder thread reads what follows, WINDOW_SECONDS at a time,
while the current window plays and chains it onto the playing stream (`Player.queue_next`), so
window boundaries are sample-continuous: no reopened stream, no gap (the software resampler, when
the device refuses the rate, is a stream too, so windows join cleanly there as well). The next
window is read as soon as the player switches to the one queued before, a whole window ahead of
need, so memory stays two windows (30 s: 5 MB of float32 at 44.1 kHz mono each), whatever the
file's length. Positions and seeks are translated between file frames and the player's frames.
A loop region is played as one window when it is at most MAX_LOOP_SECONDS long (read off the GUI
thread when longer than a window); a seek outside the held windows, a new loop region, or a
feeder too late (the chain ran out) restart from the file.
"""

from __future__ import annotations

import logging
import os
import threading

import numpy as np

log = logging.getLogger(__name__)

WINDOW_SECONDS = 30.0
#: What play() (a click, the GUI thread) reads before sound starts; the feeder reads the
#: following whole window off the GUI thread at once (2 s: ~1 ms of reading, not ~15-40 ms).
FIRST_WINDOW_SECONDS = 2.0
MAX_LOOP_SECONDS = 300.0
FEED_PERIOD = 0.05  # seconds between the feeder's looks at the player (at most)


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
    """The Player interface Playback uses, playing a long file window by window, gaplessly."""

    def __init__(self, player, clip, window_seconds: float = WINDOW_SECONDS) -> None:
        self.player = player
        self.clip = clip
        self.window = max(1, int(window_seconds * clip.sample_rate))
        self.first = max(1, min(self.window, int(FIRST_WINDOW_SECONDS * clip.sample_rate)))
        self.origin = 0  # file frame of the player's source frame 0
        self.queued_to = 0  # file frame where the samples handed to the player end
        self.end = clip.frames  # where playback stops (file frames)
        self.loop: tuple[int, int] | None = None  # file frames
        self.windows_read = 0
        self._running = False  # between play() and stop()/the end
        self._idle = 0  # the position while not running (file frames)
        self._epoch = 0  # bumped by every restart from the file: stale reads are dropped
        self._play_id: int | None = None  # the player's play() that the feeder chains onto
        self._wake = threading.Event()  # set to end the current feeder
        self._lock = threading.Lock()  # the feeder's queueing vs. restarts and stop
        self._pending: tuple[int, bool] | None = None  # (frame, paused): a loop being read
        #: why playing the file stopped short (a read failed off the GUI thread), in words;
        #: Playback polls it, stops the transport and says it (no Qt here to signal with)
        self.read_error: str | None = None

    def __getattr__(self, name):  # rate, volume, device, on_finished, tap, ...
        return getattr(self.player, name)

    def _read_failed(self, exc: Exception) -> None:
        """Keep why a read failed for Playback to show; the traceback only goes to the log."""
        log.warning("reading %s for playback failed", getattr(self.clip, "name", "?"), exc_info=exc)
        reason = getattr(exc, "reason", None)
        if isinstance(exc, OSError) and exc.errno:
            reason = os.strerror(exc.errno).lower()
        try:  # gone (deleted, unplugged): libsndfile only says "System error."
            os.stat(self.clip.path)
        except (AttributeError, TypeError):
            pass
        except OSError as gone:
            reason = os.strerror(gone.errno).lower() if gone.errno else str(gone)
        self.read_error = f"{getattr(self.clip, 'name', 'the file')} could not be read ({reason or exc})"

    # ---- windows -----------------------------------------------------------------------------
    def _start(self, frame: int, rate: float, paused: bool = False) -> None:
        """Play from a file frame: read its window, (re)start the player, feed what follows."""
        frame = max(0, min(int(frame), self.end))
        sr = self.clip.sample_rate
        with self._lock:
            self._epoch += 1
            self._wake.set()
            self._running, self._idle = False, frame  # until the player plays (it may refuse)
            self._pending = None
            if self.loop is not None and self.loop[1] - self.loop[0] > self.window:
                # a long loop region (up to 5 min: ~120 ms to read) is read off the GUI thread;
                # it plays once read, and reads as playing (or paused) meanwhile
                self._pending = (frame, paused)
                self._running = True
                threading.Thread(target=self._read_loop, args=(self._epoch, self.loop),
                                 daemon=True, name="long-playback-loop").start()
                return
            if self.loop is not None:
                data = self.clip.read(*self.loop)
                self._play_loop(data, frame, rate)
                origin = self.loop[0]
            else:
                stop = min(self.end, frame + self.first)  # the rest comes from the feeder
                data, origin = self.clip.read(frame, stop), frame
                self.player.play(data, sr, rate=rate, start=0, more=stop < self.end)
            self._playing(data.shape[0], origin, paused)

    def _playing(self, frames: int, origin: int, paused: bool) -> None:
        """After the player started on `frames` file frames from `origin` (the lock held):
        positions, pause, and the feeder of what follows."""
        self._play_id = getattr(self.player, "play_id", None)  # ours, not a later play()
        self.origin, self.queued_to = origin, origin + frames
        self.windows_read += 1
        self._running = True
        if paused:
            self.player.pause()
        self._wake = threading.Event()
        threading.Thread(target=self._feed, args=(self._epoch, self._wake), daemon=True,
                         name="long-playback-feeder").start()

    def _play_loop(self, data: np.ndarray, frame: int, rate: float) -> None:
        """The loop region's samples to the player, looping, from `frame` (the lock held)."""
        start = max(0, min(frame - self.loop[0], data.shape[0]))
        self.player.play(data, self.clip.sample_rate, rate=rate, start=start, loop=True)
        if start:
            self.player.set_loop((0, data.shape[0]))  # the whole region, not from start

    def _read_loop(self, epoch: int, region: tuple[int, int]) -> None:
        """Reader thread of a long loop region: plays it unless something else started since."""
        try:
            data = self.clip.read(*region)
        except Exception as exc:
            self._read_failed(exc)
            data = None
        with self._lock:
            if epoch != self._epoch or self._pending is None:
                return
            frame, paused = self._pending
            self._pending = None
            if data is None:
                self._running, self._idle = False, frame
                return
            try:
                self._play_loop(data, frame, self.player.rate)
            except Exception:
                log.exception("playing %s failed", getattr(self.clip, "name", "?"))
                self.read_error = f"{getattr(self.clip, 'name', 'the file')} could not be played"
                self._running, self._idle = False, frame
                return
            self._playing(data.shape[0], region[0], paused)

    def _feed(self, epoch: int, wake: threading.Event) -> None:
        """Feeder thread: whenever the player has nothing chained after the window it plays,
        read the next window from the file and chain it."""
        period = min(FEED_PERIOD, self.window / self.clip.sample_rate / 25)
        while not wake.wait(period):
            if self.player.state == "stopped" or getattr(self.player, "play_id",
                                                          None) != self._play_id:
                return  # ended, stopped or playing something else: a restart starts a new feeder
            a = self.queued_to
            if self.loop is not None or self.player.queued or a >= self.end:
                continue
            b = min(self.end, a + self.window)
            try:
                data = self.clip.read(a, b)
            except Exception as exc:
                if epoch == self._epoch:
                    self._read_failed(exc)
                return
            with self._lock:
                if epoch != self._epoch:
                    return
                if a == self.queued_to and self.player.queue_next(data, last=b >= self.end,
                                                                  play_id=self._play_id):
                    self.queued_to = b
                    self.windows_read += 1

    # ---- Player interface ----------------------------------------------------------------------
    def play(self, samples, sample_rate, rate: float = 1.0, start: int = 0,
             end: int | None = None, loop: bool = False) -> None:
        self.end = self.clip.frames if end is None else max(0, min(int(end), self.clip.frames))
        self.loop = None
        self.read_error = None
        if loop and end is not None and (self.end - start) <= MAX_LOOP_SECONDS * sample_rate:
            self.loop = (int(start), self.end)
        self._start(start, rate)

    @property
    def state(self) -> str:
        pending = self._pending
        if pending is not None:
            return "paused" if pending[1] else "playing"
        state = self.player.state
        if state == "stopped" and self._running:
            reached = self.origin + int(self.player.position)
            if self.loop is None and reached < self.end and not getattr(self.player, "lost", None):
                try:  # the chain ran out before the feeder queued more: go on from there
                    self._start(reached, self.player.rate)
                    return "playing"
                except Exception as exc:
                    self._read_failed(exc)
            self._running = False
            self._idle = min(reached, self.end)
        return state

    @property
    def position(self) -> int:
        if not self._running or self._pending is not None:
            return self._idle
        return self.origin + int(self.player.position)

    @property
    def position_seconds(self) -> float:
        return self.position / self.clip.sample_rate

    def seek(self, frame: int) -> None:
        frame = max(0, min(int(frame), self.end))
        if not self._running:
            self._idle = frame
            return
        pending = self._pending
        if pending is not None:  # the loop region is still being read: start there once read
            self._pending = (frame, pending[1])
            self._idle = frame
            return
        # within what the player holds, and not so near its end that the feeder could be late
        fed = self.loop is None and self.queued_to < self.end
        reserve = min(self.window // 2, self.clip.sample_rate) if fed else 0
        held = self.origin <= frame and (frame < self.queued_to - reserve or frame == self.end)
        if held and self.player.seek(frame - self.origin):
            return
        self._start(frame, self.player.rate, paused=self.player.state == "paused")

    def set_loop(self, region) -> None:
        if region is None:
            if self.loop is None:
                return  # nothing changes (Playback says so on every selection change)
            self.loop = None
            pending = self._pending
            if pending is not None:  # the loop region was still being read: play on instead
                self._start(pending[0], self.player.rate, paused=pending[1])
                return
            # the loop window plays on to its end; the feeder chains what follows it
            self.player.set_loop(None)
            return
        a, b = (max(0, min(int(x), self.clip.frames)) for x in region)
        if b - a > MAX_LOOP_SECONDS * self.clip.sample_rate or (a, b) == self.loop:
            return  # too long to hold (plays on without looping), or already looping there
        position = self.position
        self.loop = (a, b)
        if self._running:
            start = position if a <= position < b else a
            self._start(start, self.player.rate, paused=self.player.state == "paused")

    def stop(self) -> None:
        with self._lock:
            self._epoch += 1
            self._wake.set()
            if self._running:
                self._idle = self.position
            self._running = False
            self._pending = None
            self.player.stop()

    def pause(self) -> None:
        pending = self._pending
        if pending is not None:
            self._pending = (pending[0], True)
            return
        self.player.pause()

    def resume(self) -> None:
        pending = self._pending
        if pending is not None:
            self._pending = (pending[0], False)
            return
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
