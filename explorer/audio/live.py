"""Live input for the live view: the player's output (a tap) or an input device, into a ring buffer.

No Qt here. The audio callback only copies into a preallocated ring buffer (and stamps the time,
for latency measurements); a display timer calls `LiveInput.read()` to collect what arrived.
Opening and closing streams happens on one worker thread, so selecting a source never blocks the
caller, and a device that fails or vanishes turns into `state == "failed"` with a message.

Input devices are PortAudio's; on PulseAudio systems every PulseAudio source (microphones and the
monitors of outputs) is offered too, opened through PortAudio's ALSA "pulse" device with the
environment variable PULSE_SOURCE naming the source while the stream opens (libpulse reads it when
the ALSA plugin connects).
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic as _monotonic
from typing import Any

import numpy as np

from explorer.audio import devices
from explorer.audio.devices import AudioUnavailable
from explorer.audio.ringbuffer import RingBuffer

log = logging.getLogger(__name__)

PREFERRED_RATE = 48000
DEFAULT_BLOCKSIZE = 256  # 5.3 ms at 48 kHz: the callback's share of the display latency
RING_SECONDS = 4.0  # how long the reader may stall before frames are lost (overruns)
TAP_CAPACITY = 1 << 19  # frames; the player's rate may change per play (10.9 s at 48 kHz)
STALL_TIMEOUT = 2.0  # seconds without a block from a running input stream: the device is gone
MAX_SILENCE = 0.25  # at most this much synthetic silence per read (a stopped player)
_PULSE_SOURCE = "PULSE_SOURCE"
_env_lock = threading.Lock()


@dataclass(frozen=True)
class SourceSpec:
    """A choice in the source selector: the player's output, or an input (device or pulse source)."""

    kind: str  # "playback" or "input"
    label: str
    device: int | str | None = None  # PortAudio device (index or name) for "input"
    pulse_source: str | None = None  # a PulseAudio source name, opened through `device`

    @property
    def is_playback(self) -> bool:
        return self.kind == "playback"


PLAYBACK = SourceSpec("playback", "Playback")


