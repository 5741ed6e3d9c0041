"""Live view benchmark: display rate, latency, CPU and xruns while a tone sequence plays.

Run under a real X server (Xvfb) to include painting:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python bench/live_view.py [seconds]

The Player plays looping tones into a private PulseAudio null sink (tests/soundcard.py); the live
view records the sink's monitor as its input (PortAudio "pulse" device, PULSE_SOURCE = monitor),
48 kHz, n_fft 2048, hop 512. Printed:
- display updates per second (frames that painted new columns, and all paints);
- latency from the input callback's write to the paint of the column holding that block's last
  sample (median, 95th percentile);
- CPU of the whole process (user + system time / wall time, % of one core);
- input overflows, player underflows, ring overruns.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def thread_cpu() -> dict[str, float]:
    """CPU seconds per thread name (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def main(seconds: float = 60.0, png: str | None = None, spectrum: bool = True) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.soundcard import setup

    card = setup()
    app = QApplication.instance() or QApplication(sys.argv)
    from explorer.audio import Player
    from explorer.audio.live import SourceSpec
    from explorer.model import SpectrogramParams, make_tone
    from explorer.ui.live.view import LiveView

    player = Player()
    view = LiveView(player=player)
    view.set_params(SpectrogramParams(n_fft=2048, hop_length=512))
    view.spectrum_check.setChecked(spectrum)
    view.resize(1200, 600)
    view.show()
    spec = SourceSpec("input", f"monitor {card.monitor}", "pulse", card.monitor)
    view.select_source(spec)
    t = np.arange(48000 * 2) / 48000
    chirp = (0.2 * np.sin(2 * np.pi * (200 * t + 8000 * t**2 / 4))).astype(np.float32)
    tones = np.concatenate([make_tone(f, 0.5, 48000, 0.3) for f in (440, 1000, 2000, 3000, 5000)]
                           + [chirp])
    player.play(tones, 48000, loop=True)

    def run(duration: float) -> None:  # the real event loop (a polling loop would cost CPU)
        QTimer.singleShot(int(duration * 1000), lambda: app.exit(0))  # quit() closes windows
        app.exec()

    run(3.0)  # warm-up: stream start, first paints
    if view.input.state != "running":
        print(f"input not running: {view.input.state} {view.input.message!r} {view.isVisible()}")
        return 1
    view.latencies.clear()
    frames0, paints0, xruns0 = view.frames, view.image.paints, view.input.xruns
    under0 = player.underflows
    threads0 = thread_cpu()
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    run(seconds)
    wall = time.monotonic() - wall0
    cpu = cpu_seconds() - cpu0
    frames = view.frames - frames0
    paints = view.image.paints - paints0
    lat = np.asarray(view.latencies) * 1000
    print(f"platform {os.environ.get('QT_QPA_PLATFORM', 'default')} / "
          f"{app.platformName()}, load avg {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    print(f"duration {wall:.1f} s, source {view.input.message}")
    print(f"display updates with new columns: {frames / wall:.1f}/s; paints {paints / wall:.1f}/s")
    if lat.size:
        print(f"latency callback->painted column: median {np.median(lat):.1f} ms, "
              f"p95 {np.percentile(lat, 95):.1f} ms, max {lat.max():.1f} ms ({lat.size} samples)")
    print(f"CPU (whole process): {100 * cpu / wall:.1f} % of one core")
    threads = thread_cpu()
    parts = sorted(((threads[k] - threads0.get(k, 0.0)) / wall * 100, k) for k in threads)
    print("  by thread: " + ", ".join(f"{k} {v:.1f} %" for v, k in reversed(parts) if v >= 0.5))
    print(f"xruns: input overflows {view.input.input_overflows}, player underflows "
          f"{player.underflows - under0}, ring overruns {view.input.overruns} "
          f"(total live xruns {view.input.xruns - xruns0})")
    if png:
        view.grab().save(png)
        print(f"screenshot: {png}")
    view.shutdown()
    player.stop()
    card.close()
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=60.0)
    parser.add_argument("--png", help="save a screenshot of the view at the end")
    parser.add_argument("--no-spectrum", action="store_true", help="hide the spectrum curve")
    args = parser.parse_args()
    raise SystemExit(main(args.seconds, args.png, not args.no_spectrum))
