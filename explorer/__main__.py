"""`python -m explorer` and the `audio-explorer` scripts: the command, Ctrl+C-safe from the start.

Ctrl+C before this module's first line (the interpreter starting, ~10-20 ms) is Python's: killed
by SIGINT (exit status 130 in a shell) or, during `site`'s imports, Python's own fatal-error
report. From here on it is one line and exit 130: `explorer.cli.main` takes over once its
imports (numpy, librosa: ~0.3-1 s) are done, and gives this handler back when the command is
done (Python's shutdown: joining threads, atexit).
"""

import signal
import sys


def _interrupted(signum, frame) -> None:
    """Ctrl+C while importing or shutting down (nothing to clean up): one line, exit 130."""
    import os

    try:
        sys.stdout.flush()  # what the command printed is kept
    except Exception:  # noqa: S110 - a flush interrupted by this very signal: nothing to add
        pass
    os.write(2, b"audio-explorer: interrupted\n")
    os._exit(130)


def main() -> int:
    signal.signal(signal.SIGINT, _interrupted)
    from explorer.caches import persist_numba_cache

    persist_numba_cache()  # before numba is imported: librosa compiles once, not every launch
    from explorer.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
