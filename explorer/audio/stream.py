"""The player's output stream: opening it (bounded), reopening, closing, and the watchdog.

A sound device that goes away (the sound server killed, frozen or gone) is noticed by a watchdog on
the waiting side, never by waiting on PortAudio: the callback counts its calls, and `check()` (run
by `wait()` for the CLI, by a GUI timer in the window) declares the device lost when a stream ended
by itself or has not called back for LOST_AFTER seconds; `lost` then says why, and the lost stream
is left to close on a helper thread (closing it can block for ever).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from time import monotonic as _monotonic
from typing import Any

import numpy as np

from explorer.audio import devices
from explorer.audio.chain import Program
from explorer.audio.conversion import Converter
from explorer.audio.devices import AudioUnavailable, DeviceInfo

log = logging.getLogger(__name__)

LOST_AFTER = 1.5  # seconds without a callback from a running stream: the device is lost
# A new stream calls back a few times at once (filling its buffer), then PulseAudio may wake an
# idle sink for 1-2 s: until callbacks have come over STEADY_AFTER s, silence may last START_GRACE.
START_GRACE = 5.0
STEADY_AFTER = 0.3
WATCH_PERIOD = 0.1  # seconds between wait()'s looks at the stream


class StreamLifecycle:
    """The stream half of Player (a mixin: Player's lock, state and program); see the module
    docstring. Runs on the control thread, bounded helper threads and PortAudio's finish thread."""

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ended (the device played the last sample), was stopped or the
        device was lost (see `lost`), watching the stream meanwhile; False on timeout."""
        deadline = None if timeout is None else _monotonic() + timeout
        while True:
            left = WATCH_PERIOD if deadline is None else min(WATCH_PERIOD,
                                                             deadline - _monotonic())
            if self._done.wait(max(left, 0.0)):
                return True
            self.check()
            if deadline is not None and _monotonic() >= deadline:
                return self._done.is_set()

    def check(self) -> str | None:
        """The watchdog: declare the device lost if the stream has not called back for
        LOST_AFTER s; returns `lost` (None while all is well). Call it every ~0.1-0.5 s."""
        with self._lock:
            prog = self._prog
            if prog is None or self._state == "stopped":
                return self.lost
            now = _monotonic()
            watched, calls, since, first = self._watch
            if watched is not prog:
                self._watch = (prog, prog.calls, now, now if prog.calls else 0.0)
            elif calls != prog.calls:
                self._watch = (prog, prog.calls, now, first or now)
            elif now - since > (LOST_AFTER if first and since - first > STEADY_AFTER
                                else START_GRACE):
                name = self.device_info.name if self.device_info else "the output device"
                self._lose(f"{name!r} stopped playing: no audio for {now - since:.1f} s "
                           "(the sound server is frozen or gone)")
            return self.lost

    # ----- opening and closing -----
    def _restart(self) -> None:
        """Reopen the stream (new rate or device) at the current position, keeping pause and
        the chain (its buffers are made again from their sources)."""
        if self._state == "stopped" or self._prog is None:
            return
        paused = self._state == "paused"
        chain = self._prog.chain()
        # what is heard (the aborted stream drops its queued audio), within what is still held
        pos = max(self.position, chain[0].src_start)
        # the old stream closes and the new one opens on helper threads: meanwhile readers
        # without the lock (a feeder) must see playback going on from `pos`, not stopped
        self._idle_pos = pos
        self._close_stream(state="paused" if paused else "playing")
        self._done.clear()
        try:
            self._open(pos, [(s.source, s.src_start, s.last) for s in chain], paused=paused)
        except BaseException:
            self._state = "stopped"
            self._done.set()
            raise

    def _close_stream(self, wait: float = devices.CLOSE_WAIT, state: str = "stopped") -> None:
        """Abort and close the current stream (its late callbacks are ignored); waits `wait` s
        at most: a frozen server's stream is left to close on its helper thread."""
        self._generation += 1
        stream, self._stream = self._stream, None
        self._prog = None
        self._state = state
        if stream is not None and not devices.close_stream(stream, wait) and wait > 0:
            log.warning("the output stream did not close within %g s; left to close", wait)

    def _lose(self, reason: str) -> None:
        """The device stopped playing: stopped where it was, `lost` set, waiters woken (the
        lock held); the stream is left to close on its own thread, without waiting."""
        self._idle_pos = self.position
        self.lost = f"sound device lost: {reason}"
        log.info("%s", self.lost)
        self._close_stream(wait=0.0)
        self._done.set()

    def _open(self, start: int, sources: list[tuple[np.ndarray, int, bool]], paused: bool) -> None:
        """A stream playing the chain `sources` ((samples, first source frame, last) each, end to
        end) from source frame `start`."""
        sd = devices.sounddevice_module()
        self._generation += 1
        generation = self._generation
        # PortAudio blocks for ever on a frozen sound server: open on a helper thread, bounded;
        # a stream that opens after the caller gave up is closed there.
        prog, stream, dev = devices.bounded(
            lambda: self._new_stream(sd, start, sources, paused, generation),
            late=lambda made: devices.close_stream(made[1], 0.0))
        self.device_info = dev
        self.stream_rate = prog.stream_rate
        self._stream, self._prog = stream, prog
        self._state = "paused" if paused else "playing"
        self._watch = (prog, prog.calls, _monotonic(), 0.0)

    def _new_stream(self, sd: Any, start: int, sources: list[tuple[np.ndarray, int, bool]],
                    paused: bool, generation: int) -> tuple[Program, Any, DeviceInfo]:
        """(program, started stream, device) for `_open`; runs on a bounded helper thread."""
        dev = devices.resolve_output_device(self.device)
        channels = min(2, dev.max_output_channels)
        wanted = int(round(self.sample_rate * self._rate))
        stream_rate = wanted
        if not _accepts(sd, dev, channels, wanted):
            stream_rate = int(round(dev.default_samplerate))
            if not _accepts(sd, dev, channels, stream_rate):
                raise AudioUnavailable(
                    f"no sound device available: {dev.name} accepts neither {wanted} Hz "
                    f"nor its default {stream_rate} Hz")
        step, converter = 1.0, None
        if stream_rate != wanted:
            effective = self.sample_rate * self._rate
            step = effective / stream_rate
            width = 1 if sources[0][0].shape[1] == 1 else channels
            converter = Converter(effective, stream_rate, width)
        first, src_start, last = sources[0]
        prog = Program(seg=None, step=step, stream_rate=stream_rate,  # type: ignore[arg-type]
                       channels=channels, origin=src_start, converter=converter, paused=paused,
                       scratch=np.zeros(max(self.blocksize, 4096), np.float32),
                       generation=generation)
        prog.seg = tail = self._segment(prog, first, src_start, 0, last)
        for src, src_start, last in sources[1:]:
            tail.next = self._segment(prog, src, src_start, tail.start + tail.end, last)
            tail = tail.next
        found = prog.locate(max(start, prog.origin))
        prog.seg, prog.pos = found if found is not None else (tail, tail.end)
        prog.mark = (prog.seg, prog.pos, 0, 0.0, 0.0, 0.0)
        prog.loop = self._loop_in(prog)
        try:
            stream = sd.OutputStream(
                samplerate=stream_rate, blocksize=self.blocksize, device=dev.index,
                channels=channels, dtype="float32",
                callback=partial(self._callback, prog, sd.CallbackStop),
                finished_callback=partial(self._on_stream_finished, prog),
            )
        except sd.PortAudioError as exc:
            raise AudioUnavailable(
                f"no sound device available: cannot open {dev.name!r} at {stream_rate} Hz: {exc}"
            ) from exc
        devices.track(stream)
        prog.latency = float(stream.latency)
        try:
            stream.start()
        except sd.PortAudioError as exc:
            devices.close_stream(stream)
            raise AudioUnavailable(
                f"no sound device available: cannot start {dev.name!r}: {exc}") from exc
        return prog, stream, dev

    def _on_stream_finished(self, prog: Program) -> None:
        """PortAudio calls this once the stream is inactive (after draining on a natural end)."""
        # The control thread bumps the generation before it aborts a stream, so while it holds
        # the lock waiting for this thread, we see a stale generation and leave (no deadlock).
        while not self._lock.acquire(timeout=0.005):
            if prog.generation != self._generation:
                return
        try:
            if prog.generation != self._generation:
                return  # stopped or replaced by the control thread, which set the state itself
            if not prog.ending:  # it stopped by itself: the device failed (server killed...)
                name = self.device_info.name if self.device_info else "the output device"
                self._lose(f"{name!r} stopped with an error (the sound server quit or the "
                           "device was removed)")
                return
            self._idle_pos = prog.seg.src_stop  # where the chain really ended
            self._state = "stopped"
            self._done.set()
            callback = self.on_finished
        finally:
            self._lock.release()
        if callback is not None:
            # A fresh thread, so that on_finished may call play() (closing this very stream).
            threading.Thread(target=_notify, args=(callback,), daemon=True,
                             name="player-finished").start()


def _notify(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:
        log.exception("Player.on_finished failed")


def _accepts(sd: Any, dev: DeviceInfo, channels: int, rate: int) -> bool:
    """Whether the device opens at this rate (PortAudio's own check, no stream opened)."""
    if rate <= 0:
        return False
    try:
        sd.check_output_settings(device=dev.index, channels=channels, dtype="float32",
                                 samplerate=rate)
    except (sd.PortAudioError, ValueError):
        return False
    return True
