"""Progress of a many-file command on stderr, drawn by tqdm (the bar Python users know).

On a terminal: one bar redrawn in place, messages printed above it. In a log or a pipe (stderr is
not a terminal) a redrawn bar would be thousands of carriage returns, so the same tqdm line is
printed whole at each quarter of the work and at most every 30 s.
"""

from __future__ import annotations

import time
from typing import Protocol, TextIO

#: Seconds between two lines in a log when no quarter was reached meanwhile.
LOG_INTERVAL = 30.0


class Progress(Protocol):
    """What a runner's progress snapshot offers (ExportProgress has these)."""

    done: int
    total: int
    failed: int
    elapsed: float


class ProgressLine:
    """A tqdm bar fed with snapshots (`update`), with one-line messages (`message`) above it."""

    def __init__(self, stream: TextIO, total: int, unit: str = "file") -> None:
        from tqdm import tqdm  # ~0.1 s: only the commands that draw a bar pay it

        self._tqdm = tqdm
        self.stream = stream
        self.unit = unit
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.bar = tqdm(total=total, file=stream, unit=unit, dynamic_ncols=True, mininterval=0.1,
                        disable=not self.tty)
        self.last_quarter = 0
        self.last_line = time.monotonic()

    def text(self, p: Progress) -> str:
        """The line tqdm draws for this snapshot (what a log gets)."""
        postfix = f"{p.failed} failed" if p.failed else None
        return self._tqdm.format_meter(p.done, p.total, p.elapsed, unit=self.unit, postfix=postfix,
                                       ncols=100, ascii=True)  # logs may not be UTF-8

    def update(self, p: Progress) -> None:
        if self.tty:
            if p.failed:
                self.bar.set_postfix_str(f"{p.failed} failed", refresh=False)
            self.bar.update(p.done - self.bar.n)
            return
        quarter = 4 * p.done // max(1, p.total)
        now = time.monotonic()
        if quarter > self.last_quarter or now - self.last_line >= LOG_INTERVAL:
            self.last_quarter, self.last_line = quarter, now
            print(self.text(p), file=self.stream, flush=True)

    def message(self, line: str) -> None:
        if self.tty:
            self.bar.write(line, file=self.stream)  # clears the bar, prints, redraws it
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        self.bar.close()
