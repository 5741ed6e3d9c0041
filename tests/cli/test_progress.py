"""The many-file commands' progress: tqdm's bar on a terminal, whole lines at each quarter in a log."""

from __future__ import annotations

import io
from dataclasses import dataclass

from explorer.cli.progress import ProgressLine
from tests.cli.test_export_cli import run


@dataclass
class Snapshot:
    done: int
    total: int
    failed: int = 0
    elapsed: float = 1.0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_whole_line_at_each_quarter():
    log = io.StringIO()
    bar = ProgressLine(log, 100)
    for done in range(1, 101):
        bar.update(Snapshot(done, 100, failed=done // 60, elapsed=done / 10))
    bar.close()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()  # no redrawing in a log
    assert [line.split("|")[0].strip() for line in lines] == ["25%", "50%", "75%", "100%"]
    assert "25/100" in lines[0] and "10.00file/s" in lines[0]
    assert "1 failed" in lines[-1] and "failed" not in lines[0]


def test_a_terminal_gets_a_bar_redrawn_in_place_with_messages_above_it():
    term = Terminal()
    bar = ProgressLine(term, 10)
    for done in range(1, 11):
        bar.update(Snapshot(done, 10, elapsed=done))
        if done == 5:
            bar.message("audio-explorer: failed x.wav: not audio")
    bar.close()
    out = term.getvalue()
    assert "\r" in out and "10/10" in out.splitlines()[-1]
    assert "\naudio-explorer: failed x.wav: not audio\n" in out.replace("\r", "\n")


def test_export_prints_its_progress_to_a_log(tmp_path, tree):
    result = run(tree, "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "%|" in line]
    assert lines and lines[-1].startswith("100%|") and "3/3" in lines[-1], result.stderr
