"""Every benchmark in turn (`make bench`), each in its own interpreter, with its own baseline.

Each script prints its figures and its ratios against a baseline timed in the same run; this one
only runs them one after another (never side by side: on 2 cores they would disturb each other)
and says which failed. The live view runs under xvfb-run when there is no display.
Usage: python bench/run_all.py [NAME ...]   (names: export, scan, runner, long, long_gui, live, startup,
       features, map, analysis_gui)
About 11 minutes on 2 cores; run it on a quiet machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name -> (script, arguments, needs an X server)
BENCHMARKS: dict[str, tuple[str, list[str], bool]] = {
    "export": ("export_dataset.py", [], False),
    "scan": ("scan_dataset.py", [], False),
    "runner": ("runner_engines.py", [], False),
    "long": ("long_spectrogram.py", [], False),
    "features": ("features_long.py", [], False),
    "long_gui": ("long_gui.py", [], False),
    "live": ("live_view.py", ["30"], True),
    "startup": ("startup.py", [], False),  # starts its own Xvfb
    "map": ("map_scale.py", [], True),  # the dataset map: layouts of 10,000, 100,000 points' frame rate
    "analysis_gui": ("analysis_gui.py", [], False),
}


def command(script: str, args: list[str], needs_x: bool) -> list[str]:
    cmd = [sys.executable, str(HERE / script), *args]
    if needs_x and not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 -noreset", *cmd]
    return cmd


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
              file=sys.stderr)
        return 2
    failed = []
    for name in names or list(BENCHMARKS):
        script, args, needs_x = BENCHMARKS[name]
        print(f"\n=== {name}: bench/{script} {' '.join(args)}".rstrip(), flush=True)
        start = time.perf_counter()
        code = subprocess.call(command(script, args, needs_x), cwd=HERE.parent)
        print(f"=== {name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
