"""The `audio-explorer` command: the GUI by default, subcommands for scripting the notebook's steps."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from explorer import __version__
from explorer.model import atomic
from explorer.model.clip import AudioClip, info, load
from explorer.model.errors import AudioFileError
from explorer.model.names import shown, terminal_safe

PROG = "audio-explorer"
SUBCOMMANDS = ("info", "spectrogram", "tone", "play", "devices", "export")


class CliError(Exception):
    """A user error reported as one line on stderr with exit code 2."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _db_ref(text: str) -> str | float:
    if text in ("max", "min"):
        return text
    try:
        return _positive_float(text)
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(f"must be max, min or a positive number, not {text}") from None


def _top_db(text: str) -> float | None:
    if text.lower() == "none":
        return None
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be non-negative or 'none'")
    return value


def _device(text: str | None) -> int | str | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else text


def add_spectrogram_options(parser: argparse.ArgumentParser) -> None:
    """The spectrogram parameters, shared by `spectrogram` and (later) `export`."""
    from explorer.model.colormaps import COLORMAPS, DEFAULT_COLORMAP

    g = parser.add_argument_group("spectrogram parameters (librosa's defaults)")
    g.add_argument("--kind", choices=("stft", "mel"), default="stft")
    g.add_argument("--n-fft", type=_positive_int, default=2048)
    g.add_argument("--hop-length", type=_positive_int, default=512)
    g.add_argument("--win-length", type=_positive_int, default=None)
    g.add_argument("--window", default="hann")
    g.add_argument("--n-mels", type=_positive_int, default=128)
    g.add_argument("--fmin", type=float, default=0.0)
    g.add_argument("--fmax", type=_positive_float, default=None)
    g.add_argument("--power", type=float, choices=(1.0, 2.0), default=2.0)
    g.add_argument("--db-ref", type=_db_ref, default="max", metavar="max|min|NUMBER")
    g.add_argument("--top-db", type=_top_db, default=80.0, metavar="DB|none")
    g.add_argument("--sr", type=_positive_int, default=None, help="resample to this rate first")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore audio datasets. With no subcommand, opens the window on PATHs "
                    "(files or folders; the bundled samples when none).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop", action="store_true",
                         help="add the launcher, icon and 'Open with Audio Explorer' for WAV/FLAC/OGG "
                              "files for this user (XDG folders)")
    desktop.add_argument("--uninstall-desktop", action="store_true",
                         help="remove exactly what --install-desktop added")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("info", help="header facts of audio files (no decode)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = sub.add_parser("spectrogram", help="compute a spectrogram; save it or print its stats")
    p.add_argument("path", metavar="PATH")
    add_spectrogram_options(p)
    p.add_argument("-o", "--output", metavar="OUT.png|OUT.npy")
    p.add_argument("--stats", action="store_true", help="print shape, min, max, mean of the array")
    p.add_argument("--json", action="store_true", help="print the stats as JSON")

    from explorer.model.tones import ALL_WAVES

    p = sub.add_parser("tone", help="synthesize tones; mix or chain them; save or play")
    p.add_argument("frequencies", nargs="+", type=float, metavar="FREQ")
    combine = p.add_mutually_exclusive_group()
    combine.add_argument("--mix", dest="combine", action="store_const", const="mix")
    combine.add_argument("--sequence", dest="combine", action="store_const", const="sequence")
    p.add_argument("--wave", choices=ALL_WAVES, default="sine")
    p.add_argument("--duration", type=float, default=1.0, help="seconds per tone (default 1)")
    p.add_argument("--amplitude", type=float, default=0.1, help="peak amplitude (default 0.1)")
    p.add_argument("--sr", type=_positive_int, default=16000, help="sample rate (default 16000)")
    p.add_argument("-o", "--output", metavar="OUT.wav")
    p.add_argument("--subtype", default="FLOAT", choices=("PCM_16", "PCM_24", "PCM_32", "FLOAT"),
                   help="WAV sample format (default FLOAT: the exact samples)")
    p.add_argument("--play", action="store_true")
    p.add_argument("--rate", type=_positive_float, default=1.0,
                   help="play at RATE times the sample rate (2: faster, an octave higher)")
    p.add_argument("--device", default=None)

    p = sub.add_parser("play", help="play a file through the sound card")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--rate", type=_positive_float, default=1.0,
                   help="play at RATE times the sample rate (2: faster, an octave higher)")
    p.add_argument("--resample", type=_positive_int, default=None, metavar="SR",
                   help="convert to SR first (same pitch and length)")
    p.add_argument("--start", type=float, default=0.0, metavar="S")
    p.add_argument("--end", type=float, default=None, metavar="S")
    p.add_argument("--device", default=None)

    sub.add_parser("devices", help="list the sound devices")

    add_export_parser(sub)
    return parser


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


