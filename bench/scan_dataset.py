"""Benchmark of `audio-explorer scan` against a plain loop, in the same run (issue 15's figures).

Makes 2,000 clips of 3.8 s at 16 kHz in a temporary folder, then times:
- the baseline: a plain Python loop in one process (soundfile read, the same numpy statistics
  written plainly, pyloudnorm's Meter per file; and, since issue 18, the map's feature vector:
  each librosa feature straight from the signal; `--no-vectors` leaves it out);
- `scan_dataset(jobs=1)` (targets <= 0.5x the baseline), `jobs=2` (>= 1.6x faster than jobs=1),
  the three interleaved over `--rounds` halves of the files (a load change on a shared machine
  then hits all three alike), and a second scan of the whole unchanged folder from the cache
  (<= 0.5 s).

    .venv/bin/python bench/scan_dataset.py [--files 2000] [--seconds 3.8] [--rate 16000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_clips(folder: Path, count: int, seconds: float, rate: int) -> list[Path]:
    """Speech-like noise bursts with pauses, 16-bit WAV (a LibriSpeech-sized dataset)."""
    rng = np.random.default_rng(15)
    n = int(seconds * rate)
    envelope = (np.sin(np.linspace(0, 12 * np.pi, n)) > -0.3).astype(np.float32)
    paths = []
    for i in range(count):
        x = (0.1 * rng.standard_normal(n)).astype(np.float32) * envelope
        path = folder / f"clip{i:05d}.wav"
        sf.write(path, x, rate, subtype="PCM_16")
        paths.append(path)
    return paths


def baseline_one(path: Path) -> dict:
    """The plain per-file loop body the issue names: soundfile, numpy, pyloudnorm."""
    import pyloudnorm

    data, rate = sf.read(path, always_2d=True)
    mono = data.mean(axis=1)
    peak = np.max(np.abs(data))
    rms = np.sqrt(np.mean(data ** 2))
    hot = np.abs(data) >= 0.999
    clipped = 0
    for ch in range(data.shape[1]):
        edges = np.diff(np.concatenate(([0], hot[:, ch].astype(int), [0])))
        runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
        clipped += runs[runs >= 3].sum()
    size = int(round(0.05 * rate))
    frames = [mono[i:i + size] for i in range(0, len(mono), size)]
    silence = np.mean([np.sqrt(np.mean(f ** 2)) < 1e-3 for f in frames])
    window = np.hanning(2049)[:-1]
    count = len(mono) // 2048
    spec = np.mean(np.abs(np.fft.rfft(mono[:count * 2048].reshape(count, 2048) * window)) ** 2, axis=0)
    band = np.flatnonzero(spec >= spec.max() * 1e-7)[-1] * rate / 2048
    loudness = pyloudnorm.Meter(rate).integrated_loudness(data)
    digest = hashlib.sha256(data.astype(np.float32).tobytes()).hexdigest()
    vector = baseline_vector(mono.astype(np.float32), rate) if WITH_VECTORS else None
    return {"vector": vector, "peak": 20 * np.log10(peak), "rms": 20 * np.log10(rms), "dc": data.mean(),
            "clipped": clipped / data.size, "silence": silence, "band": band, "lufs": loudness,
            "hash": digest}


#: The baseline computes the map's feature vector too (the scan does since issue 18): the same
#: statistics written plainly, each librosa feature from the signal (its own STFT), as a plain
#: loop would; `--no-vectors` times the loop of issue 15 alone.
WITH_VECTORS = True


def baseline_vector(y: np.ndarray, rate: int) -> np.ndarray:
    """Mean and spread of MFCCs and spectral features, each straight from librosa."""
    import librosa

    n_fft = 2 * int(round(0.032 * rate / 2))
    k = {"n_fft": n_fft, "hop_length": n_fft}
    feats = [librosa.feature.mfcc(y=y, sr=rate, n_mfcc=13, n_mels=40, fmax=8000, **k),
             librosa.feature.spectral_centroid(y=y, sr=rate, **k),
             librosa.feature.spectral_bandwidth(y=y, sr=rate, **k),
             librosa.feature.spectral_rolloff(y=y, sr=rate, **k),
             librosa.feature.spectral_flatness(y=y, **k),
             librosa.feature.zero_crossing_rate(y, frame_length=n_fft, hop_length=n_fft),
             librosa.feature.rms(y=y, frame_length=n_fft, hop_length=n_fft)]
    frames = np.vstack([f[:, :feats[0].shape[1]] for f in feats])
    return np.concatenate([frames.mean(axis=1), frames.std(axis=1)])


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<32} {seconds:8.2f} s", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=3.8)
    parser.add_argument("--rate", type=int, default=16000)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of the three runs")
    parser.add_argument("--no-vectors", action="store_true",
                        help="the baseline leaves out the map's feature vectors (issue 15's loop)")
    args = parser.parse_args()
    global WITH_VECTORS
    WITH_VECTORS = not args.no_vectors
    from explorer.model import scan
    from explorer.runner import SINGLE_THREAD_START_METHOD

    def scan_dataset(*a, **k):  # as `audio-explorer scan` runs it: workers forked from this process
        return scan.scan_dataset(*a, start_method=SINGLE_THREAD_START_METHOD, **k)

    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        tmp = Path(tmp)
        os.environ["AUDIO_EXPLORER_CACHE_DIR"] = str(tmp / "cache")
        data = tmp / "data"
        data.mkdir()
        paths = make_clips(data, args.files, args.seconds, args.rate)
        print(f"{args.files} clips of {args.seconds} s at {args.rate} Hz, {os.cpu_count()} cores, "
              f"baseline {'with' if WITH_VECTORS else 'without'} feature vectors")
        # interleaved in rounds: a load change on a shared machine hits all three alike
        base = one = two = 0.0
        size = -(-len(paths) // args.rounds)
        for start in range(0, len(paths), size):
            part = paths[start:start + size]
            base += timed(f"baseline (plain loop), {len(part)}",
                          lambda part=part: [baseline_one(p) for p in part])
            one += timed(f"scan --jobs 1, {len(part)}",
                         lambda part=part: scan_dataset(part, root=data, jobs=1, cache=False))
            two += timed(f"scan --jobs 2, {len(part)}",
                         lambda part=part: scan_dataset(part, root=data, jobs=2, cache=False))
        print(f"totals: baseline {base:.2f} s, jobs 1 {one:.2f} s, jobs 2 {two:.2f} s")
        timed("scan (filling the cache)", lambda: scan_dataset(paths, root=data, jobs=2, cache=True))
        cached = timed("scan again (from the cache)",
                       lambda: scan_dataset(paths, root=data, jobs=2, cache=True))
        print(f"jobs 1 / baseline: {one / base:.2f}x (target <= 0.5)")
        print(f"jobs 1 / jobs 2:   {one / two:.2f}x faster (target >= 1.6)")
        print(f"cached rescan:     {cached:.2f} s (target <= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
