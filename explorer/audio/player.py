"""Playback through one PortAudio output stream: play, pause, seek, loop, rate, volume, device.

The audio callback only copies from buffers prepared before they are needed; all decisions
(device, stream rate, channel layout, software rate conversion) are made in `play()` and
`queue_next()`. A program is a chain of buffers: `queue_next` links another buffer after the
last one, and the callback moves on to it by one reference swap, so chained buffers play
sample-continuously on the same stream (how long files play window after window).

A sound device that goes away (the sound server killed, frozen or gone) is noticed by a watchdog on
the waiting side, never by waiting on PortAudio: the callback counts its calls, and `check()` (run
by `wait()` for the CLI, by a GUI timer in the window) declares the device lost when a stream ended
by itself or has not called back for LOST_AFTER seconds; `lost` then says why, and the lost stream
is left to close on a helper thread (closing it can block for ever).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from time import monotonic as _monotonic
from typing import Any

import numpy as np

from explorer.audio import devices
from explorer.audio.conversion import Converter, layout
from explorer.audio.devices import AudioUnavailable, DeviceInfo
from explorer.audio.ringbuffer import RingBuffer

log = logging.getLogger(__name__)

MAX_RATE = 16.0  # beyond this no device rate or resampler makes sense
DRAIN_MARGIN = 0.05  # seconds of silence after the last sample's DAC time before stopping
MAX_DRAIN = 2.0  # never pad more than this, whatever the timing info claims
LOST_AFTER = 1.5  # seconds without a callback from a running stream: the device is lost
# A new stream calls back a few times at once (filling its buffer), then PulseAudio may wake an
# idle sink for 1-2 s: until callbacks have come over STEADY_AFTER s, silence may last START_GRACE.
START_GRACE = 5.0
STEADY_AFTER = 0.3
WATCH_PERIOD = 0.1  # seconds between wait()'s looks at the stream


@dataclass(eq=False)
class _Segment:
    """One buffer of a program's chain; never changed once linked, except `next` (set once)."""

    buffer: np.ndarray  # float32, frames x (1 or stream channels), at stream_rate
    start: int  # program buffer frame of buffer[0]: a program numbers its buffers end to end
    src_start: int  # source frame of source[0]
    source: np.ndarray  # what the buffer was made from (a restart remakes it at the new rate)
    last: bool  # nothing was meant to follow (a software resampler was flushed)
    end: int = 0  # buffer frames
    src_stop: int = 0  # source frame just after the last one
    next: _Segment | None = None

    def __post_init__(self) -> None:
        self.end = self.buffer.shape[0]
        self.src_stop = self.src_start + self.source.shape[0]


@dataclass(eq=False)
class _Program:
    """What one stream plays and where it is; shared between the control and audio threads.

    The control thread replaces requests (seek, loop, pause) by single attribute assignments;
    only the audio callback moves `seg` and `pos`. A new stream gets a new program, so a late
    callback of an old stream cannot disturb the new one.
    """

    seg: _Segment  # the buffer being played; the callback swaps in seg.next at its end
    step: float  # source frames per buffer frame
    stream_rate: int
    channels: int
    origin: int  # source frame of program buffer frame 0
    converter: Converter | None = None  # software rate conversion (None: the stream's rate)
    pos: int = 0  # next frame of seg.buffer to send
    loop: tuple[_Segment, int, int] | None = None  # frames [a, b) of one segment's buffer
    paused: bool = False
    # (source frame, segment, buffer frame), a fresh tuple per request
    seek_req: tuple[int, _Segment, int] | None = None
    seek_seen: tuple[int, _Segment, int] | None = None
    ending: bool = False  # every real sample has been sent; padding silence until heard
    stop_at: float = 0.0  # stream time at which the padding may stop
    latency: float = 0.0
    contig: int = 0  # buffer frames sent since the last jump (start, seek, loop wrap, pause)
    # (segment, pos, contig, DAC time of the end of the last real block, stream time, monotonic
    # time), replaced as one tuple by the callback so that readers see a consistent set.
    mark: tuple[_Segment, int, int, float, float, float] | None = None
    scratch: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    generation: int = 0
    calls: int = 0  # callbacks so far: the watchdog's sign of life

    def source_position(self) -> int:
        """The source frame being heard now: the frame sent last minus what still waits in the
        device's queue (never before the last jump; across a chain switch the queue may still
        hold the previous buffer's end), or a pending seek target."""
        req = self.seek_req
        if req is not self.seek_seen and req is not None:
            return req[0]
        seg, pos, contig, dac_end, stream_time, mono = self.mark or (self.seg, self.pos, 0, 0, 0, 0)
        ahead = dac_end - (stream_time + (_monotonic() - mono))
        back = min(int(ahead * self.stream_rate), contig) if ahead > 0 else 0
        return min(self.origin + int((seg.start + pos - back) * self.step), seg.src_stop)

    def locate(self, frame: int) -> tuple[_Segment, int] | None:
        """(segment, buffer frame) of a source frame in the buffer playing or one chained after
        it; None when it is not held (already played, or beyond a chain still being fed)."""
        g = int(round((frame - self.origin) / self.step))
        seg = self.seg
        if g < seg.start:
            return None
        while True:
            if g < seg.start + seg.end or (g == seg.start + seg.end and seg.next is None):
                return seg, g - seg.start
            if seg.next is None:  # rounding past a flushed end: clamp; past a fed one: not held
                return (seg, seg.end) if seg.last else None
            seg = seg.next

    def chain(self) -> list[_Segment]:
        """The buffer playing and those chained after it."""
        out, seg = [], self.seg
        while seg is not None:
            out.append(seg)
            seg = seg.next
        return out


