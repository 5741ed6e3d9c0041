"""Sound devices through PortAudio, imported lazily so the app runs without a sound card.

`import sounddevice` raises OSError when the system's PortAudio library is missing; every use of
sounddevice in the app goes through `sounddevice_module()`, which turns that into `AudioUnavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

NO_PORTAUDIO = "no sound device available: PortAudio library not found (install libportaudio2)"
NO_OUTPUT = "no sound device available: no output device"
NO_INPUT = "no sound device available: no input device"


class AudioUnavailable(RuntimeError):
    """Playback or recording is impossible here (no PortAudio, no device); the message says why."""


_sd: ModuleType | None = None


def _import_sounddevice() -> ModuleType:
    """The raw import, kept separate so tests can simulate a machine without PortAudio."""
    import sounddevice

    return sounddevice


def sounddevice_module() -> ModuleType:
    """The sounddevice module, imported on first use; AudioUnavailable if PortAudio is missing."""
    global _sd
    if _sd is None:
        try:
            _sd = _import_sounddevice()
        except OSError as exc:
            raise AudioUnavailable(NO_PORTAUDIO) from exc
    return _sd


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
    """All devices PortAudio knows; raises AudioUnavailable without PortAudio."""
    sd = sounddevice_module()
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
    """The output device for an index, a name (substring, as sounddevice matches) or None."""
    sd = sounddevice_module()
    devices = list_devices()
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
        out = resolve_output_device(None)
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
