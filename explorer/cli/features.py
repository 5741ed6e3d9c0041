"""`audio-explorer features`: one of librosa's analyses of a file (or of every file of a folder),
as librosa's array (.npy), a table (.csv) or a JSON summary."""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

from explorer.cli.common import (
    PROG,
    CliError,
    plan_folder_job,
    positive_int,
    run_folder_job,
    start_method,
)
from explorer.cli.progress import ProgressLine
from explorer.model.analysis.features import FEATURES, KINDS, SPECS, feature_params
from explorer.model.names import shown, terminal_safe

FEATURES_HELP = """\
Computes one of librosa's analyses with librosa's own function, parameter names and defaults:
  pyin, yin             librosa.pyin (f0, voiced_flag, voiced_prob) / librosa.yin (f0); fmin and
                        fmax default to C2 (65.4 Hz) and C7 (2093 Hz), librosa's examples' range
  onset_strength        librosa.onset.onset_strength
  onsets                librosa.onset.onset_detect(units='time'): onset times in seconds
  beats                 librosa.beat.beat_track(units='time'): tempo and beat times
  centroid, bandwidth, rolloff, flatness, zcr, rms
                        librosa.feature.spectral_centroid, spectral_bandwidth, spectral_rolloff,
                        spectral_flatness, zero_crossing_rate, rms
  mfcc, chroma          librosa.feature.mfcc, librosa.feature.chroma_stft
  cqt                   np.abs(librosa.cqt(...)); its CSV columns are note names (A4 = 440 Hz)
The signal is librosa.load(PATH, sr=None, mono=True) (--sr, --offset, --duration: librosa.load's).
A file longer than 10 minutes is read block by block with the same values (cqt: to float32
rounding; pyin: each block decoded with 5 s of context each side, where its path has converged).

Outputs: .npy holds exactly the array librosa returns (its shape and dtype; pyin: f0 with NaN
where unvoiced); .csv has a time column (seconds) then one column per row of the array; --json
prints the tempo and beat times for beats, the shape and a summary for the rest.

PATH a folder: one output per audio file in OUT_DIR (mirroring sub-folders, --format npy|csv),
with OUT_DIR/params.json; resumable and run in parallel like `audio-explorer export`.

Parameters of each feature (librosa's defaults):
"""


def _params_help() -> str:
    lines = []
    for name in FEATURES:
        opts = ", ".join(f"--{p.name.replace('_', '-')} {p.default}" for p in feature_params(name))
        lines.append(f"  {name}: {opts}")
    return "\n".join(lines)


def _bool(text: str) -> bool:
    low = text.lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"must be true or false, not {text}")


def _option_names() -> list[str]:
    names: list[str] = []
    for spec in SPECS.values():
        names += [p for p in spec.params if p not in names]
    return names