class Player:
    """One output stream that plays every sample of a clip (the stream drains before it stops)."""

    def __init__(self, device: int | str | None = None, tap: RingBuffer | None = None,
                 blocksize: int = 1024) -> None:
        self.device: int | str | None = device
        self.tap = tap
        self.blocksize = int(blocksize)
        self.on_finished: Callable[[], None] | None = None
        self.underflows = 0
        self.sample_rate: int = 0
        self.stream_rate: int = 0
        self.device_info: DeviceInfo | None = None
        self._rate = 1.0
        self._volume = 1.0
        self._loop_src: tuple[int, int] | None = None
        self._frames = 0  # source frames given (play, then queue_next); no array is kept
        self._src_end = 0  # where playback stops (source frames; grows with queue_next)
        self._idle_pos = 0
        self.play_id = 0  # counts play() calls: queue_next(play_id=...) chains onto that one only
        self._state = "stopped"
        self._prog: _Program | None = None
        self._stream: Any = None
        self._generation = 0
        self._lock = threading.RLock()
        self._done = threading.Event()
        self._done.set()
        self.lost: str | None = None  # why the device was lost ("sound device lost: ...")
        # (program, callbacks seen, when they changed, when the first was seen): the watchdog's
        self._watch: tuple[_Program | None, int, float, float] = (None, 0, 0.0, 0.0)

    # ----- read-only state, safe from any thread -----
    @property
    def state(self) -> str:
        """"stopped", "playing" or "paused"."""
        return self._state

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def loop_region(self) -> tuple[int, int] | None:
        return self._loop_src

    @property
    def position(self) -> int:
        """The source frame being heard now (what was sent minus what the device still queues;
        accurate to about a block); safe to read from any thread, e.g. a 60 Hz GUI timer."""
        prog = self._prog
        if prog is None or self._state == "stopped":
            return self._idle_pos
        return prog.source_position()

    @property
    def position_seconds(self) -> float:
        return self.position / self.sample_rate if self.sample_rate else 0.0

    @property
    def duration_seconds(self) -> float:
        return self._frames / self.sample_rate if self.sample_rate else 0.0

    # ----- control (GUI or CLI thread) -----
    def play(self, samples: np.ndarray, sample_rate: int, rate: float = 1.0, start: int = 0,
             end: int | None = None, loop: bool = False, more: bool = False) -> None:
        """Play samples[start:end] at sample_rate*rate (rate 2: twice as fast, an octave up).
        more=True: `queue_next` will chain what follows (a software resampler keeps its tail for
        it). float32 input is not copied, so leave it unchanged while it plays."""
        src = _as_frames(samples)
        if sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {sample_rate}")
        _check_rate(rate)
        frames = src.shape[0]
        end = frames if end is None else max(0, min(int(end), frames))
        start = max(0, min(int(start), end))
        with self._lock:
            self._close_stream()
            self.lost = None
            self.play_id += 1
            self._frames, self._src_end = frames, end
            self.sample_rate = int(sample_rate)
            self._rate = float(rate)
            self._loop_src = (start, end) if loop and end > start else None
            self._idle_pos = start
            self._done.clear()
            try:
                if end > start:
                    self._open(start, [(src[:end], 0, not more)], paused=False)
                    return
            except BaseException:
                self._done.set()
                raise
            self._done.set()  # nothing to play

    def queue_next(self, samples: np.ndarray, last: bool = True,
                   play_id: int | None = None) -> bool:
        """Chain samples after the end of what is queued (their source frames continue from
        there), so that the stream plays on into them without a gap. last=False: more follows
        (a software resampler keeps its tail). False if playback already ended or stopped, or
        if play_id is given and another play() started since."""
        src = _as_frames(samples)
        with self._lock:
            prog = self._prog
            if prog is None or self._state == "stopped" or prog.ending:
                return False
            if play_id is not None and play_id != self.play_id:
                return False
            if src.shape[1] != prog.seg.source.shape[1]:
                raise ValueError(f"queued samples have {src.shape[1]} channels, the playing "
                                 f"ones {prog.seg.source.shape[1]}")
            _release_played(prog)
            tail = prog.chain()[-1]
            tail.next = self._segment(prog, src, tail.src_stop, tail.start + tail.end, last)
            self._src_end = tail.next.src_stop
            self._frames = max(self._frames, self._src_end)
            return True

    @property
    def queued(self) -> int:
        """Source frames chained after the buffer playing now (0: time to queue the next one);
        asking also lets go of buffers that have been played."""
        with self._lock:
            prog = self._prog
            if prog is None or self._state == "stopped":
                return 0
            _release_played(prog)
            return sum(seg.source.shape[0] for seg in prog.chain()[1:])

    def pause(self) -> None:
        """Hold the position; the stream keeps running and sends silence."""
        with self._lock:
            if self._state == "playing" and self._prog is not None:
                self._prog.paused = True
                self._state = "paused"

    def resume(self) -> None:
        with self._lock:
            if self._state == "paused" and self._prog is not None:
                self._prog.paused = False
                self._state = "playing"

    def stop(self) -> None:
        """Stop at once (no drain, no on_finished); position stays where playback was."""
        with self._lock:
            self._idle_pos = self.position
            self._close_stream()
            self._done.set()

    close = stop

    def seek(self, frame: int) -> bool:
        """Continue from a source frame (clamped to [0, end]); works playing or paused. False
        (nothing done) for a frame of a chain that is no longer or not yet held."""
        with self._lock:
            frame = max(0, min(int(frame), self._src_end))
            prog = self._prog
            if prog is not None and self._state != "stopped":
                found = prog.locate(frame)
                if found is None:
                    return False
                prog.seek_req = (frame, *found)
            else:
                self._idle_pos = frame
            return True

    def set_loop(self, region: tuple[int, int] | None) -> None:
        """Loop [a, b) in source frames: on reaching b, continue at a (None: play on to the end).
        The loop applies within the buffer playing now."""
        with self._lock:
            if region is not None:
                a, b = (max(0, min(int(x), self._src_end)) for x in region)
                if b <= a:
                    raise ValueError(f"loop region must have b > a, got {region}")
                region = (a, b)
            self._loop_src = region
            if self._prog is not None:
                self._prog.loop = self._loop_in(self._prog)

    def set_rate(self, rate: float) -> None:
        """Change speed and pitch together; while playing, continue from the current position."""
        _check_rate(rate)
        with self._lock:
            if float(rate) == self._rate:
                return
            self._rate = float(rate)
            self._restart()

    def set_volume(self, volume: float) -> None:
        """Linear gain, clamped to 0..2; applied from the next block on."""
        self._volume = float(min(max(volume, 0.0), 2.0))

    def set_device(self, device: int | str | None) -> None:
        """Use another output device; while playing, continue there from the current position."""
        with self._lock:
            self.device = device
            self._restart()

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

    # ----- internals -----
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
                    paused: bool, generation: int) -> tuple[_Program, Any, DeviceInfo]:
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
        prog = _Program(seg=None, step=step, stream_rate=stream_rate,  # type: ignore[arg-type]
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

    @staticmethod
    def _segment(prog: _Program, src: np.ndarray, src_start: int, start: int,
                 last: bool) -> _Segment:
        """A buffer for the program's stream: channel layout, then software rate conversion."""
        buffer = layout(src, prog.channels)
        if prog.converter is not None:
            buffer = prog.converter(buffer, last)
        return _Segment(buffer=buffer, start=start, src_start=src_start, source=src, last=last)

    def _loop_in(self, prog: _Program) -> tuple[_Segment, int, int] | None:
        """The loop region in frames of the buffer playing now (None if it is not in there)."""
        if self._loop_src is None:
            return None
        seg = prog.seg
        a, b = (min(max(int(round((x - prog.origin) / prog.step)) - seg.start, 0), seg.end)
                for x in self._loop_src)
        return (seg, a, b) if b > a else None

    def _callback(self, prog: _Program, callback_stop: type[Exception], outdata: np.ndarray,
                  frames: int, time: Any, status: Any) -> None:
        """PortAudio's thread: copy, scale, advance; no allocation, locks, logging or Qt."""
        prog.calls += 1
        if status.output_underflow:
            self.underflows += 1
        now = time.currentTime
        req = prog.seek_req
        if req is not prog.seek_seen:
            prog.seek_seen = req
            if req is not None and not prog.ending:
                prog.seg, prog.pos = req[1], req[2]
                prog.contig = 0
                prog.mark = (prog.seg, prog.pos, 0, 0.0, now, _monotonic())
        done = 0
        if prog.paused:
            prog.contig = 0  # the queue now holds silence; resuming starts a new run
        elif not prog.ending:
            seg, pos, vol, loop, contig = prog.seg, prog.pos, self._volume, prog.loop, prog.contig
            buf, end = seg.buffer, seg.end
            while done < frames:
                looping = loop is not None and loop[0] is seg and pos < loop[2]
                limit = loop[2] if looping else end  # type: ignore[index]
                n = min(frames - done, limit - pos)
                if n > 0:
                    np.multiply(buf[pos:pos + n], vol, out=outdata[done:done + n])
                    pos += n
                    done += n
                    contig += n
                if pos >= limit:
                    if looping:
                        pos = loop[1]  # type: ignore[index]
                        contig = 0
                    elif seg.next is not None:  # the chained buffer: same stream, no gap
                        seg = seg.next
                        buf, end, pos = seg.buffer, seg.end, 0
                    else:
                        break
            prog.seg, prog.pos, prog.contig = seg, pos, contig
            if done:
                dac = time.outputBufferDacTime or now + prog.latency
                prog.mark = (seg, pos, contig, dac + done / prog.stream_rate, now, _monotonic())
            if done < frames:
                # PortAudio 19.6's ALSA backend does not drain on CallbackStop (the tail would be
                # cut), so send silence until the last real sample has reached the DAC.
                prog.ending = True
                drain = prog.mark[3] - now + DRAIN_MARGIN  # last real frame's DAC end
                prog.stop_at = now + max(min(drain, MAX_DRAIN), 0.0)
        if done < frames:
            outdata[done:].fill(0)
        tap = self.tap
        if tap is not None:
            if prog.channels == 1:
                tap.write(outdata[:, 0])
            else:
                mix = prog.scratch[:frames] if frames <= prog.scratch.shape[0] else None
                mix = np.add(outdata[:, 0], outdata[:, 1], out=mix)
                np.multiply(mix, 0.5, out=mix)
                tap.write(mix)
        if prog.ending and time.currentTime >= prog.stop_at:
            raise callback_stop

    def _on_stream_finished(self, prog: _Program) -> None:
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


def _release_played(prog: _Program) -> None:
    """Drop the program's references to played buffers (a handled seek, a loop left behind):
    one would keep every buffer chained after it alive. Call with the player's lock held."""
    if prog.seek_req is prog.seek_seen:  # seeks are requested under the same lock
        prog.seek_req = prog.seek_seen = None
    loop = prog.loop
    if loop is not None and loop[0] is not prog.seg:
        prog.loop = None


def _notify(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:
        log.exception("Player.on_finished failed")


def _as_frames(samples: np.ndarray) -> np.ndarray:
    """Samples as contiguous float32 frames x channels (float32 input is not copied)."""
    src = np.asarray(samples)
    if src.ndim == 1:
        src = src.reshape(-1, 1)
    if src.ndim != 2 or src.shape[1] == 0:
        raise ValueError(f"samples must be 1-D or frames x channels, got shape {src.shape}")
    return np.ascontiguousarray(src, dtype=np.float32)


def _check_rate(rate: float) -> None:
    if not (math.isfinite(rate) and 0 < rate <= MAX_RATE):
        raise ValueError(f"rate must be in (0, {MAX_RATE:g}], got {rate}")


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
