"""Benchmark: opening a long WAV in the window (a script printing figures, not a timed test).

Generates a 16-bit mono WAV (bench/long_spectrogram.py's `make_long_wav`), opens it in a
MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) and prints:
- waveform overview visible: seconds from open_paths() to the waveform drawing the summaries;
- spectrogram overview complete: seconds until every whole-file overview tile is drawn;
- the largest gap of a 10 ms heartbeat QTimer on the GUI thread during open and zooms;
- zoom-ins to a few places (2 s wide, step-1 tiles): seconds until their tiles are drawn;
- peak RSS of this process (ru_maxrss) and the size of the summaries.
Targets (one hour at 44.1 kHz): <= 1 s, <= 2 s, <= 50 ms, <= 1 GB.
Timings on a shared machine are noisy: run it more than once.
Usage: python bench/long_gui.py [--minutes 60] [--sr 44100] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--sr", type=int, default=44100)
    parser.add_argument("--file", type=Path, help="use this WAV instead of generating one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AUDIO_EXPLORER_SETTINGS_DIR"] = str(Path(tmp) / "settings")
        wav = args.file
        if wav is None:
            from long_spectrogram import make_long_wav

            wav = Path(tmp) / "long.wav"
            t0 = time.perf_counter()
            make_long_wav(wav, args.minutes, args.sr)
            print(f"generated {wav.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
        run(wav)


def run(wav: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401  (the PySide6 work-around)

    app = QApplication.instance() or QApplication([])
    from explorer.model import info
    from explorer.ui.main_window import MainWindow

    facts = info(wav)
    print(f"input: {facts.duration / 60:.1f} min at {facts.sample_rate} Hz, {facts.channels} ch, "
          f"{facts.subtype} ({wav.stat().st_size / 1e6:.0f} MB)")
    window = MainWindow(player=None)
    window.resize(1280, 800)
    window.show()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    beat = QTimer(interval=10)
    beat.timeout.connect(tick)

    def spin(until, timeout: float) -> float | None:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            app.processEvents()
            if until():
                return time.perf_counter() - start
            time.sleep(0.001)
        return None

    spin(lambda: False, 1.0)  # let the window settle (layout, first paint)
    # baselines in the same run: the heartbeat idle, and opening a short sample (exact path)
    beat.start()
    last[0] = time.perf_counter()
    spin(lambda: False, 1.5)
    idle_gap = max(gaps)
    gaps.clear()
    from explorer.resources import samples_dir

    short = sorted(samples_dir().glob("*.wav"))[0]
    window.open_paths([str(short)])
    spin(lambda: window.session.spectrogram is not None and not window.jobs.active(), 30)
    spin(lambda: False, 0.3)
    short_gap = max(gaps)
    print(f"baseline heartbeat gap: idle {idle_gap * 1000:.0f} ms, opening {short.name} "
          f"(short, whole-array path) {short_gap * 1000:.0f} ms")
    gaps.clear()
    rss_before = rss_mb()
    last[0] = time.perf_counter()
    t_open = time.perf_counter()
    window.open_paths([str(wav)])
    spec = window.spectrogram
    t_wave = spin(lambda: window.session.loaded is not None and window.session.loaded.long
                  and window.waveform.overview is window.session.loaded.overview, 60)
    t_spec = spin(spec.overview_complete, 60)
    t_spec = None if t_spec is None else time.perf_counter() - t_open
    open_gap = max(gaps) if gaps else 0.0
    print(f"waveform overview visible     {t_wave:6.2f} s   (target <= 1 s)" if t_wave is not None
          else "waveform overview: not shown in 60 s")
    print(f"spectrogram overview complete {t_spec:6.2f} s   (target <= 2 s; "
          f"{spec._ov.shape[1]} columns, one every {spec.overview_step} hops)" if t_spec is not None
          else "spectrogram overview: not complete in 60 s")
    print(f"max GUI heartbeat gap while opening {open_gap * 1000:5.0f} ms (target <= 50 ms)")
    loaded = window.session.loaded
    print(f"summaries {loaded.overview.nbytes / 1e6:.1f} MB; session holds no sample array: "
          f"{loaded.long}")

    source = window.session.spectrogram.source
    duration = facts.duration
    zooms = []
    gaps.clear()
    for frac in (0.13, 0.5, 0.87, 0.5001):
        a = duration * frac
        window.waveform.viewbox.setXRange(a, a + 2.0, padding=0)

        def drawn(a=a):
            if spec.long_step != 1:
                return False
            keys = [source.key(1, i) for i in source.tiles_for(a, a + 2.0, 1)]
            return all(k in spec.tiles.cache for k in keys) and not spec._draw_timer.isActive()

        zooms.append(spin(drawn, 30))
        spin(lambda: False, 0.2)
    window.waveform.viewbox.setXRange(duration * 0.4, duration * 0.6, padding=0)
    t_mid = spin(lambda: 1 < spec.long_step < spec.overview_step and not spec.tiles.pending()
                 and not spec._draw_timer.isActive() and not spec._long_timer.isActive(), 30)
    window.waveform.viewbox.setXRange(0, duration, padding=0)
    spin(lambda: False, 0.5)
    beat.stop()
    print("zoom to 2 s (step-1 tiles drawn): " + ", ".join(
        f"{z * 1000:.0f} ms" if z is not None else "timeout" for z in zooms)
        + " (last one: cached)")
    print(f"zoom to the middle 20 % (step {spec.long_step}): "
          f"{t_mid * 1000:.0f} ms" if t_mid is not None else "middle zoom: timeout")
    print(f"max GUI heartbeat gap while zooming {max(gaps) * 1000:5.0f} ms (target <= 50 ms)")
    print(f"tile cache {spec.tiles.cache.nbytes / 1e6:.0f} MB in {len(spec.tiles.cache)} tiles "
          f"(budget {spec.tiles.cache.budget / 1e6:.0f} MB)")
    print(f"peak RSS {rss_mb():.0f} MB (before opening {rss_before:.0f} MB; target <= 1024 MB)")
    window.shutdown()
    spec.tiles.wait(5000)


if __name__ == "__main__":
    main()