def add_parser(sub) -> None:
    p = sub.add_parser(
        "features",
        help="librosa's pitch, onsets, beats, spectral features, MFCC, chroma or CQT of a file or folder",
        description=FEATURES_HELP + _params_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", metavar="PATH", help="an audio file, or a folder of them")
    p.add_argument("--feature", "-f", required=True, choices=FEATURES)
    p.add_argument("-o", "--output", metavar="OUT", help="OUT.npy or OUT.csv (a folder: OUT_DIR)")
    p.add_argument("--json", action="store_true", help="print a JSON summary (a file only)")
    p.add_argument("--sr", type=positive_int, default=None, help="resample to this rate (librosa.load)")
    p.add_argument("--offset", type=float, default=None, help="start reading here, seconds (librosa.load)")
    p.add_argument("--duration", type=float, default=None, help="read this many seconds (librosa.load)")
    g = p.add_argument_group("librosa parameters (each feature takes its own; see above)")
    for name in _option_names():
        kind = KINDS[name]
        g.add_argument(f"--{name.replace('_', '-')}", dest=f"lp_{name}", default=None,
                       metavar=kind.__name__.upper(), type=_bool if kind is bool else kind)
    f = p.add_argument_group("a folder")
    f.add_argument("--format", choices=("npy", "csv"), default="npy",
                   help="output of each file (default npy)")
    cores = os.cpu_count() or 1
    f.add_argument("--jobs", "-j", type=positive_int, default=cores, metavar="N",
                   help=f"up to N worker processes (default: all {cores} cores)")
    f.add_argument("--recursive", "-r", action="store_true", help="include sub-folders")
    f.add_argument("--force", action="store_true", help="rewrite every output, also with other settings")
    f.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (e.g. tcp://host:8786)")
    p.set_defaults(run=run)


def given_params(args: argparse.Namespace) -> dict:
    """The librosa parameters given on the command line, checked against the feature's."""
    values = {name: getattr(args, f"lp_{name}") for name in _option_names()}
    given = {name: value for name, value in values.items() if value is not None}
    allowed = SPECS[args.feature].params
    wrong = [n for n in given if n not in allowed]
    if wrong:
        opts = ", ".join("--" + n.replace("_", "-") for n in allowed)
        raise CliError(f"{', '.join('--' + n.replace('_', '-') for n in wrong)}: not a parameter of "
                       f"{args.feature} (its parameters: {opts})")
    return given


def run(args: argparse.Namespace) -> int:
    params = given_params(args)
    path = Path(args.path)
    if path.is_dir():
        return _run_folder(args, path, params)
    if not path.exists():
        raise CliError(f"{path}: no such file or folder")
    if not args.output and not args.json:
        raise CliError("give -o OUT.npy or OUT.csv, or --json")
    fmt = None
    if args.output:
        fmt = Path(args.output).suffix.lstrip(".").lower()
        if fmt not in ("npy", "csv"):
            raise CliError(f"{args.output}: the output must end in .npy or .csv")
    return _run_file(args, path, params, fmt)


def _run_file(args, path: Path, params: dict, fmt: str | None) -> int:
    from explorer.model.analysis.outputs import feature_of_file, json_summary, write_result
    from explorer.model.errors import AudioFileError

    bar = None
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total <= 1:
            return
        if bar is None:
            bar = ProgressLine(sys.stderr, total, unit="sample")
        bar.update(SimpleNamespace(done=done, total=total, failed=0, elapsed=time.monotonic() - started))

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = feature_of_file(path, args.feature, params, sr=args.sr, offset=args.offset,
                                     duration=args.duration, progress=progress)
    except (AudioFileError, OSError):
        raise
    except Exception as exc:  # librosa's ParameterError and friends: what it says, in one line
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(f"{shown(path)}: {args.feature}: {text}") from None
    finally:
        if bar is not None:
            bar.close()
    said = [str(w.message).strip().splitlines()[0] for w in caught if str(w.message).strip()]
    for text in dict.fromkeys(said):
        print(f"{PROG}: warning: librosa: {terminal_safe(text)}", file=sys.stderr)  # one line each
    if args.output:
        write_result(result, args.output, fmt)
    if args.json:
        print(json_summary(result))
    elif args.output:
        print(f"{args.feature} of {terminal_safe(shown(path))}: {'x'.join(map(str, result.values.shape))} "
              f"{result.values.dtype} -> {terminal_safe(shown(Path(args.output)))}", file=sys.stderr)
    return 0


def _run_folder(args, src: Path, params: dict) -> int:
    from explorer.model.analysis.outputs import FeatureSettings, run_features
    from explorer.runner import tune_process

    if args.json:
        raise CliError("--json summarises one file; a folder writes one output per file (-o OUT_DIR)")
    if not args.output:
        raise CliError("give -o OUT_DIR for a folder")
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise CliError(f"{out}: exists and is not a folder")
    tune_process()
    settings = FeatureSettings(args.feature, params, args.format, args.sr)
    tasks, todo, done, scheduler = plan_folder_job(
        src, out, settings, recursive=args.recursive, force=args.force, scheduler=args.scheduler,
        redo="recompute everything")
    if todo == 0:
        print(f"nothing to do: all {done} outputs in {out} are up to date (--force rewrites them)")
        return 0
    print(f"{args.feature} of {todo} of {len(tasks)} files to {out}"
          + (f" ({done} already up to date)" if done else ""), file=sys.stderr)
    return run_folder_job(
        lambda progress: run_features(tasks, settings, jobs=args.jobs, progress=progress,
                                      scheduler=scheduler, start_method=start_method()),
        tasks, todo, scheduler)
