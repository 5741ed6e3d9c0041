"""`audio-explorer scan`: measure every file of a dataset, flag the odd ones, write a report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from explorer.cli.common import PROG, CliError, connect_scheduler, no_audio_files, positive_int, start_method
from explorer.cli.progress import ProgressLine
from explorer.model.names import shown, terminal_safe

SCAN_HELP = """\
Decodes every audio file of SRC (a folder, or one file) and measures it: rate, channels,
duration, peak and RMS level (dBFS), BS.1770 loudness (LUFS), DC offset, clipped and silent
shares, bandwidth, a hash of the samples; attaches transcripts (LibriSpeech *.trans.txt,
LJSpeech metadata.csv, Common Voice *.tsv, or a .txt/.lab beside the audio) and flags the
files worth a look (clipped, silent, upsampled, duplicate, odd rate...; see the README).

A progress bar goes to stderr, a summary to stdout; -o writes one row per file as CSV,
JSON lines (.json, .jsonl) or Parquet (.parquet). Unchanged files (same path, size and
modification time) come from a cache in the user's cache folder; --no-cache measures again.
Exit status: 0 when every file was read, 1 when some were unreadable (their rows say why),
2 for usage errors, 130 when interrupted.
"""


def add_parser(sub) -> None:
    p = sub.add_parser("scan", help="measure and flag every file of a dataset; write a report",
                       description=SCAN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("src", metavar="SRC", help="folder of audio files (or one file)")
    p.add_argument("--recursive", "-r", action="store_true", help="include sub-folders")
    p.add_argument("-o", "--output", metavar="REPORT",
                   help="write the report: report.csv, report.json (JSON lines) or report.parquet")
    cores = os.cpu_count() or 1
    p.add_argument("--jobs", "-j", type=positive_int, default=cores, metavar="N",
                   help=f"up to N worker processes (default: all {cores} cores); 1: in this process")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (e.g. tcp://host:8786; needs audio-explorer[cluster] "
                        "and the same paths on every worker); --jobs is then ignored")
    p.add_argument("--no-cache", action="store_true", help="measure every file again")
    p.set_defaults(run=run)


def _files(src: Path, recursive: bool) -> list[Path]:
    from explorer.model.dataset import scan_folder

    if src.is_file():
        return [src]
    if not src.is_dir():
        raise CliError(f"{src}: no such file or folder")
    files = scan_folder(src, recursive=recursive)
    if not files:
        raise no_audio_files(src, recursive)
    return files


def run(args: argparse.Namespace) -> int:
    from explorer.model import reports
    from explorer.model.scan import scan_dataset
    from explorer.runner import tune_process

    if args.output:
        try:
            reports.report_format(args.output)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    src = Path(args.src)
    files = _files(src, args.recursive)
    tune_process()
    scheduler = connect_scheduler(args.scheduler)
    bar = ProgressLine(sys.stderr, len(files))

    def progress(p) -> None:
        r = p.result
        if r is not None and r.row.error:
            bar.message(f"{PROG}: unreadable {terminal_safe(shown(r.item))}: "
                        f"{terminal_safe(shown(r.row.error))}")
        bar.update(p)

    try:
        report = scan_dataset(files, root=src if src.is_dir() else src.parent, jobs=args.jobs,
                              scheduler=scheduler, progress=progress, cache=not args.no_cache,
                              start_method=start_method())
    except KeyboardInterrupt:
        bar.close()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    finally:
        if scheduler is not None:
            scheduler.close()
    bar.close()
    if args.output:
        reports.write_report(args.output, report.rows)
    summary = report.summary()
    for line in summary.lines():
        print(terminal_safe(line))
    if args.output:
        print(f"report: {terminal_safe(shown(args.output))}")
    return 1 if summary.unreadable else 0
