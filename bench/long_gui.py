"""Benchmark: opening a long file in the window (a script printing figures, not a timed test).

Generates a 16-bit mono WAV (bench/long_spectrogram.py's `make_long_wav`; `--flac` transcodes it
to FLAC), opens it in a MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) and prints,
in seconds from open_paths():
- file shown: the window shows the file from its header (time axis, duration, facts);
- first partial waveform visible: the waveform draws the first summaries read;
- waveform complete: every summary is read and drawn (what the window showed at once before);
- spectrogram overview complete: every whole-file overview tile is drawn;
then the largest gap of a 10 ms heartbeat QTimer on the GUI thread while opening (a zoom in and
out while the summaries are read included) and during zooms; zoom-ins to a few places (2 s
wide, step-1 tiles): seconds until their tiles are drawn; peak RSS of this process (ru_maxrss)
and the size of the summaries.
Targets (one hour at 44.1 kHz): first waveform <= 1 s, complete <= 2 s (ten hours: first
waveform <= 1 s, memory the summaries), heartbeat gap <= 50 ms, RSS <= 1 GB.
Timings on a shared machine are noisy: run it more than once.
Usage: python bench/long_gui.py [--minutes 60] [--sr 44100] [--flac] [--file PATH]
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

from gui_beat import Heartbeat  # noqa: E402  (bench/, beside this script)
from gui_beat import spin as spin_until  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wave_drawn(wave) -> bool:
    """The waveform's curve holds what its overview has now (no redraw pending)."""
    curve = wave.curves[0] if wave.curves else None
    return (curve is not None and curve.xData is not None and len(curve.xData) > 0
            and not wave._redraw_timer.isActive())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--sr", type=int, default=44100)
    parser.add_argument("--flac", action="store_true", help="generate a FLAC instead of a WAV")
    parser.add_argument("--file", type=Path, help="use this audio file instead of generating one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AUDIO_EXPLORER_SETTINGS_DIR"] = str(Path(tmp) / "settings")
        wav = args.file
        if wav is None:
            from long_spectrogram import make_long_wav

            wav = Path(tmp) / "long.wav"
            t0 = time.perf_counter()
            make_long_wav(wav, args.minutes, args.sr)
            if args.flac:
                wav = to_flac(wav)
            print(f"generated {wav.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
        run(wav)


def to_flac(wav: Path) -> Path:
    """The same samples as FLAC (PCM_16), written block by block; the WAV is removed."""
    import soundfile as sf

    flac = wav.with_suffix(".flac")
    with sf.SoundFile(str(wav)) as src, sf.SoundFile(str(flac), "w", src.samplerate,
                                                     src.channels, "PCM_16", format="FLAC") as dst:
        for block in src.blocks(1 << 20, dtype="int16"):
            dst.write(block)
    wav.unlink()
    return flac


def run(wav: Path) -> None:
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401  (the PySide6 work-around)

    app = QApplication.instance() or QApplication([])
    from explorer.model import info
    from explorer.ui.shell.main_window import MainWindow

    facts = info(wav)
    print(f"input: {facts.duration / 60:.1f} min at {facts.sample_rate} Hz, {facts.channels} ch, "
          f"{facts.subtype} ({wav.stat().st_size / 1e6:.0f} MB)")
    window = MainWindow(player=None)
    window.resize(1280, 800)
    window.show()
    beat = Heartbeat()
    gaps = beat.gaps

    def spin(until, timeout: float) -> float | None:
        return spin_until(app, until, timeout, step=0.001)

    spin(lambda: False, 1.0)  # let the window settle (layout, first paint)
    # baselines in the same run: the heartbeat idle, and opening a short sample (exact path)
    beat.start()
    beat.mark()
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
    spec, wave = window.spectrogram, window.waveform

    def shown() -> bool:  # the long file is the one shown (not the short one before it)
        loaded = window.session.loaded
        return (loaded is not None and loaded.long and wave.overview is not None
                and wave.overview.frames == facts.frames)

    marks = {
        "file shown (header: time axis, facts)": lambda: (
            shown() and abs(wave.duration - facts.duration) < 1e-6),
        "first partial waveform visible": lambda: (
            shown() and wave.overview.frames_done > 0 and wave_drawn(wave)),
        "waveform complete": lambda: shown() and wave.overview.complete and wave_drawn(wave),
        "spectrogram overview complete": lambda: (
            shown() and window.session.spectrogram is not None and spec.overview_complete()),
    }
    times: dict[str, float] = {}
    zoomed = []

    def opened() -> bool:
        now = time.perf_counter() - t_open
        for name, reached in marks.items():
            if name not in times and reached():
                times[name] = now
        building = "first partial waveform visible" in times and "waveform complete" not in times
        if building and not zoomed:  # zoom in (within what is read) and back out meanwhile
            zoomed.append(now)
            wave.viewbox.setXRange(0, min(60.0, facts.duration), padding=0)
        elif building and len(zoomed) == 1 and now - zoomed[0] > 0.3:
            zoomed.append(now)
            wave.viewbox.setXRange(0, facts.duration, padding=0)
        return len(times) == len(marks)

    beat.mark()
    t_open = time.perf_counter()
    window.open_paths([str(wav)])
    spin(opened, 300)
    if len(zoomed) == 1:
        wave.viewbox.setXRange(0, facts.duration, padding=0)
    spin(lambda: wave_drawn(wave) and not spec._draw_timer.isActive(), 5)
    open_gap = max(gaps) if gaps else 0.0
    for name in marks:
        print(f"{name:38s} {times[name]:6.2f} s" if name in times else f"{name}: not in 300 s")
    print(f"  (spectrogram overview: {spec._ov.shape[1]} columns, one every {spec.overview_step} "
          f"hops; zoomed in and out while the summaries were read: {len(zoomed) == 2})")
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
