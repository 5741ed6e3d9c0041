"""`audio-explorer devices`: the sound devices PortAudio sees (bounded: a frozen server
cannot hang it)."""

from __future__ import annotations

import argparse

from explorer.cli.common import CliError


def add_parser(sub) -> None:
    p = sub.add_parser("devices", help="list the sound devices")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from explorer.audio.devices import AudioUnavailable, list_devices

    try:
        devices = list_devices()
    except AudioUnavailable as exc:
        raise CliError(str(exc)) from exc
    if not devices:
        raise CliError("no sound device available")
    for d in devices:
        marks = ("<" if d.is_default_input else " ") + (">" if d.is_default_output else " ")
        print(f"{marks} {d.index:3d} {d.name} ({d.hostapi}; {d.max_input_channels} in, "
              f"{d.max_output_channels} out; {d.default_samplerate:g} Hz)")
    return 0
