"""Playback through one PortAudio output stream: play, pause, seek, loop, rate, volume, device.

The audio callback only copies from a buffer prepared before the stream starts; all decisions
(device, stream rate, channel layout, software rate conversion) are made in `play()`.
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
from explorer.audio.devices import AudioUnavailable, DeviceInfo
from explorer.audio.ringbuffer import RingBuffer

log = logging.getLogger(__name__)

RESAMPLE_TYPE = "soxr_hq"
MAX_RATE = 16.0  # beyond this no device rate or resampler makes sense
DRAIN_MARGIN = 0.05  # seconds of silence after the last sample's DAC time before stopping
MAX_DRAIN = 2.0  # never pad more than this, whatever the timing info claims


@dataclass(eq=False)
class _Program:
    """What one stream plays and where it is; shared between the control and audio threads.

    The control thread replaces requests (seek, loop, pause) by single attribute assignments;
    only the audio callback moves `pos`. A new stream gets a new program, so a late callback of
    an old stream cannot disturb the new one.
    """

    buffer: np.ndarray  # float32, frames x (1 or stream channels), at stream_rate
    step: float  # source frames per buffer frame
    stream_rate: int
    channels: int
    src_end: int  # playback stops here (source frames)
    end: int  # the same in buffer frames
    pos: int = 0  # next buffer frame to send
    loop: tuple[int, int] | None = None  # buffer frames [a, b)
    paused: bool = False
    seek_req: tuple[int] | None = None  # (source frame,), a fresh tuple per request
    seek_seen: tuple[int] | None = None
    ending: bool = False  # every real sample has been sent; padding silence until heard
    stop_at: float = 0.0  # stream time at which the padding may stop
    latency: float = 0.0
    contig: int = 0  # buffer frames sent since the last jump (start, seek, loop wrap, pause)
    # (pos, contig, DAC time of the end of the last real block, stream time, monotonic time),
    # replaced as one tuple by the callback so that readers see a consistent set.
    mark: tuple[int, int, float, float, float] = (0, 0, 0.0, 0.0, 0.0)
    scratch: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    generation: int = 0

    def source_position(self) -> int:
        """The source frame being heard now: the frame sent last minus what still waits in the
        device's queue (never before the last jump), or a pending seek target."""
        req = self.seek_req
        if req is not self.seek_seen and req is not None:
            return req[0]
        pos, contig, dac_end, stream_time, mono = self.mark
        ahead = dac_end - (stream_time + (_monotonic() - mono))
        back = min(int(ahead * self.stream_rate), contig) if ahead > 0 else 0
        return min(int((pos - back) * self.step), self.src_end)

    def to_buffer(self, frame: int) -> int:
        return min(max(int(round(frame / self.step)), 0), self.end)


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
        self._src: np.ndarray = np.zeros((0, 1), np.float32)
        self._src_end = 0
        self._idle_pos = 0
        self._state = "stopped"
        self._prog: _Program | None = None
        self._stream: Any = None
        self._generation = 0
        self._lock = threading.RLock()
        self._done = threading.Event()
        self._done.set()

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
        return self._src.shape[0] / self.sample_rate if self.sample_rate else 0.0

    # ----- control (GUI or CLI thread) -----
    def play(self, samples: np.ndarray, sample_rate: int, rate: float = 1.0, start: int = 0,
             end: int | None = None, loop: bool = False) -> None:
        """Play samples[start:end] at sample_rate*rate (rate 2: twice as fast, an octave up).
        float32 input is not copied, so leave it unchanged while it plays."""
        src = np.asarray(samples)
        if src.ndim == 1:
            src = src.reshape(-1, 1)
        if src.ndim != 2 or src.shape[1] == 0:
            raise ValueError(f"samples must be 1-D or frames x channels, got shape {src.shape}")
        src = np.ascontiguousarray(src, dtype=np.float32)
        if sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {sample_rate}")
        _check_rate(rate)
        frames = src.shape[0]
        end = frames if end is None else max(0, min(int(end), frames))
        start = max(0, min(int(start), end))
        with self._lock:
            self._close_stream()
            self._src, self._src_end = src, end
            self.sample_rate = int(sample_rate)
            self._rate = float(rate)
            self._loop_src = (start, end) if loop and end > start else None
            self._idle_pos = start
            self._done.clear()
            try:
                if end > start:
                    self._open(start, paused=False)
                    return
            except BaseException:
                self._done.set()
                raise
            self._done.set()  # nothing to play

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

    def seek(self, frame: int) -> None:
        """Continue from a source frame (clamped to [0, end]); works playing or paused."""
        with self._lock:
            frame = max(0, min(int(frame), self._src_end))
            prog = self._prog
            if prog is not None and self._state != "stopped":
                prog.seek_req = (frame,)
            else:
                self._idle_pos = frame

    def set_loop(self, region: tuple[int, int] | None) -> None:
        """Loop [a, b) in source frames: on reaching b, continue at a (None: play on to the end)."""
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
        """Block until playback ended and the device played the last sample; True if it did."""
        return self._done.wait(timeout)

    # ----- internals -----
    def _restart(self) -> None:
        """Reopen the stream (new rate or device) at the current position, keeping pause."""
        if self._state == "stopped" or self._prog is None:
            return
        paused = self._state == "paused"
        pos = self.position  # what is heard: the aborted stream drops its queued audio
        self._close_stream()
        self._done.clear()
        try:
            self._open(pos, paused=paused)
        except BaseException:
            self._idle_pos = pos
            self._done.set()
            raise

    def _close_stream(self) -> None:
        """Abort and close the current stream; its late callbacks are ignored."""
        self._generation += 1
        stream, self._stream = self._stream, None
        self._prog = None
        self._state = "stopped"
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception as exc:  # a vanished device must not make stop() fail
                log.warning("closing the output stream failed: %s", exc)

    def _open(self, start: int, paused: bool) -> None:
        sd = devices.sounddevice_module()
        dev = devices.resolve_output_device(self.device)
        src = self._src
        channels = min(2, dev.max_output_channels)
        wanted = int(round(self.sample_rate * self._rate))
        stream_rate = wanted
        if not _accepts(sd, dev, channels, wanted):
            stream_rate = int(round(dev.default_samplerate))
            if not _accepts(sd, dev, channels, stream_rate):
                raise AudioUnavailable(
                    f"no sound device available: {dev.name} accepts neither {wanted} Hz "
                    f"nor its default {stream_rate} Hz")
        buffer = _layout(src[:self._src_end], channels)
        step = 1.0
        if stream_rate != wanted:
            effective = self.sample_rate * self._rate
            buffer = _resample(buffer, effective, stream_rate)
            step = effective / stream_rate
        self._generation += 1
        prog = _Program(buffer=buffer, step=step, stream_rate=stream_rate, channels=channels,
                        src_end=self._src_end, end=buffer.shape[0], paused=paused,
                        scratch=np.zeros(max(self.blocksize, 4096), np.float32),
                        generation=self._generation)
        prog.pos = prog.to_buffer(start)
        prog.mark = (prog.pos, 0, 0.0, 0.0, 0.0)
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
        prog.latency = float(stream.latency)
        self.device_info = dev
        self.stream_rate = stream_rate
        self._stream, self._prog = stream, prog
        self._state = "paused" if paused else "playing"
        try:
            stream.start()
        except sd.PortAudioError as exc:
            self._close_stream()
            raise AudioUnavailable(
                f"no sound device available: cannot start {dev.name!r}: {exc}") from exc

    def _loop_in(self, prog: _Program) -> tuple[int, int] | None:
        if self._loop_src is None:
            return None
        a, b = prog.to_buffer(self._loop_src[0]), prog.to_buffer(self._loop_src[1])
        return (a, b) if b > a else None

    def _callback(self, prog: _Program, callback_stop: type[Exception], outdata: np.ndarray,
                  frames: int, time: Any, status: Any) -> None:
        """PortAudio's thread: copy, scale, advance; no allocation, locks, logging or Qt."""
        if status.output_underflow:
            self.underflows += 1
        now = time.currentTime
        req = prog.seek_req
        if req is not prog.seek_seen:
            prog.seek_seen = req
            if req is not None and not prog.ending:
                prog.pos = prog.to_buffer(req[0])
                prog.contig = 0
                prog.mark = (prog.pos, 0, 0.0, now, _monotonic())
        done = 0
        if prog.paused:
            prog.contig = 0  # the queue now holds silence; resuming starts a new run
        elif not prog.ending:
            buf, pos, vol, loop, end = prog.buffer, prog.pos, self._volume, prog.loop, prog.end
            contig = prog.contig
            while done < frames:
                looping = loop is not None and pos < loop[1]
                limit = loop[1] if looping else end  # type: ignore[index]
                n = min(frames - done, limit - pos)
                if n > 0:
                    np.multiply(buf[pos:pos + n], vol, out=outdata[done:done + n])
                    pos += n
                    done += n
                    contig += n
                if pos >= limit:
                    if not looping:
                        break
                    pos = loop[0]  # type: ignore[index]
                    contig = 0
            prog.pos, prog.contig = pos, contig
            if done:
                dac = time.outputBufferDacTime or now + prog.latency
                prog.mark = (pos, contig, dac + done / prog.stream_rate, now, _monotonic())
            if done < frames:
                # PortAudio 19.6's ALSA backend does not drain on CallbackStop (the tail would be
                # cut), so send silence until the last real sample has reached the DAC.
                prog.ending = True
                drain = prog.mark[2] - now + DRAIN_MARGIN  # last real frame's DAC end
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
            if prog.generation != self._generation or not prog.ending:
                return  # stopped or replaced by the control thread, which set the state itself
            self._idle_pos = self._src_end
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


def _layout(src: np.ndarray, channels: int) -> np.ndarray:
    """Source channels as the stream needs them: mono stays 1 column (the callback broadcasts
    it to every channel), more channels than the device has are mixed (1) or cut to the first 2."""
    have = src.shape[1]
    if have == 1 or have == channels:
        return src
    if channels == 1:
        return np.ascontiguousarray(src.mean(axis=1, keepdims=True, dtype=np.float32))
    if have > channels:
        return np.ascontiguousarray(src[:, :channels])
    return np.ascontiguousarray(np.repeat(src[:, :1], channels, axis=1))


def _resample(buffer: np.ndarray, from_rate: float, to_rate: int) -> np.ndarray:
    """Software rate conversion for devices that refuse the wanted rate (librosa's soxr_hq)."""
    import librosa

    if buffer.shape[0] == 0:
        return buffer
    out = librosa.resample(buffer, orig_sr=float(from_rate), target_sr=float(to_rate),
                           res_type=RESAMPLE_TYPE, axis=0)
    return np.ascontiguousarray(out, dtype=np.float32)
