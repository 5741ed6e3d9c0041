"""Benchmark: mel dB spectrogram of a long WAV to .npy — ours (block-wise) vs the notebook's pipeline.

Prints wall time and peak memory (max RSS of a child process) of each, and the ratios, all
measured in the same run; also `sox FILE -n spectrogram` when sox is installed.
Usage: python bench/long_spectrogram.py [--minutes 60] [--sr 44100]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

NOTEBOOK = """
import sys, numpy as np, librosa
y, sr = librosa.load(sys.argv[1], sr=None)
S = np.abs(librosa.stft(y))
M = librosa.feature.melspectrogram(S=S, sr=sr)
D = librosa.amplitude_to_db(M, ref=np.min)
np.save(sys.argv[2], D)
"""


def make_long_wav(path: Path, minutes: float, sr: int) -> None:
    """Speech-like noise with tones, written in blocks so the generator itself stays small."""
    rng = np.random.default_rng(0)
    block = sr * 10
    with sf.SoundFile(path, "w", sr, 1, "PCM_16") as f:
        for start in range(0, int(minutes * 60 * sr), block):
            t = (start + np.arange(block)) / sr
            x = 0.2 * np.sin(2 * np.pi * (300 + 200 * np.sin(t / 7)) * t) + 0.05 * rng.standard_normal(block)
            f.write(x.astype(np.float32))


#: Runs a command as a child and prints its wall time and peak RSS (MB): one process per measure.
PROBE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--sr", type=int, default=44100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wav = tmp / "long.wav"
        make_long_wav(wav, args.minutes, args.sr)
        print(f"input: {args.minutes:g} min at {args.sr} Hz mono PCM_16 ({wav.stat().st_size / 1e6:.0f} MB)")
        # warm both (numba JIT caches, page cache) on a short file so only the work is timed
        short = tmp / "short.wav"
        make_long_wav(short, 0.1, args.sr)
        subprocess.run([sys.executable, "-c", NOTEBOOK, short, tmp / "w.npy"], check=True)
        subprocess.run([sys.executable, "-m", "explorer", "spectrogram", short, "--kind", "mel",
                        "-o", tmp / "w2.npy"], check=True, stdout=subprocess.DEVNULL)
        results = {}
        for name, cmd in {
            "notebook": [sys.executable, "-c", NOTEBOOK, str(wav), str(tmp / "nb.npy")],
            "audio-explorer": [sys.executable, "-m", "explorer", "spectrogram", str(wav),
                               "--kind", "mel", "--power", "1", "--db-ref", "min", "-o", str(tmp / "ae.npy")],
        }.items():
            probe = [sys.executable, "-c", PROBE, *cmd]
            out = subprocess.run(probe, check=True, capture_output=True, text=True).stdout.split()
            results[name] = (float(out[0]), float(out[1]))
            print(f"{name:15s} {results[name][0]:7.2f} s   peak {results[name][1]:7.0f} MB")
        if shutil.which("sox"):
            t0 = time.perf_counter()
            subprocess.run(["sox", str(wav), "-n", "spectrogram", "-o", str(tmp / "sox.png")], check=True)
            print(f"{'sox spectrogram':15s} {time.perf_counter() - t0:7.2f} s")
        ours, nb = np.load(tmp / "ae.npy"), np.load(tmp / "nb.npy")
        print(f"arrays: shape {ours.shape}, max |difference| {np.max(np.abs(ours - nb)):.2e} dB")
        t_ratio = results["audio-explorer"][0] / results["notebook"][0]
        m_ratio = results["audio-explorer"][1] / results["notebook"][1]
        print(f"ratio time {t_ratio:.2f}x (target <= 0.5x), memory {m_ratio:.2f}x "
              f"({results['audio-explorer'][1] / 1024:.2f} GB, target <= 1.5 GB)")


if __name__ == "__main__":
    main()
