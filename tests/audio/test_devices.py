"""Devices, and a machine without PortAudio or without an output device."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from explorer.audio import (
    AudioUnavailable,
    DeviceInfo,
    Player,
    audio_status,
    input_devices,
    list_devices,
    output_devices,
    portaudio_version,
)
from explorer.audio import devices as devices_module
from explorer.audio.devices import NO_OUTPUT, NO_PORTAUDIO

ROOT = Path(__file__).resolve().parents[2]
TONE = np.zeros(1600, np.float32)


@pytest.fixture()
def no_portaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the lazy `import sounddevice` fail as it does when libportaudio2 is missing."""

    def failing_import():
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(devices_module, "_sd", None)
    monkeypatch.setattr(devices_module, "_import_sounddevice", failing_import)


def test_message_without_portaudio(no_portaudio: None) -> None:
    assert NO_PORTAUDIO == (
        "no sound device available: PortAudio library not found (install libportaudio2)")
    with pytest.raises(AudioUnavailable) as excinfo:
        Player().play(TONE, 16000)
    assert str(excinfo.value) == NO_PORTAUDIO
    assert audio_status() == (False, NO_PORTAUDIO)
    with pytest.raises(AudioUnavailable, match="PortAudio library not found"):
        list_devices()
    assert portaudio_version() == ""


def test_player_state_after_a_failed_play(no_portaudio: None) -> None:
    player = Player()
    with pytest.raises(AudioUnavailable):
        player.play(TONE, 16000)
    assert player.state == "stopped"
    assert player.wait(0)  # nobody waits forever on playback that never started
    player.pause()
    player.resume()
    player.seek(10)
    player.stop()
    assert player.position == 10


def test_without_portaudio_in_a_fresh_process(tmp_path: Path) -> None:
    """A real import failure: explorer.audio imports, status says why, play raises."""
    (tmp_path / "sounddevice.py").write_text(
        'raise OSError("PortAudio library not found")\n')
    script = textwrap.dedent("""
        import sys
        import numpy as np
        import explorer.audio as audio
        assert "sounddevice" not in sys.modules  # imported lazily
        assert not any(m.startswith(("PySide6", "pyqtgraph")) for m in sys.modules)
        print(audio.audio_status())
        try:
            audio.Player().play(np.zeros(100, np.float32), 16000)
        except audio.AudioUnavailable as exc:
            print("raised:", exc)
        print("version:", repr(audio.portaudio_version()))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=60, check=True).stdout
    assert f"(False, '{NO_PORTAUDIO}')" in out
    assert f"raised: {NO_PORTAUDIO}" in out
    assert "version: ''" in out


def _fake_devices(*infos: DeviceInfo):
    return lambda *_sd: list(infos)


def test_no_output_device(monkeypatch: pytest.MonkeyPatch) -> None:
    mic = DeviceInfo(0, "mic", "ALSA", 2, 0, 48000.0, True, False)
    monkeypatch.setattr(devices_module, "sounddevice_module", lambda: object())
    monkeypatch.setattr(devices_module, "list_devices", _fake_devices(mic))
    monkeypatch.setattr(devices_module, "_list_devices", _fake_devices(mic))
    assert audio_status() == (False, NO_OUTPUT)
    assert NO_OUTPUT == "no sound device available: no output device"
    with pytest.raises(AudioUnavailable) as excinfo:
        Player().play(TONE, 16000)
    assert str(excinfo.value) == NO_OUTPUT


def test_device_info_str() -> None:
    info = DeviceInfo(3, "pulse", "ALSA", 32, 32, 44100.0, False, True)
    assert str(info) == " >  3 pulse (ALSA, 32 in, 32 out, 44100 Hz)"


@pytest.mark.sound
def test_devices_on_the_virtual_card(null_sink) -> None:
    devices = list_devices()
    assert devices
    assert all(isinstance(d, DeviceInfo) for d in devices)
    assert sum(d.is_default_output for d in devices) == 1
    assert all(d.max_output_channels > 0 for d in output_devices())
    assert all(d.max_input_channels > 0 for d in input_devices())
    assert any(d.name in ("pulse", "default") for d in output_devices())
    ok, reason = audio_status()
    assert ok, reason
    assert portaudio_version().startswith("PortAudio")


@pytest.mark.sound
def test_unknown_device_name(null_sink) -> None:
    with pytest.raises(AudioUnavailable, match="no output device 'no-such-device'"):
        Player(device="no-such-device").play(TONE, 16000)


@pytest.mark.sound
def test_device_by_name_and_index(null_sink) -> None:
    default = next(d for d in output_devices() if d.is_default_output)
    for device in (default.index, default.name):
        player = Player(device=device)
        player.play(TONE, 16000)
        assert player.wait(5)
        assert player.device_info == default
