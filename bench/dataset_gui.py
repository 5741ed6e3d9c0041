"""Benchmark: a 10,000-file folder in the window's Dataset view (a script printing figures).

Makes N tiny WAVs (0.25 s at 16 kHz, each different) in a temporary folder under /tmp, opens the
folder in a MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) and prints:
- listed: seconds from open_paths() until the file list and the Dataset table hold every file;
- filled in: seconds until every row is measured (the scan cache off: a first scan), and the
  files per second; then a second opening of the folder from the scan cache;
- the largest gap of a 10 ms heartbeat QTimer on the GUI thread while listing, and while the
  measurements fill in (a stall is the gap less the 10 ms);
- peak RSS of the window's process and of the largest worker process (ru_maxrss).
The first second after the listing is reported apart: the window paints the Dataset dock for the
first time and opens the first file then. On a loaded machine the heartbeat's gaps include time
the GUI thread waited for a core; the largest CPU time the GUI thread spent in one event (its own
work, measured by thread_time around each event the application delivers) is printed beside them.
Targets (issue 15): listed <= 1.5 s, stalls <= 50 ms, peak memory <= 500 MB.
Timings on a shared machine are noisy: run it more than once.
Usage: python bench/dataset_gui.py [--files 10000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_folder(folder: Path, count: int) -> None:
    """`count` different 0.25 s WAVs (a tone whose pitch and level vary), some with defects."""
    import numpy as np
    import soundfile as sf

    folder.mkdir(parents=True, exist_ok=True)
    t = np.arange(4000) / 16000
    for i in range(count):
        x = (0.05 + 0.9 * (i % 97) / 97) * np.sin(2 * np.pi * (100 + i % 3000) * t)
        if i % 500 == 1:
            x = np.clip(x * 4, -1, 1)  # clipped
        if i % 700 == 2:
            x = x * 0  # silent
        sf.write(folder / f"clip_{i:05d}.wav", x.astype(np.float32), 16000, subtype="PCM_16")


class Heartbeat:
    """A 10 ms QTimer on the GUI thread; `gap()` is the largest interval since `reset()`."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.largest = 0.0
        self.beats: list[tuple[float, float]] = []  # (when the gap ended, the gap)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.largest = max(self.largest, now - self.last)
        self.beats.append((now, now - self.last))
        self.last = now

    def gap(self) -> float:
        return max(self.largest, time.perf_counter() - self.last)

    def gap_after(self, start: float) -> float:
        """The largest gap that began after `start`."""
        return max((g for t, g in self.beats if t - g >= start), default=0.0)


def mb(kb: int) -> float:
    return kb / 1024


def descendants_rss_kb() -> tuple[int, int]:
    """(sum, largest) resident KB of this process's descendants (the scan process and its
    workers are grandchildren: ru_maxrss of RUSAGE_CHILDREN does not see them), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    mine, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in mine} - mine
        grew = bool(more)
        mine |= more
    sizes = []
    for pid in mine - {os.getpid()}:
        try:
            with open(f"/proc/{pid}/status") as f:
                sizes += [int(line.split()[1]) for line in f if line.startswith("VmRSS:")]
        except OSError:
            pass
    return sum(sizes), max(sizes, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dataset-gui-", dir="/tmp") as tmp:
        tmp = Path(tmp)
        os.environ["AUDIO_EXPLORER_SETTINGS_DIR"] = str(tmp / "settings")
        os.environ["AUDIO_EXPLORER_CACHE_DIR"] = str(tmp / "cache")
        folder = tmp / "data"
        t0 = time.perf_counter()
        make_folder(folder, args.files)
        print(f"made {args.files} WAVs in {time.perf_counter() - t0:.1f} s")

        from PySide6.QtWidgets import QApplication

        class TimedApp(QApplication):
            """Keeps the GUI thread's CPU time of its longest event (outermost events only)."""

            depth, longest = 0, (0.0, "")

            def notify(self, receiver, event):  # noqa: N802
                TimedApp.depth += 1
                start = time.thread_time()
                try:
                    return super().notify(receiver, event)
                finally:
                    TimedApp.depth -= 1
                    spent = time.thread_time() - start
                    if TimedApp.depth == 0 and spent > TimedApp.longest[0]:
                        TimedApp.longest = (spent, f"{type(receiver).__name__} "
                                                   f"{event.type().name}")

        def longest_event() -> str:
            spent, what = TimedApp.longest
            TimedApp.longest = (0.0, "")
            return f"{spent * 1000:.0f} ms CPU ({what})"

        app = TimedApp(sys.argv)
        from explorer.ui.shell.main_window import MainWindow

        window = MainWindow(player=None)
        window.resize(1280, 800)
        window.show()
        view = window.dataset.view
        view.jobs = args.jobs
        beat = Heartbeat()
        for _ in range(20):
            app.processEvents()

        peak = {"sum": 0, "one": 0, "at": 0.0}

        def wait(condition, timeout: float = 600.0) -> None:
            end = time.perf_counter() + timeout
            while not condition():
                if time.perf_counter() > end:
                    raise TimeoutError("gave up waiting")
                app.processEvents()
                time.sleep(0.002)
                if time.perf_counter() >= peak["at"]:  # the scan's processes, twice a second
                    total, one = descendants_rss_kb()
                    peak.update(sum=max(peak["sum"], total), one=max(peak["one"], one),
                                at=time.perf_counter() + 0.5)

        def measured() -> int:
            return sum(r is not None for r in view.model.rows)

        beat.reset()
        longest_event()
        t0 = time.perf_counter()
        window.open_paths([str(folder)])
        wait(lambda: view.model.rowCount() == args.files
             and window.browser.model.rowCount() == args.files)
        listed = time.perf_counter() - t0
        listing_gap = beat.gap()
        listing_cpu = longest_event()
        beat.reset()
        settled = time.perf_counter() + 1.0  # the first paint of the dock and the first file
        wait(lambda: view.settled() and measured() == args.files)
        app.processEvents()
        filled = time.perf_counter() - t0
        scan_gap = beat.gap()
        steady_gap = beat.gap_after(settled)
        scan_cpu = longest_event()
        print(f"listed: {listed:.2f} s (target <= 1.5 s); largest heartbeat gap while listing "
              f"{listing_gap * 1000:.0f} ms; longest GUI event {listing_cpu}")
        print(f"filled in: {filled:.1f} s ({args.files / (filled - listed):.0f} files/s, "
              f"{view.scan.jobs} worker processes); largest heartbeat gap while filling in "
              f"{scan_gap * 1000:.0f} ms (a stall of {max(0.0, scan_gap - 0.01) * 1000:.0f} ms, "
              "target <= 50 ms); leaving out the first second after the listing (the dock's "
              f"first paint, the first file opened): {steady_gap * 1000:.0f} ms; longest GUI event "
              f"{scan_cpu}")
        print("summary:", view.summary.text())

        # the same folder again: from the scan cache
        window.dataset.view.set_folder([], None, scan=False)
        beat.reset()
        t0 = time.perf_counter()
        longest_event()
        window.dataset._folder_changed(folder)
        wait(lambda: view.settled() and measured() == args.files)
        print(f"again from the scan cache: {time.perf_counter() - t0:.2f} s; largest heartbeat "
              f"gap {beat.gap() * 1000:.0f} ms; longest GUI event {longest_event()}")
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak RSS: window {mb(self_kb):.0f} MB (target <= 500 MB); the scan's processes "
              f"(sampled twice a second): largest {mb(peak['one']):.0f} MB, all together "
              f"{mb(peak['sum']):.0f} MB")
        window.shutdown()


if __name__ == "__main__":
    main()
