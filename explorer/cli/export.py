"""`audio-explorer export`: a folder of recordings to one spectrogram per file, resumable."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from explorer.cli.common import (
    CliError,
    add_spectrogram_options,
    params_from_args,
    plan_folder_job,
    positive_int,
    run_folder_job,
    start_method,
)

EXPORT_HELP = """\
Writes one spectrogram per audio file of SRC_DIR into OUT_DIR, mirroring the folder tree
(a/clip.wav -> OUT_DIR/a/clip.png or .npy), and OUT_DIR/params.json recording the settings and
the library versions. Defaults: mel spectrogram in dB (ref max, top 80 dB), PNG in magma.

Resuming: a rerun skips every output that exists, is newer than its source and not older than
params.json, so an interrupted export (Ctrl+C, a crash, a killed job) continues where it stopped
and a finished one does nothing. Outputs are written to a hidden temporary file and renamed, so a
file under its final name is always complete. If OUT_DIR/params.json records other settings
(another kind, n_mels, format, colour map...), nothing is written: the command lists the
differences and exits with status 2; rerun with --force to rewrite params.json and every output
with the new settings (an interrupted forced run resumes correctly), or pick a new OUT_DIR.
--force also rewrites everything when the settings are the same.

Unusable files (empty, not audio, truncated...) fail with a one-line reason on stderr; the
others go on. A write error that would fail every file (disk full, read-only file system, no
permission on OUT_DIR) stops the export at once and is said once.
Exit status: 0 when every file was exported or already up to date, 1 when some file failed,
2 for usage errors and when OUT_DIR cannot be written, 130 when interrupted (rerun the same
command to resume).
"""


def add_parser(sub) -> None:
    from explorer.model.export import DEPTHS, FORMATS

    p = sub.add_parser("export", help="export a folder of recordings to PNG or .npy spectrograms",
                       description=EXPORT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("src", metavar="SRC_DIR", help="folder of audio files")
    p.add_argument("-o", "--output", metavar="OUT_DIR", required=True,
                   help="where the outputs and params.json go (created if needed)")
    p.add_argument("--format", choices=FORMATS, default="png",
                   help="png: a picture, one pixel per bin and frame; npy: the float32 dB array")
    add_spectrogram_options(p)
    p.set_defaults(kind="mel")
    p.add_argument("--depth", type=int, choices=DEPTHS, default=8,
                   help="bits per channel of PNGs; 16 needs --colormap gray (default 8)")
    cores = os.cpu_count() or 1
    p.add_argument("--jobs", "-j", type=positive_int, default=cores, metavar="N",
                   help=f"up to N worker processes (default: all {cores} cores); an export that "
                        f"would end before they are up stays in this process; 1: always in this "
                        f"process")
    p.add_argument("--recursive", "-r", action="store_true", help="include sub-folders")
    p.add_argument("--force", action="store_true",
                   help="rewrite every output, also with settings other than params.json's")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (e.g. tcp://host:8786; needs audio-explorer[cluster] "
                        "and the same paths on every worker); --jobs is then ignored")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from explorer.model import export as ex
    from explorer.model.stft import fft_window
    from explorer.runner import tune_process

    tune_process()
    params = params_from_args(args)
    try:
        fft_window(params.window, params.n_fft, params.win_length)
        settings = ex.ExportSettings(params=params, format=args.format, colormap=args.colormap,
                                     depth=args.depth, sr=args.sr)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    src, out = Path(args.src), Path(args.output)
    if not src.is_dir():
        raise CliError(f"{src}: {'not a folder' if src.exists() else 'no such folder'}")
    if out.exists() and not out.is_dir():
        raise CliError(f"{out}: exists and is not a folder")
    tasks, todo, done, scheduler = plan_folder_job(
        src, out, settings, recursive=args.recursive, force=args.force, scheduler=args.scheduler,
        redo="re-export everything")
    where = f"Dask cluster {args.scheduler}" if args.scheduler else (
        "1 process" if min(args.jobs, todo) <= 1 else f"{min(args.jobs, todo)} processes")
    if todo == 0:
        print(f"nothing to do: all {done} outputs in {out} are up to date (--force rewrites them)")
    else:
        print(f"exporting {todo} of {len(tasks)} files to {out} with {where}"
              + (f" ({done} already up to date)" if done else ""), file=sys.stderr)
    return run_folder_job(
        lambda progress: ex.run_export(tasks, settings, jobs=args.jobs, progress=progress,
                                       scheduler=scheduler, start_method=start_method()),
        tasks, todo, scheduler, name=lambda path: _shown(path, src))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
