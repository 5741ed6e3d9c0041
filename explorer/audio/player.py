"""Playback through one PortAudio output stream: play, pause, seek, loop, rate, volume, device.

The audio callback only copies from buffers prepared before they are needed (the program and its
chain of buffers: explorer.audio.chain); the stream is opened, reopened and watched for a lost
device in explorer.audio.stream.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from time import monotonic as _monotonic
from typing import Any

import numpy as np

from explorer.audio.chain import Program, Segment, release_played
from explorer.audio.conversion import Converter, layout
from explorer.audio.devices import DeviceInfo
from explorer.audio.ringbuffer import RingBuffer
from explorer.audio.stream import StreamLifecycle

MAX_RATE = 16.0  # beyond this no device rate or resampler makes sense
DRAIN_MARGIN = 0.05  # seconds of silence after the last sample's DAC time before stopping
MAX_DRAIN = 2.0  # never pad more than this, whatever the timing info claims


class Player(StreamLifecycle):
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
        self._prog: Program | None = None
        self._stream: Any = None
        self._generation = 0
        self._lock = threading.RLock()
        self._done = threading.Event()
        self._done.set()
        self.lost: str | None = None  # why the device was lost ("sound device lost: ...")
        # (program, callbacks seen, when they changed, when the first was seen): the watchdog's
        self._watch: tuple[Program | None, int, float, float] = (None, 0, 0.0, 0.0)

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
        return prog.source_position(_monotonic())

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

    def _going_on(self, play_id: int | None):
        """The playback that more samples may join (lock held): None if it ended or stopped,
        or if play_id is given and another play() started since."""
        prog = self._prog
        if prog is None or self._state == "stopped" or prog.ending:
            return None
        if play_id is not None and play_id != self.play_id:
            return None
        return prog

    def queue_next(self, samples: np.ndarray, last: bool = True,
                   play_id: int | None = None) -> bool:
        """Chain samples after the end of what is queued (their source frames continue from
        there), so that the stream plays on into them without a gap. last=False: more follows
        (a software resampler keeps its tail). False if playback already ended or stopped, or
        if play_id is given and another play() started since."""
        src = _as_frames(samples)
        with self._lock:
            prog = self._going_on(play_id)
            if prog is None:
                return False
            if src.shape[1] != prog.seg.source.shape[1]:
                raise ValueError(f"queued samples have {src.shape[1]} channels, the playing "
                                 f"ones {prog.seg.source.shape[1]}")
            release_played(prog)
            tail = prog.chain()[-1]
            tail.next = self._segment(prog, src, tail.src_stop, tail.start + tail.end, last)
            self._src_end = tail.next.src_stop
            self._frames = max(self._frames, self._src_end)
            return True

    def swap(self, samples: np.ndarray, play_id: int | None = None) -> bool:
        """Go on playing other samples from the same frame, from the next audio block on: A/B
        comparison without a gap or a jump (their frame n is heard where the playing one's would
        be). Only a single buffer (not a chain); False if nothing plays, a chain plays, or
        play_id is given and another play() started since."""
        src = _as_frames(samples)
        with self._lock:
            prog = self._going_on(play_id)
            if prog is None:
                return False
            release_played(prog)
            chain = prog.chain()
            if len(chain) > 1:
                return False
            old = chain[0]
            source = src[old.src_start:old.src_stop]  # the frames the playing buffer holds
            buffer = layout(source, prog.channels)
            if prog.converter is not None:  # a fresh resampler: the buffer is converted whole
                buffer = Converter(self.sample_rate * self._rate, prog.stream_rate,
                                   buffer.shape[1])(buffer, True)
            seg = Segment(buffer=buffer, start=old.start, src_start=old.src_start, source=source,
                          last=True)
            loop = prog.loop
            if loop is not None:
                loop = (seg, min(loop[1], seg.end), min(loop[2], seg.end))
                loop = loop if loop[2] > loop[1] else None
            prog.swap_req = (seg, loop)
            self._src_end = seg.src_stop
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
            release_played(prog)
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

    # ----- internals -----
    @staticmethod
    def _segment(prog: Program, src: np.ndarray, src_start: int, start: int,
                 last: bool) -> Segment:
        """A buffer for the program's stream: channel layout, then software rate conversion."""
        buffer = layout(src, prog.channels)
        if prog.converter is not None:
            buffer = prog.converter(buffer, last)
        return Segment(buffer=buffer, start=start, src_start=src_start, source=src, last=last)

    def _loop_in(self, prog: Program) -> tuple[Segment, int, int] | None:
        """The loop region in frames of the buffer playing now (None if it is not in there)."""
        if self._loop_src is None:
            return None
        seg = prog.seg
        a, b = (min(max(int(round((x - prog.origin) / prog.step)) - seg.start, 0), seg.end)
                for x in self._loop_src)
        return (seg, a, b) if b > a else None

    def _callback(self, prog: Program, callback_stop: type[Exception], outdata: np.ndarray,
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
        swap = prog.swap_req
        if swap is not prog.swap_seen:
            prog.swap_seen = swap
            if swap is not None and not prog.ending:  # same frame, other samples: no jump
                prog.seg, prog.loop = swap
                prog.pos = min(prog.pos, swap[0].end)
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
