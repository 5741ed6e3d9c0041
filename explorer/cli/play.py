"""`audio-explorer play`: a file through the sound card, at a rate or resampled."""

from __future__ import annotations

import argparse

from explorer.cli.common import CliError, device_arg, positive_float, positive_int, warn
from explorer.model.clip import AudioClip, load


def add_parser(sub) -> None:
    p = sub.add_parser("play", help="play a file through the sound card")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--rate", type=positive_float, default=1.0,
                   help="play at RATE times the sample rate (2: faster, an octave higher)")
    p.add_argument("--resample", type=positive_int, default=None, metavar="SR",
                   help="convert to SR first (same pitch and length)")
    p.add_argument("--start", type=float, default=0.0, metavar="S")
    p.add_argument("--end", type=float, default=None, metavar="S")
    p.add_argument("--device", default=None)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    clip = load(args.path)
    warn(args.path, clip.warning)
    if args.resample:
        clip = clip.resample(args.resample)
    start = max(0, int(round(args.start * clip.sample_rate)))
    end = None if args.end is None else int(round(args.end * clip.sample_rate))
    if start >= clip.frames or (end is not None and end <= start):
        raise CliError(f"{args.path}: nothing to play between {args.start} s and {args.end} s "
                       f"(the clip lasts {clip.duration:.3f} s)")
    played = ((end if end is not None else clip.frames) - start) / clip.sample_rate / args.rate
    print(f"playing {clip.name}: {clip.sample_rate} Hz x{args.rate:g}, {played:.2f} s")
    play_clip(clip, args.rate, args.device, start, end)
    return 0


def play_clip(clip: AudioClip, rate: float, device: str | None, start: int = 0,
              end: int | None = None) -> None:
    from explorer.audio.devices import AudioUnavailable
    from explorer.audio.player import Player

    try:
        player = Player(device=device_arg(device))
        player.play(clip.samples, clip.sample_rate, rate=rate, start=start, end=end)
        try:
            player.wait()  # watches the stream: a killed or frozen sound server sets `lost`
        except KeyboardInterrupt:
            player.stop()
            raise
    except AudioUnavailable as exc:
        raise CliError(str(exc)) from exc
    if player.lost:
        raise CliError(player.lost)


