"""`audio-explorer measure`: Raven's measurements of a selection (a time span, or a box)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from explorer.cli.common import CliError, positive_int


def add_parser(sub) -> None:
    p = sub.add_parser(
        "measure",
        help="measure a selection: peak, centre, 5%%/95%% frequencies, 90%% bandwidth, energy, RMS, f0",
        description="Raven's measurements of PATH between --start and --end seconds, within --low and "
        "--high Hz (default 0 .. Nyquist), from the power spectrogram of the selected samples "
        "(librosa.stft) and the samples themselves; median f0 by librosa.pyin (C2..C7) over the "
        "voiced frames. The signal is librosa.load(PATH, sr=None, mono=True).",
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("--start", type=float, required=True, metavar="S", help="seconds")
    p.add_argument("--end", type=float, required=True, metavar="E", help="seconds")
    p.add_argument("--low", type=float, default=None, metavar="HZ")
    p.add_argument("--high", type=float, default=None, metavar="HZ")
    p.add_argument("--n-fft", type=positive_int, default=2048)
    p.add_argument("--hop-length", type=positive_int, default=512)
    p.add_argument("--json", action="store_true", help="one JSON object (NaN and -inf as null)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import librosa

    from explorer.model.analysis.selection import HEADINGS, Selection, measure_selection

    path = Path(args.path)
    if not path.is_file():
        raise CliError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    if args.end <= args.start:
        raise CliError(f"--end ({args.end}) must be after --start ({args.start})")
    for name in ("low", "high"):
        value = getattr(args, name)
        if value is not None and value < 0:
            raise CliError(f"--{name} must not be negative, not {value}")
    try:
        y, sr = librosa.load(path, sr=None, mono=True)
    except Exception as exc:  # noqa: BLE001 - librosa's decoders fail in many ways: one line
        from explorer.model.clip import info

        info(path)  # an unreadable file: the app's own words (AudioFileError)
        raise CliError(f"{path}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}") from None
    if args.start >= y.size / sr:
        raise CliError(f"--start {args.start} s is past the end ({y.size / sr:.3f} s)")
    m = measure_selection(y, int(sr), Selection(args.start, args.end, args.low, args.high),
                          n_fft=args.n_fft, hop_length=args.hop_length)
    row = m.to_row()
    if args.json:
        print(json.dumps({k: (v if math.isfinite(v) else None) for k, v in row.items()}, allow_nan=False))
        return 0
    width = max(len(h) for h in HEADINGS.values())
    for key, value in row.items():
        text = "-" if not math.isfinite(value) else f"{value:.6g}"
        print(f"{HEADINGS[key]:<{width}}  {text}", file=sys.stdout)
    return 0
