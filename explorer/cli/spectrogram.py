"""`audio-explorer spectrogram`: one file's spectrogram to .npy or .png, or its stats."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from explorer.cli.common import CliError, add_spectrogram_options, params_from_args, warn
from explorer.model import atomic
from explorer.model.errors import AudioFileError


def add_parser(sub) -> None:
    p = sub.add_parser("spectrogram", help="compute a spectrogram; save it or print its stats")
    p.add_argument("path", metavar="PATH")
    add_spectrogram_options(p)
    p.add_argument("-o", "--output", metavar="OUT.png|OUT.npy")
    p.add_argument("--stats", action="store_true", help="print shape, min, max, mean of the array")
    p.add_argument("--json", action="store_true", help="print the stats as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from explorer.model import images
    from explorer.model.spectrogram import compute_file

    params = params_from_args(args)
    try:
        spec = compute_file(args.path, params, sr=args.sr)
    except AudioFileError:
        raise
    except Exception as exc:  # librosa's ParameterError and friends: bad parameter values
        raise CliError(f"{args.path}: {exc}") from exc
    warn(args.path, spec.warning)
    if args.output:
        out = Path(args.output)
        suffix = out.suffix.lower()
        if suffix == ".npy":
            atomic.save_npy(out, spec.values)
        elif suffix == ".png":
            images.write_png(out, images.spectrogram_pixels(spec.values, args.colormap))
        else:
            raise CliError(f"{out}: output must end in .png or .npy")
    if args.json:
        print(json.dumps(spec.stats.to_dict(), allow_nan=False))
    elif args.stats or not args.output:
        s = spec.stats
        print(f"shape {s.shape[0]} x {s.shape[1]} (bins x frames)  min {s.min:.4f}  "
              f"max {s.max:.4f}  mean {s.mean:.4f}  [{spec.unit}]")
    return 0