def add_export_parser(sub) -> None:
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
    p.add_argument("--jobs", "-j", type=_positive_int, default=cores, metavar="N",
                   help=f"up to N worker processes (default: all {cores} cores); an export that "
                        f"would end before they are up stays in this process; 1: always in this "
                        f"process")
    p.add_argument("--recursive", "-r", action="store_true", help="include sub-folders")
    p.add_argument("--force", action="store_true",
                   help="rewrite every output, also with settings other than params.json's")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (e.g. tcp://host:8786; needs audio-explorer[cluster] "
                        "and the same paths on every worker); --jobs is then ignored")


def cmd_info(args: argparse.Namespace) -> int:
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
        _warn(facts.path, facts.warning)
    return 2 if failed else 0


def _warn(path, warning: str | None) -> None:
    """A file that opens although its header lies (or it holds NaN/inf): said on stderr, exit 0."""
    if warning:
        print(f"{PROG}: warning: {path}: {warning}", file=sys.stderr)


def cmd_spectrogram(args: argparse.Namespace) -> int:
    from explorer.model import images
    from explorer.model.spectrogram import compute_file

    params = params_from_args(args)
    try:
        spec = compute_file(args.path, params, sr=args.sr)
    except AudioFileError:
        raise
    except Exception as exc:  # librosa's ParameterError and friends: bad parameter values
        raise CliError(f"{args.path}: {exc}") from exc
    _warn(args.path, spec.warning)
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


def _play(clip: AudioClip, rate: float, device: str | None, start: int = 0,
          end: int | None = None) -> None:
    from explorer.audio.devices import AudioUnavailable
    from explorer.audio.player import Player

    try:
        player = Player(device=_device(device))
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


def cmd_tone(args: argparse.Namespace) -> int:
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
        _play(from_array(samples, args.sr, name=names), args.rate, args.device)
    if not args.output and not args.play:
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        print(f"{names}: {len(samples)} samples at {args.sr} Hz, "
              f"{len(samples) / args.sr:.3f} s, peak {peak:.4f}")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    clip = load(args.path)
    _warn(args.path, clip.warning)
    if args.resample:
        clip = clip.resample(args.resample)
    start = max(0, int(round(args.start * clip.sample_rate)))
    end = None if args.end is None else int(round(args.end * clip.sample_rate))
    if start >= clip.frames or (end is not None and end <= start):
        raise CliError(f"{args.path}: nothing to play between {args.start} s and {args.end} s "
                       f"(the clip lasts {clip.duration:.3f} s)")
    played = ((end if end is not None else clip.frames) - start) / clip.sample_rate / args.rate
    print(f"playing {clip.name}: {clip.sample_rate} Hz x{args.rate:g}, {played:.2f} s")
    _play(clip, args.rate, args.device, start, end)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
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


