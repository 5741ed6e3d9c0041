"""Benchmark: `audio-explorer export` of a folder of short clips vs the notebook's loop, to PNG.

The dataset: N clips of 3.8 s at 16 kHz (PCM_16 WAV, like the notebook's folder of 138 clips),
cut from the bundled LibriSpeech recordings at varying offsets and gains.

The baseline is the loop a notebook user writes, run as a script in a fresh interpreter:
    y, sr = librosa.load(path, sr=None)                 # sr=None: no resampling, same input as ours
    S = np.abs(librosa.stft(y))
    M = librosa.feature.melspectrogram(S=S, sr=sr)
    D = librosa.amplitude_to_db(M, ref=np.min)
    plt.imsave(png, D, cmap="magma", origin="lower")
It needs matplotlib (not a dependency of the app: `.venv/bin/pip install matplotlib`); without it
the baseline saves with our own PNG writer instead and says so. Ours is the same pipeline:
`audio-explorer export DIR -o OUT --power 1 --db-ref min` (mel of the magnitude, dB re min).
Both are timed as whole commands (interpreter start and imports included), in the same run.

Usage: python bench/export_dataset.py [--clips 138 2000] [--keep DIR] [--repeat 3]
(about 3 minutes on 2 cores: the baseline on 2000 clips alone takes about a minute; ~250 MB of WAVs
in a temporary folder). On a loaded machine the ratios mean little: run it on a quiet one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
SR, SECONDS = 16000, 3.8

BASELINE = r"""
import sys, glob, os
import numpy as np, librosa
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    def save(path, D):
        plt.imsave(path, D, cmap="magma", origin="lower")
except ImportError:
    from explorer.model import images
    def save(path, D):
        images.write_png(path, images.spectrogram_pixels(D, "magma"))
src, out = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(src, "*.wav"))):
    y, sr = librosa.load(path, sr=None)
    S = np.abs(librosa.stft(y))
    M = librosa.feature.melspectrogram(S=S, sr=sr)
    D = librosa.amplitude_to_db(M, ref=np.min)
    save(os.path.join(out, os.path.basename(path)[:-4] + ".png"), D)
"""


def make_clips(folder: Path, count: int) -> None:
    """count clips of 3.8 s at 16 kHz cut from the bundled speech at varying offsets and gains."""
    speech = [sf.read(p, dtype="float32")[0] for p in sorted(SAMPLES.glob("speech_*.wav"))]
    n = int(SR * SECONDS)
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        y = speech[i % len(speech)]
        start = int(rng.integers(0, len(y) - n))
        clip = y[start:start + n] * rng.uniform(0.3, 1.0)
        sf.write(folder / f"clip_{i:04d}.wav", clip, SR, subtype="PCM_16")


REPEAT = 1


RUNS = iter(range(1_000_000))


def timed(cmd: list[str], out: Path) -> float:
    """Best wall time of REPEAT runs, each into a new empty output folder (`out` is the last).

    Never one just emptied: ext4 then spends seconds of kernel time per 2000 new files steering
    clear of the recently deleted inodes (measured: 1.5 s of sys time instead of 0.25 s), and
    more so with two processes creating files at once; the folders go at the end of the run."""
    best = float("inf")
    for _ in range(REPEAT):
        if out.exists():
            out.rename(out.with_name(f".old-{os.getpid()}-{next(RUNS)}-{out.name}"))
        out.mkdir(parents=True)
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    return best


def ours(src: Path, out: Path, jobs: int | None = None) -> float:
    cmd = [sys.executable, "-m", "explorer", "export", str(src), "-o", str(out),
           "--power", "1", "--db-ref", "min"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return timed(cmd, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, nargs="+", default=[138, 2000])
    parser.add_argument("--keep", type=Path, default=None, help="build the datasets here and keep them")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs of each command")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    try:
        import matplotlib  # noqa: F401
        saver = "matplotlib imsave"
    except ImportError:
        saver = "our PNG writer (matplotlib is not installed)"
    tmp = Path(tempfile.mkdtemp(prefix="export-bench-")) if args.keep is None else args.keep
    targets = {138: 0.5, 2000: 0.3}
    try:
        for count in args.clips:
            src = tmp / f"clips{count}"
            if not src.is_dir():
                make_clips(src, count)
            base_out = tmp / f"baseline{count}"
            base = timed([sys.executable, "-c", BASELINE, str(src), str(base_out)], base_out)
            ours_all = ours(src, tmp / f"ours{count}")
            ratio = ours_all / base
            target = targets.get(count)
            verdict = ""
            if target is not None:
                verdict = f"  (target <= {target}x: {'ok' if ratio <= target else 'MISSED'})"
            print(f"{count} clips of {SECONDS} s at {SR} Hz -> PNG")
            print(f"  notebook loop ({saver}): {base:7.2f} s  ({1000 * base / count:.1f} ms/file)")
            print(f"  audio-explorer export, all cores: {ours_all:7.2f} s  "
                  f"({1000 * ours_all / count:.1f} ms/file)  ratio {ratio:.3f}{verdict}")
            if count == max(args.clips):
                one = ours(src, tmp / f"ours{count}-j1", jobs=1)
                two = ours(src, tmp / f"ours{count}-j2", jobs=2)
                print(f"  --jobs 1: {one:7.2f} s   --jobs 2: {two:7.2f} s   speed-up {one / two:.2f}x"
                      f"  (target >= 1.6x: {'ok' if one / two >= 1.6 else 'MISSED'})")
            if saver.startswith("matplotlib"):
                import matplotlib.image as mpimg

                from explorer.model import images

                name = "clip_0000.png"
                a = images.read_png(tmp / f"ours{count}" / name).astype(int)
                b = np.round(mpimg.imread(base_out / name)[..., :3] * 255).astype(int)
                print(f"  same picture as matplotlib's: shape {a.shape[:2]} vs {b.shape[:2]}, "
                      f"max channel difference {np.max(np.abs(a - b))}/255")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:  # the outputs of earlier repeats
            for old in tmp.glob(".old-*"):
                shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
