"""`audio-explorer info`: header facts of audio files, one line (or JSON object) each."""

from __future__ import annotations

import argparse
import json
import sys

from explorer.cli.common import PROG, warn
from explorer.model.clip import info
from explorer.model.errors import AudioFileError
from explorer.model.names import shown, terminal_safe


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="header facts of audio files (no decode)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            facts = info(path)
        except AudioFileError as exc:
            print(f"{PROG}: {terminal_safe(str(exc))}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(facts.to_dict(), allow_nan=False))
        else:
            print(f"{terminal_safe(shown(facts.path))}: {facts.sample_rate} Hz, {facts.frames} frames, "
                  f"{facts.duration:.3f} s, {facts.channels} ch, {facts.format} {facts.subtype}")
        warn(facts.path, facts.warning)
    return 2 if failed else 0
