"""Sound devices through PortAudio, imported lazily so the app runs without a sound card.

`import sounddevice` raises OSError when the system's PortAudio library is missing; every use of
sounddevice in the app goes through `sounddevice_module()`, which turns that into `AudioUnavailable`.

PortAudio blocks without end when the sound server is frozen (a stopped PulseAudio answers no
request): `import sounddevice` (PortAudio's initialisation), listing devices and opening a stream all
run through `bounded()`, which waits ANSWER_TIMEOUT at most and leaves a call that did not return on
its helper thread; while such a call is stuck, later ones are refused at once. Streams that must be
closed while the server may not answer are closed by `close_stream()` on a helper thread, too.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

NO_PORTAUDIO = "no sound device available: PortAudio library not found (install libportaudio2)"
NO_OUTPUT = "no sound device available: no output device"
NO_INPUT = "no sound device available: no input device"
ANSWER_TIMEOUT = 3.0  # seconds a PortAudio call (enumeration, opening a stream) may take at most
NOT_ANSWERING = ("no sound device available: the sound server did not answer within {:g} s "
                 "(frozen or overloaded?)")
CLOSE_WAIT = 1.0  # seconds stop() waits for a stream to close before leaving it to its thread


class AudioUnavailable(RuntimeError):
    """Playback or recording is impossible here (no PortAudio, no device); the message says why."""


_sd: ModuleType | None = None
_stuck: list[threading.Thread] = []  # helper threads of PortAudio calls that did not return
_closing: set[threading.Thread] = set()  # helper threads closing streams
_open_streams: set[int] = set()  # id() of this process's streams not yet closed (see track())
_state_lock = threading.Lock()
# bounded calls one at a time: re-initialising PortAudio (refresh_devices) must not meet a
# stream being opened; taken on the helper threads, so a caller never waits on it unbounded
_portaudio_lock = threading.Lock()


class _Call:
    """One bounded call: its result, or who gets it if it comes after the caller gave up."""

    def __init__(self, fn: Callable[[], Any], late: Callable[[Any], None] | None) -> None:
        self.fn, self.late = fn, late
        self.lock = threading.Lock()
        self.done = self.gave_up = False
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with _portaudio_lock:
                result, error = self.fn(), None
        except BaseException as exc:  # handed to the caller, who raises it
            result, error = None, exc
        with self.lock:
            self.result, self.error, self.done = result, error, True
            late = self.late if self.gave_up and error is None else None
        if late is not None:
            try:
                late(result)
            except Exception:
                log.exception("cleaning up after a late PortAudio call failed")


def server_stuck() -> bool:
    """Whether an earlier PortAudio call is still waiting for the sound server."""
    with _state_lock:
        _stuck[:] = [t for t in _stuck if t.is_alive()]
        return bool(_stuck)


def bounded(fn: Callable[[], T], timeout: float | None = None,
            late: Callable[[T], None] | None = None) -> T:
    """fn() on a helper thread, waited for at most `timeout` s (ANSWER_TIMEOUT): a frozen sound
    server must give a message, not a hang. `late(result)` cleans up a result that comes after
    the caller gave up (e.g. closes a stream)."""
    timeout = ANSWER_TIMEOUT if timeout is None else timeout
    if server_stuck():
        raise AudioUnavailable(NOT_ANSWERING.format(timeout))
    call = _Call(fn, late)
    thread = threading.Thread(target=call.run, daemon=True, name="portaudio-call")
    stderr = _dup_stderr()
    try:
        thread.start()
        thread.join(timeout)
        with call.lock:
            if not call.done:
                call.gave_up = True
                with _state_lock:
                    _stuck.append(thread)
                _skip_exit_handler()
                # sounddevice points stderr at /dev/null while PortAudio initialises: our
                # message must not go there
                if stderr is not None:
                    os.dup2(stderr, 2)
                raise AudioUnavailable(NOT_ANSWERING.format(timeout))
    finally:
        if stderr is not None:
            os.close(stderr)
    if call.error is not None:
        raise call.error
    return call.result


def _dup_stderr() -> int | None:
    try:
        return os.dup(2)
    except OSError:
        return None


def track(stream: Any) -> None:
    """Count an open stream: PortAudio is re-initialised (refresh_devices) only with none open."""
    with _state_lock:
        _open_streams.add(id(stream))


def untrack(stream: Any) -> None:
    """The stream is closed (see track)."""
    with _state_lock:
        _open_streams.discard(id(stream))


def close_stream(stream: Any, wait: float = CLOSE_WAIT) -> bool:
    """Abort and close a stream on a helper thread, waiting `wait` s at most (a frozen server
    blocks both calls); True if it closed in time. Errors of a vanished device are logged."""

    def run() -> None:
        try:
            stream.abort()
        except Exception as exc:
            log.info("aborting the stream failed: %s", exc)
        try:
            stream.close()
        except Exception as exc:
            log.info("closing the stream failed: %s", exc)
        with _state_lock:
            _open_streams.discard(id(stream))
            _closing.discard(threading.current_thread())

    thread = threading.Thread(target=run, daemon=True, name="portaudio-close")
    with _state_lock:
        _closing.add(thread)
    thread.start()
    thread.join(wait)
    if thread.is_alive():
        _skip_exit_handler()
        return False
    return True


def _skip_exit_handler() -> None:
    """sounddevice closes its last stream and terminates PortAudio at exit, which blocks for
    ever on a stream of a frozen server: with a call left stuck, exit without it."""
    sd = _sd
    handler = getattr(sd, "_exit_handler", None) if sd is not None else None
    if handler is not None:
        atexit.unregister(handler)


def _import_sounddevice() -> ModuleType:
    """The raw import, kept separate so tests can simulate a machine without PortAudio."""
    import sounddevice

    return sounddevice


def _load() -> ModuleType:
    global _sd
    try:
        module = _import_sounddevice()
    except OSError as exc:
        raise AudioUnavailable(NO_PORTAUDIO) from exc
    _sd = module
    return module


def sounddevice_module() -> ModuleType:
    """The sounddevice module, imported on first use (PortAudio initialises then, which waits
    for the sound server: bounded); AudioUnavailable if PortAudio is missing."""
    sd = _sd
    if sd is None:
        sd = bounded(_load)
    return sd


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device, as shown by `audio-explorer devices` and the device menu."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool

    def __str__(self) -> str:
        marks = ("<" if self.is_default_input else " ") + (">" if self.is_default_output else " ")
        return (f"{marks} {self.index:2d} {self.name} ({self.hostapi}, "
                f"{self.max_input_channels} in, {self.max_output_channels} out, "
                f"{self.default_samplerate:g} Hz)")


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    """The default input and output device indices (-1 when there is none)."""
    try:
        default_in, default_out = sd.default.device
    except (TypeError, ValueError):
        default_in = default_out = -1
    hostapis: Any = sd.query_hostapis()
    if default_in is None or default_in < 0:
        default_in = _first_default(hostapis, "default_input_device")
    if default_out is None or default_out < 0:
        default_out = _first_default(hostapis, "default_output_device")
    return int(default_in), int(default_out)


def _first_default(hostapis: Any, key: str) -> int:
    for api in hostapis:
        if api.get(key, -1) >= 0:
            return int(api[key])
    return -1


def list_devices() -> list[DeviceInfo]:
    """All devices PortAudio knows; raises AudioUnavailable without PortAudio, or when the sound
    server does not answer within ANSWER_TIMEOUT."""
    sd = sounddevice_module()
    return bounded(lambda: _list_devices(sd))


def refresh_devices() -> list[DeviceInfo]:
    """The devices as they are now: PortAudio lists them once, at initialisation, so it is
    initialised again (a sound server restarted since, a device plugged in) when this process
    has no stream open (terminating PortAudio closes them all); bounded like list_devices."""
    sd = sounddevice_module()

    def run() -> list[DeviceInfo]:
        with _state_lock:
            idle = not _open_streams and not any(t.is_alive() for t in _closing)
        if idle and hasattr(sd, "_terminate"):
            sd._terminate()
            sd._initialize()
        found = _list_devices(sd)
        out = next((d for d in found if d.is_default_output and d.max_output_channels), None)
        if out is not None:  # the listing is PortAudio's memory; this asks the server itself
            try:
                sd.check_output_settings(device=out.index, channels=1, dtype="float32",
                                         samplerate=out.default_samplerate)
            except (sd.PortAudioError, ValueError):
                pass  # an answer, even a refusal: the server is there
        return found

    return bounded(run)


def _list_devices(sd: ModuleType) -> list[DeviceInfo]:
    """list_devices without the bound: for code already on a bounded call's thread."""
    try:
        hostapis = sd.query_hostapis()
        default_in, default_out = _default_indices(sd)
        devices = sd.query_devices()
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"no sound device available: {exc}") from exc
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=str(hostapis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in devices
    ]


