"""The `audio-explorer` command: the window by default, a subcommand per scripted step.

Each subcommand is a module of this package with `add_parser(sub)` (its options, and
`set_defaults(run=run)`) and `run(args) -> int`; this module only builds the parser, picks the
window or a subcommand, and turns the errors a user can cause into one line and an exit code.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from explorer import __version__
from explorer.cli import desktop, devices, export, features, info, measure, play, scan, spectrogram, tone
from explorer.cli.common import PROG, CliError
from explorer.model.errors import AudioFileError
from explorer.model.names import terminal_safe

#: The subcommands in the order `--help` lists them.
SUBCOMMANDS = {"info": info, "spectrogram": spectrogram, "tone": tone, "play": play,
               "devices": devices, "export": export, "scan": scan,
               "features": features, "measure": measure}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore audio datasets. With no subcommand, opens the window on PATHs "
                    "(files or folders; the bundled samples when none).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--install-desktop", action="store_true",
                       help="add the launcher, icon and 'Open with Audio Explorer' for WAV/FLAC/OGG "
                            "files for this user (XDG folders)")
    group.add_argument("--uninstall-desktop", action="store_true",
                       help="remove exactly what --install-desktop added")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS.values():
        module.add_parser(sub)
    return parser


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
            return desktop.run(args)
        if args.command is None:
            parser.error("give a subcommand, or files and folders to open in the window")
        return args.run(args)
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
