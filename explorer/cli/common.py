"""What the subcommands share: the program name, the one-line error, argument types and the
spectrogram options."""

from __future__ import annotations

import argparse
import sys

from explorer.model.names import shown, terminal_safe

PROG = "audio-explorer"


class CliError(Exception):
    """A user error reported as one line on stderr with exit code 2."""


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def db_ref(text: str) -> str | float:
    if text in ("max", "min"):
        return text
    try:
        return positive_float(text)
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(f"must be max, min or a positive number, not {text}") from None


def top_db(text: str) -> float | None:
    if text.lower() == "none":
        return None
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be non-negative or 'none'")
    return value


def device_arg(text: str | None) -> int | str | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else text


def add_spectrogram_options(parser: argparse.ArgumentParser) -> None:
    """The spectrogram parameters, shared by `spectrogram` and (later) `export`."""
    from explorer.model.colormaps import COLORMAPS, DEFAULT_COLORMAP

    g = parser.add_argument_group("spectrogram parameters (librosa's defaults)")
    g.add_argument("--kind", choices=("stft", "mel"), default="stft")
    g.add_argument("--n-fft", type=positive_int, default=2048)
    g.add_argument("--hop-length", type=positive_int, default=512)
    g.add_argument("--win-length", type=positive_int, default=None)
    g.add_argument("--window", default="hann")
    g.add_argument("--n-mels", type=positive_int, default=128)
    g.add_argument("--fmin", type=float, default=0.0)
    g.add_argument("--fmax", type=positive_float, default=None)
    g.add_argument("--power", type=float, choices=(1.0, 2.0), default=2.0)
    g.add_argument("--db-ref", type=db_ref, default="max", metavar="max|min|NUMBER")
    g.add_argument("--top-db", type=top_db, default=80.0, metavar="DB|none")
    g.add_argument("--sr", type=positive_int, default=None, help="resample to this rate first")
    g.add_argument("--colormap", choices=COLORMAPS, default=DEFAULT_COLORMAP,
                   help="colour map of PNG output")


def params_from_args(args: argparse.Namespace):
    from explorer.model.spectrogram import SpectrogramParams

    try:
        return SpectrogramParams(
            kind=args.kind, n_fft=args.n_fft, hop_length=args.hop_length,
            win_length=args.win_length, window=args.window, n_mels=args.n_mels,
            fmin=args.fmin, fmax=args.fmax, power=args.power, db_ref=args.db_ref,
            top_db=args.top_db,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def warn(path, warning: str | None) -> None:
    """A file that opens although its header lies (or it holds NaN/inf): said on stderr, exit 0."""
    if warning:
        print(f"{PROG}: warning: {terminal_safe(shown(path))}: {terminal_safe(warning)}",
              file=sys.stderr)


def no_audio_files(src, recursive: bool) -> CliError:
    """The error for a folder without audio, with a hint when sub-folders may hold some."""
    hint = ""
    if not recursive and any(p.is_dir() for p in src.iterdir()):
        hint = " (add --recursive to look in its sub-folders)"
    return CliError(f"{src}: no audio files found{hint}")


def connect_scheduler(address: str | None):
    """A Dask client for --scheduler (None without one); a one-line error when unreachable."""
    if not address:
        return None
    from explorer.runner import DaskUnavailable, connect

    try:
        return connect(address)
    except DaskUnavailable as exc:
        raise CliError(str(exc)) from None


def plan_folder_job(src, out, settings, *, recursive: bool, force: bool, scheduler: str | None,
                    redo: str):
    """The shared start of a folder job (export, features): plan what is left (resume), connect
    the scheduler when there is work, prepare the output folder. Returns (tasks, todo, done,
    client). `redo` words what --force does, e.g. "re-export everything"."""
    from explorer.model import export as ex

    try:
        tasks = ex.plan(src, out, settings, recursive=recursive, force=force)
    except ex.ParamsChanged as exc:
        raise CliError(f"{exc}; rerun with --force to {redo} with the new parameters, or choose "
                       "another output folder") from None
    if not tasks:
        raise no_audio_files(src, recursive)
    todo, done = ex.describe(tasks)
    client = connect_scheduler(scheduler if todo else None)
    ex.prepare_output(out, settings, force=force)
    return tasks, todo, done, client


def start_method() -> str | None:
    """Fork the workers where this process runs one thread (the command itself: milliseconds,
    not a forkserver's ~0.4 s); else the runner's default."""
    import threading

    from explorer.runner import SINGLE_THREAD_START_METHOD

    return SINGLE_THREAD_START_METHOD if threading.active_count() == 1 else None


def run_folder_job(run, tasks, todo: int, scheduler, name=str) -> int:
    """The shared end of a folder job (export, features): `run(progress)` with a progress bar on
    stderr and a line per failed file (`name(path)` names it), Ctrl+C said as how far it got
    (run again to resume), the summary line; the exit code (0, 1 some failed, 2 stopped, 130)."""
    from explorer.cli.progress import ProgressLine
    from explorer.model import export as ex

    bar = ProgressLine(sys.stderr, todo)

    def progress(p) -> None:
        r = p.result
        if r is not None and not r.ok:
            bar.message(f"{PROG}: failed {terminal_safe(shown(name(r.src)))}: "
                        f"{terminal_safe(shown(r.reason or ''))}")
        elif r is not None and getattr(r, "warning", None):
            bar.message(f"{PROG}: warning: {terminal_safe(shown(name(r.src)))}: "
                        f"{terminal_safe(r.warning)}")
        bar.update(p)

    started = ex.file_clock_ns()
    try:
        summary = run(progress)
    except KeyboardInterrupt:
        bar.close()
        written = ex.written_since(tasks, started)  # results in flight when Ctrl+C came included
        print(f"{PROG}: interrupted after {written} of {todo} files; run the same command again "
              f"to resume", file=sys.stderr)
        return 130
    finally:
        if scheduler is not None:
            scheduler.close()
    bar.close()
    if summary.stopped:
        print(f"{PROG}: stopped: {terminal_safe(shown(summary.stopped))}", file=sys.stderr)
    rate = f" ({summary.rate:.1f} files/s)" if summary.written + summary.failed else ""
    left = f", {summary.left} not written" if summary.left else ""
    print(f"{summary.written} written, {summary.up_to_date} skipped (already done), "
          f"{summary.failed} failed{left}, in {summary.seconds:.1f} s{rate}")
    return 2 if summary.stopped else 1 if summary.failed else 0
