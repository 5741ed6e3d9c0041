"""Benchmark: time from process start to the main window being mapped (warm), under Xvfb.

Baseline, timed in the same run: a bare PySide6 QMainWindow started the same way. Also reports
whether librosa/numba were imported on the start-up path (they must not be).
Usage: python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("Audio Explorer bare"); w.resize(1280, 800); w.show()
sys.exit(app.exec())
"""


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        display = f":{f.readline().strip()}"
    for _ in range(100):  # it has been seen to refuse clients just after reporting its number
        if subprocess.run(["xdpyinfo", "-display", display], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    return proc, display


def time_to_window(cmd: list[str], name: str, env: dict) -> float:
    """Seconds from spawning `cmd` until a visible window whose name matches `name` is mapped."""
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile()
    app = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env,
                                   capture_output=True, text=True).stdout.split()
            if found:
                return time.perf_counter() - t0
            if app.poll() is not None or time.perf_counter() - t0 > 60:
                log.seek(0)
                raise RuntimeError(f"{cmd[0]} exited ({app.poll()}) or timed out before showing a "
                                   f"window:\n{log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.005)
    finally:
        app.terminate()
        app.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    xvfb, display = start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as cfg:
            env = dict(os.environ, DISPLAY=display, AUDIO_EXPLORER_SETTINGS_DIR=cfg)
            env.pop("QT_QPA_PLATFORM", None)
            app_cmd = [str(Path(sys.executable).parent / "audio-explorer")]
            bare_cmd = [sys.executable, "-c", BARE]
            time_to_window(app_cmd, "^Audio Explorer", env)  # warm: page cache, Qt font cache
            results = {"bare PySide6": [], "audio-explorer": []}
            for _ in range(args.runs):
                results["bare PySide6"].append(time_to_window(bare_cmd, "Audio Explorer bare", env))
                results["audio-explorer"].append(time_to_window(app_cmd, "^Audio Explorer", env))
        for name, times in results.items():
            print(f"{name:15s} median {statistics.median(times):.3f} s  "
                  f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)")
        ratio = statistics.median(results["audio-explorer"]) / statistics.median(results["bare PySide6"])
        print(f"ratio {ratio:.2f}x the bare window; target: app <= 1.0 s")
        probe = subprocess.run([sys.executable, "-X", "importtime", "-c",
                                "import explorer.ui.shell.app, explorer.ui.shell.main_window"],
                               capture_output=True, text=True, env=env).stderr
        heavy = sorted({line.split("|")[-1].strip().split(".")[0] for line in probe.splitlines()
                        if line.split("|")[-1].strip().split(".")[0] in ("librosa", "numba")})
        print(f"librosa/numba imported by the window's modules: {', '.join(heavy) or 'no'}")
    finally:
        xvfb.terminate()


if __name__ == "__main__":
    main()