def pulse_sources(timeout: float = 1.0) -> list[tuple[str, str]]:
    """(name, description) of every PulseAudio source, [] without pactl or a server."""
    if shutil.which("pactl") is None:
        return []
    try:
        out = subprocess.run(["pactl", "list", "sources"], capture_output=True, text=True,
                             timeout=timeout, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found: list[tuple[str, str]] = []
    name = None
    for line in out.splitlines():
        text = line.strip()
        if text.startswith("Name:"):
            name = text.split(":", 1)[1].strip()
        elif text.startswith("Description:") and name is not None:
            found.append((name, text.split(":", 1)[1].strip()))
            name = None
    return found


def list_sources(playback: bool = True, pulse: bool = True) -> list[SourceSpec]:
    """Playback first, then PortAudio's input devices, then PulseAudio's sources; never raises."""
    sources = [PLAYBACK] if playback else []
    try:
        inputs = devices.input_devices()
    except Exception as exc:  # a selector must fill whatever the audio stack does
        log.info("no input devices: %s", exc)
        return sources
    pulse_device = None
    for d in inputs:
        mark = " (default)" if d.is_default_input else ""
        sources.append(SourceSpec("input", f"{d.name} ({d.hostapi}){mark}", d.index))
        if d.name == "pulse" or (pulse_device is None and d.name == "default"):
            pulse_device = d.index
    if pulse and pulse_device is not None:
        for name, description in pulse_sources():
            sources.append(SourceSpec("input", f"{description} [{name}]", pulse_device, name))
    return sources


class StampedRing(RingBuffer):
    """A mono RingBuffer that also notes when each block arrived (for latency measurements).

    The stamps are preallocated; a write costs one monotonic() call and two element stores.
    """

    def __init__(self, capacity_frames: int, stamps: int = 1024) -> None:
        super().__init__(capacity_frames, 1)
        self.stamp_frames = np.zeros(stamps, dtype=np.int64)  # `written` after the block
        self.stamp_times = np.full(stamps, np.nan, dtype=np.float64)
        self._stamp = 0

    def write(self, block: np.ndarray) -> None:
        RingBuffer.write(self, block)
        i = self._stamp % self.stamp_frames.shape[0]
        self.stamp_times[i] = _monotonic()
        self.stamp_frames[i] = self.written
        self._stamp += 1

    def time_of(self, frame: int) -> float | None:
        """When the block holding `frame` (in `written` numbering) was written; None if unknown."""
        frames = self.stamp_frames
        later = np.flatnonzero(frames > frame)
        if not later.size:
            return None
        j = later[np.argmin(frames[later])]
        t = float(self.stamp_times[j])
        return None if np.isnan(t) else t


@dataclass
class Chunk:
    """What `LiveInput.read()` collected: mono float32 samples at `rate`.

    `generation` changes whenever the stream restarts (another source or rate): the reader then
    starts afresh. `end_frame` is the ring position after the last sample (None for synthetic
    silence), for `LiveInput.time_of`.
    """

    samples: np.ndarray
    rate: int
    generation: int
    end_frame: int | None


class _StreamStats:
    """Counters one input stream's callback updates (a new stream gets new ones)."""

    def __init__(self) -> None:
        self.overflows = 0
        self.blocks = 0
        self.finished = False


class LiveInput:
    """The live view's source: selects, opens, reads and reports; safe to drive from a GUI timer.

    `select()` and `stop()` return at once; the worker thread opens and closes streams. `read()`
    returns the new samples. `state` is "stopped", "opening", "running" or "failed" (`message`
    says why). `xruns` counts input overflows, player underflows and ring overruns since the
    source was selected.
    """

    def __init__(self, player: Any = None, stream_factory: Callable[..., Any] | None = None,
                 blocksize: int = DEFAULT_BLOCKSIZE, preferred_rate: int = PREFERRED_RATE,
                 stall_timeout: float = STALL_TIMEOUT, latency: str | float = "low") -> None:
        self.player = player
        self.latency = latency  # PortAudio's suggested latency: "low" delivers every block
        self.stream_factory = stream_factory
        self.blocksize = int(blocksize)
        self.preferred_rate = int(preferred_rate)
        self.stall_timeout = float(stall_timeout)
        self.spec: SourceSpec | None = None
        self.state = "stopped"
        self.message = ""
        self.rate = 0
        self.generation = 0
        self.ring: StampedRing | None = None
        self._stats: _StreamStats | None = None
        self._stream: Any = None
        self._tap: StampedRing | None = None
        self._underflow_base = 0
        self._overrun_base = 0
        self._last_progress = (0, _monotonic())  # (ring.written, when it last changed)
        self._last_read = _monotonic()
        self._lock = threading.Lock()  # guards the fields the worker sets (stream, state, ...)
        self._requests: queue.Queue = queue.Queue()
        self._worker = threading.Thread(target=self._work, daemon=True, name="live-input")
        self._worker.start()
        if stream_factory is None:
            # libpulse reads PULSE_SOURCE when the ALSA plugin connects; make sure the variable
            # exists now (this thread), so that later opens only overwrite it (no environ resize
            # while another thread may read the environment).
            os.environ.setdefault(_PULSE_SOURCE, "@DEFAULT_SOURCE@")

    # ----- control (GUI thread) -----
    def select(self, spec: SourceSpec | None) -> None:
        """Switch to a source (None: stop); returns at once."""
        with self._lock:
            self.generation += 1
            gen = self.generation
            self.spec = spec
            self._detach_tap()
            if spec is None:
                self.state, self.message = "stopped", ""
            elif spec.is_playback:
                self._attach_tap(gen)
            else:
                self.state, self.message = "opening", f"opening {spec.label}…"
                self.rate = 0
            self._overrun_base = 0
            self._underflow_base = getattr(self.player, "underflows", 0) if spec else 0
        # the worker closes any open input stream, then opens the new one
        self._requests.put((gen, spec if spec is not None and not spec.is_playback else None))

    def stop(self) -> None:
        self.select(None)

    def close(self, timeout: float = 2.0) -> None:
        """Stop and end the worker thread (the widget's shutdown)."""
        self.select(None)
        self._requests.put(None)
        self._worker.join(timeout)

    def restart(self) -> None:
        """Open the selected source again (after a failure)."""
        self.select(self.spec)

    # ----- reading (GUI thread) -----
    def read(self) -> Chunk | None:
        """The samples that arrived since the last read; None when nothing is running."""
        now = _monotonic()
        elapsed, self._last_read = now - self._last_read, now
        with self._lock:
            ring, gen, state, spec = self.ring, self.generation, self.state, self.spec
            if spec is not None and spec.is_playback:
                self._follow_player_rate()
                ring, gen = self.ring, self.generation
        if spec is None or ring is None or state not in ("running",):
            return None
        if ring.available:
            end = ring.written
            samples = ring.read_new()
            self._last_progress = (end, now)
            return Chunk(samples, self.rate, gen, end)
        if spec.is_playback:
            player = self.player
            if player is None or player.state == "stopped":
                # nothing plays: the view scrolls on with silence, as a sound card would
                n = int(min(elapsed, MAX_SILENCE) * self.rate)
                return Chunk(np.zeros(n, np.float32), self.rate, gen, None)
            return Chunk(np.zeros(0, np.float32), self.rate, gen, None)
        written, since = self._last_progress
        stats = self._stats
        if stats is not None and stats.finished:
            self._fail(gen, f"{spec.label}: the input stream ended (device disconnected?)")
            return None
        if ring.written == written and now - since > self.stall_timeout:
            self._fail(gen, f"{spec.label}: no audio for {self.stall_timeout:g} s "
                            "(device disconnected?); input stopped")
            return None
        return Chunk(np.zeros(0, np.float32), self.rate, gen, None)

    def time_of(self, frame: int) -> float | None:
        """monotonic() time at which ring frame `frame` arrived in the callback."""
        ring = self.ring
        return ring.time_of(frame) if ring is not None else None

    @property
    def input_overflows(self) -> int:
        stats = self._stats
        return stats.overflows if stats is not None and not self._playback else 0

    @property
    def underflows(self) -> int:
        player = self.player
        if not self._playback or player is None:
            return 0
        return max(0, int(getattr(player, "underflows", 0)) - self._underflow_base)

    @property
    def overruns(self) -> int:
        ring = self.ring
        return ring.overruns - self._overrun_base if ring is not None else 0

    @property
    def xruns(self) -> int:
        return self.input_overflows + self.underflows + self.overruns

    @property
    def _playback(self) -> bool:
        return self.spec is not None and self.spec.is_playback

    # ----- playback tap -----
    def _attach_tap(self, gen: int) -> None:
        player = self.player
        if player is None:
            self.state, self.message = "failed", "no player: Playback is not available here"
            return
        if self._tap is None:
            self._tap = StampedRing(TAP_CAPACITY)
        self._tap.clear()
        self.ring = self._tap
        self._overrun_base = self._tap.overruns
        self.rate = int(getattr(player, "stream_rate", 0) or PREFERRED_RATE)
        player.tap = self._tap
        self.state, self.message = "running", "Playback: what the player sends to the sound card"

    def _detach_tap(self) -> None:
        player = self.player
        if player is not None and self._tap is not None and getattr(player, "tap", None) is self._tap:
            player.tap = None
        if self.ring is self._tap:
            self.ring = None

    def _follow_player_rate(self) -> None:
        """A new play may use another stream rate: start afresh at that rate."""
        rate = int(getattr(self.player, "stream_rate", 0) or 0)
        if rate and rate != self.rate:
            self.rate = rate
            self.generation += 1
            self._requests.put((self.generation, None))  # keeps the worker's generation in step

    # ----- input streams (worker thread) -----
    def _fail(self, gen: int, message: str) -> None:
        with self._lock:
            if gen != self.generation:
                return
            self.state, self.message = "failed", message
            self.generation += 1
            gen = self.generation
        self._requests.put((gen, None))  # the worker closes the stream

    def _work(self) -> None:
        while True:
            request = self._requests.get()
            if request is None:
                self._close_stream()
                return
            while True:  # only the newest request matters
                try:
                    newer = self._requests.get_nowait()
                except queue.Empty:
                    break
                if newer is None:
                    self._close_stream()
                    return
                request = newer
            gen, spec = request
            self._close_stream()
            if spec is None:
                continue
            try:
                stream, ring, stats, rate = self._open(spec)
            except Exception as exc:  # every failure becomes a message, never an exception
                with self._lock:
                    if gen == self.generation:
                        self.state, self.message = "failed", _describe(spec, exc)
                continue
            with self._lock:
                current = gen == self.generation
                if current:
                    self._stream, self.ring, self._stats, self.rate = stream, ring, stats, rate
                    self._last_progress = (0, _monotonic())
                    self.state, self.message = "running", f"{spec.label} at {rate} Hz"
            if not current:  # the user moved on while it opened
                devices.close_stream(stream)  # bounded: a frozen server cannot hang it

    def _close_stream(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            devices.close_stream(stream)  # bounded: a frozen server cannot hang it

    def _open(self, spec: SourceSpec) -> tuple[Any, StampedRing, _StreamStats, int]:
        factory = self.stream_factory
        rate = self.preferred_rate
        if factory is None:
            sd = devices.sounddevice_module()
            factory = sd.InputStream
            rate = _input_rate(sd, spec.device, rate)
        ring = StampedRing(int(rate * RING_SECONDS))
        stats = _StreamStats()
        scratch = np.zeros(max(self.blocksize, 1) * 16, np.float32)  # for a 2-channel mix

        def callback(indata, frames, time, status) -> None:  # PortAudio's thread: copy, count
            if status.input_overflow or status.input_underflow:
                stats.overflows += 1
            if indata.shape[1] == 1 or frames > scratch.shape[0]:
                ring.write(indata[:, 0])
            else:  # a device that only records in stereo: its mono mix, without allocation
                mix = np.add(indata[:, 0], indata[:, 1], out=scratch[:frames])
                ring.write(np.multiply(mix, 0.5, out=mix))
            stats.blocks += 1

        def finished() -> None:
            stats.finished = True

        kwargs = dict(device=spec.device, channels=1, samplerate=rate, blocksize=self.blocksize,
                      dtype="float32", latency=self.latency, callback=callback,
                      finished_callback=finished)
        with _env_lock:
            previous = os.environ.get(_PULSE_SOURCE)
            if spec.pulse_source is not None:
                os.environ[_PULSE_SOURCE] = spec.pulse_source
            try:
                try:
                    stream = factory(**kwargs)
                except Exception:
                    if self.stream_factory is not None:
                        raise
                    kwargs["channels"] = 2  # some hardware devices refuse mono
                    stream = factory(**kwargs)
            finally:
                if spec.pulse_source is not None:
                    os.environ[_PULSE_SOURCE] = previous or "@DEFAULT_SOURCE@"
        devices.track(stream)  # PortAudio is not re-initialised under an open stream
        try:
            stream.start()
        except BaseException:
            devices.close_stream(stream)  # bounded: a frozen server cannot hang it
            raise
        return stream, ring, stats, rate


def _input_rate(sd: Any, device: int | str | None, preferred: int) -> int:
    """The preferred rate if the device takes it, else the device's default rate."""
    try:
        sd.check_input_settings(device=device, channels=1, dtype="float32", samplerate=preferred)
        return preferred
    except Exception:
        pass
    try:
        return int(sd.query_devices(device, "input")["default_samplerate"])
    except Exception as exc:
        raise AudioUnavailable(f"no input device {device!r}: {exc}") from exc


def _describe(spec: SourceSpec, exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"cannot open {spec.label}: {text}"
