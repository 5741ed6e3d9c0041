"""`audio-explorer tone`: the notebook's tones, mixed or in sequence; saved or played."""

from __future__ import annotations

import argparse

import numpy as np

from explorer.cli.common import CliError, positive_float, positive_int
from explorer.cli.play import play_clip
from explorer.model import atomic


def add_parser(sub) -> None:
    from explorer.model.tones import ALL_WAVES

    p = sub.add_parser("tone", help="synthesize tones; mix or chain them; save or play")
    p.add_argument("frequencies", nargs="+", type=float, metavar="FREQ")
    combine = p.add_mutually_exclusive_group()
    combine.add_argument("--mix", dest="combine", action="store_const", const="mix")
    combine.add_argument("--sequence", dest="combine", action="store_const", const="sequence")
    p.add_argument("--wave", choices=ALL_WAVES, default="sine")
    p.add_argument("--duration", type=float, default=1.0, help="seconds per tone (default 1)")
    p.add_argument("--amplitude", type=float, default=0.1, help="peak amplitude (default 0.1)")
    p.add_argument("--sr", type=positive_int, default=16000, help="sample rate (default 16000)")
    p.add_argument("-o", "--output", metavar="OUT.wav")
    p.add_argument("--subtype", default="FLOAT", choices=("PCM_16", "PCM_24", "PCM_32", "FLOAT"),
                   help="WAV sample format (default FLOAT: the exact samples)")
    p.add_argument("--play", action="store_true")
    p.add_argument("--rate", type=positive_float, default=1.0,
                   help="play at RATE times the sample rate (2: faster, an octave higher)")
    p.add_argument("--device", default=None)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from explorer.model.clip import from_array
    from explorer.model.tones import ToneSpec, render

    try:
        specs = [ToneSpec(f, args.duration, args.amplitude, args.wave) for f in args.frequencies]
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    samples = render(specs, args.sr, args.combine or "mix")
    names = " + ".join(f"{f:g} Hz" for f in args.frequencies)
    if args.output:
        atomic.write_sound(args.output, samples, args.sr, subtype=args.subtype)
        print(f"wrote {args.output}: {names}, {len(samples)} samples at {args.sr} Hz")
    if args.play:
        play_clip(from_array(samples, args.sr, name=names), args.rate, args.device)
    if not args.output and not args.play:
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        print(f"{names}: {len(samples)} samples at {args.sr} Hz, "
              f"{len(samples) / args.sr:.3f} s, peak {peak:.4f}")
    return 0