class _ProgressLine:
    """Progress on stderr: one line redrawn in place on a terminal, a few lines otherwise."""

    def __init__(self, stream, total: int) -> None:
        self.stream = stream
        self.total = total
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_draw = 0.0
        self.last_quarter = 0
        self.shown = False

    @staticmethod
    def _clock(seconds: float | None) -> str:
        if seconds is None:
            return "?"
        seconds = int(round(seconds))
        hours, rest = divmod(seconds, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"

    def text(self, p) -> str:
        width = 24
        filled = int(width * p.done / p.total) if p.total else width
        failed = f", {p.failed} failed" if p.failed else ""
        return (f"[{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} files "
                f"{100 * p.done / max(1, p.total):3.0f}%  {p.rate:.1f} files/s  "
                f"{self._clock(p.remaining_seconds)} left{failed}")

    def update(self, p) -> None:
        import time

        now = time.monotonic()
        if self.tty:
            if p.done == p.total or now - self.last_draw >= 0.1:
                self.stream.write("\r\x1b[K" + self.text(p))
                self.stream.flush()
                self.last_draw, self.shown = now, True
        else:
            quarter = 4 * p.done // max(1, p.total)
            if quarter > self.last_quarter or now - self.last_draw >= 30:
                self.last_quarter = quarter
                self.last_draw = now
                print(self.text(p), file=self.stream, flush=True)

    def message(self, line: str) -> None:
        if self.tty and self.shown:
            self.stream.write("\r\x1b[K")
        print(line, file=self.stream, flush=True)
        self.last_draw = 0.0 if self.tty else self.last_draw

    def close(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _export_start_method() -> str | None:
    """Fork where this process runs one thread (the command itself); else the export default."""
    import threading

    from explorer.model import export as ex

    return ex.SINGLE_THREAD_START_METHOD if threading.active_count() == 1 else None


def cmd_export(args: argparse.Namespace) -> int:
    from explorer.model import export as ex
    from explorer.model.stft import fft_window

    ex.tune_process()
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
    try:
        tasks = ex.plan(src, out, settings, recursive=args.recursive, force=args.force)
    except ex.ParamsChanged as exc:
        raise CliError(f"{exc}; rerun with --force to re-export everything with the new "
                       f"parameters, or choose another output folder") from None
    if not tasks:
        hint = ""
        if not args.recursive and any(p.is_dir() for p in src.iterdir()):
            hint = " (add --recursive to look in its sub-folders)"
        raise CliError(f"{src}: no audio files found{hint}")
    todo, done = ex.describe(tasks)
    scheduler = None
    if args.scheduler and todo:
        try:
            scheduler = ex.connect_dask(args.scheduler)
        except ex.DaskUnavailable as exc:
            raise CliError(str(exc)) from None
    ex.prepare_output(out, settings, force=args.force)
    where = f"Dask cluster {args.scheduler}" if args.scheduler else (
        "1 process" if min(args.jobs, todo) <= 1 else f"{min(args.jobs, todo)} processes")
    if todo == 0:
        print(f"nothing to do: all {done} outputs in {out} are up to date (--force rewrites them)")
    else:
        print(f"exporting {todo} of {len(tasks)} files to {out} with {where}"
              + (f" ({done} already up to date)" if done else ""), file=sys.stderr)
    bar = _ProgressLine(sys.stderr, todo)

    def progress(p) -> None:
        r = p.result
        if r is not None and not r.ok:
            bar.message(f"{PROG}: failed {terminal_safe(shown(_shown(r.src, src)))}: "
                        f"{terminal_safe(shown(r.reason or ''))}")
        elif r is not None and r.warning:
            bar.message(f"{PROG}: warning: {terminal_safe(shown(_shown(r.src, src)))}: "
                        f"{terminal_safe(r.warning)}")
        bar.update(p)

    started = ex.file_clock_ns()
    try:
        summary = ex.run_export(tasks, settings, jobs=args.jobs, progress=progress,
                                scheduler=scheduler, start_method=_export_start_method())
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


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def cmd_desktop(args: argparse.Namespace) -> int:
    from explorer import desktop

    if args.install_desktop:
        files = desktop.install()
        print(f"installed for this user ({desktop.data_home()}):")
    else:
        files = desktop.uninstall()
        print(f"removed ({desktop.data_home()}):" if files else "nothing to remove")
    for path in files:
        print(f"  {path}")
    return 0


COMMANDS = {"info": cmd_info, "spectrogram": cmd_spectrogram, "tone": cmd_tone,
            "play": cmd_play, "devices": cmd_devices, "export": cmd_export}


def run_gui(paths: Sequence[str]) -> int:
    from explorer.ui.shell.app import run

    return run(list(paths))


def _looks_like_paths(argv: list[str]) -> bool:
    """True when the arguments are files/folders for the GUI, not a (mistyped) subcommand."""
    first = argv[0]
    if first in SUBCOMMANDS or first.startswith("-"):
        return False
    return Path(first).exists() or "/" in first or "." in first or "\\" in first


def main(argv: Sequence[str] | None = None) -> int:
    """The command. Everything, from building the parser on, runs inside the try: Ctrl+C at any
    moment is one line and exit 130 (see explorer/__main__.py for the moments before)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main_thread else None
    if not argv or _looks_like_paths(argv):
        if main_thread:  # the window handles Ctrl+C as before explorer/__main__ took it over
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return run_gui(argv)
    try:
        if main_thread:  # Ctrl+C raises KeyboardInterrupt again (cleanups rely on it)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.install_desktop or args.uninstall_desktop:
            return cmd_desktop(args)
        if args.command is None:
            parser.error("give a subcommand, or files and folders to open in the window")
        return COMMANDS[args.command](args)
    except (AudioFileError, CliError, OSError) as exc:  # OSError: WriteError says it in words
        print(f"{PROG}: {terminal_safe(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    finally:
        if main_thread and previous is not None:  # the program's: one line and 130 at shutdown
            signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main())
