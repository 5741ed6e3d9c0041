"""Playback and devices through sounddevice/PortAudio; no Qt, and importable without PortAudio."""

from explorer.audio.devices import (
    AudioUnavailable,
    DeviceInfo,
    audio_status,
    input_devices,
    list_devices,
    output_devices,
    portaudio_version,
)
from explorer.audio.player import Player
from explorer.audio.ringbuffer import RingBuffer

__all__ = [
    "AudioUnavailable",
    "DeviceInfo",
    "Player",
    "RingBuffer",
    "audio_status",
    "input_devices",
    "list_devices",
    "output_devices",
    "portaudio_version",
]