def output_devices() -> list[DeviceInfo]:
    """Devices that can play."""
    return [d for d in list_devices() if d.max_output_channels > 0]


def input_devices() -> list[DeviceInfo]:
    """Devices that can record (the live view's microphone choice)."""
    return [d for d in list_devices() if d.max_input_channels > 0]


def resolve_output_device(device: int | str | None) -> DeviceInfo:
    """The output device for an index, a name (substring, as sounddevice matches) or None;
    call it on a bounded call's thread (it asks PortAudio without a bound)."""
    sd = sounddevice_module()
    devices = _list_devices(sd)
    if device is None:
        for d in devices:
            if d.is_default_output and d.max_output_channels > 0:
                return d
        outputs = [d for d in devices if d.max_output_channels > 0]
        if not outputs:
            raise AudioUnavailable(NO_OUTPUT)
        return outputs[0]
    try:
        found = sd.query_devices(device, "output")
    except (ValueError, sd.PortAudioError) as exc:
        raise AudioUnavailable(f"no sound device available: no output device {device!r} "
                               f"({exc})") from exc
    index = int(found["index"])
    for d in devices:
        if d.index == index:
            return d
    raise AudioUnavailable(f"no sound device available: no output device {device!r}")


def audio_status() -> tuple[bool, str]:
    """(available, reason) for the UI's status bar and `audio-explorer devices`; never raises."""
    try:
        sounddevice_module()
        out = bounded(lambda: resolve_output_device(None))
    except AudioUnavailable as exc:
        return False, str(exc)
    except Exception as exc:  # a status line must not crash the caller
        return False, f"no sound device available: {exc}"
    version = portaudio_version()
    return True, f"default output: {out.name} ({out.hostapi}); {version}"


def portaudio_version() -> str:
    """PortAudio's version text for Help > About; "" without PortAudio."""
    try:
        return str(sounddevice_module().get_portaudio_version()[1])
    except Exception:  # About must open whatever the audio stack does
        return ""
