"""A synthetic dataset with one known defect per file, and the flags each file must get.

Used by tests/model/test_measure.py, test_scan.py and tests/cli/test_scan_cli.py (and open to the
window's tests): 16 kHz mono white noise of about 2 s is "normal"; each other file breaks one rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000

#: file name -> the flags it must have (and no other)
EXPECTED_FLAGS: dict[str, set[str]] = {
    "n1.wav": set(), "n2.wav": set(), "n3.wav": set(), "n4.wav": set(), "n5.wav": set(),
    "n6.wav": set(),
    "clipped.wav": {"clipped"},
    "silence.wav": {"silent"},
    "mostly_silent.wav": {"mostly_silent"},
    "dc.wav": {"dc_offset"},
    "phone_at_44k.wav": {"upsampled", "rate_differs"},
    "other_rate.wav": {"rate_differs"},
    "stereo.wav": {"channels_differ"},
    "nan.wav": {"nan_values"},
    "cut.wav": {"header_lies"},
    "long.wav": {"duration_outlier"},
    "z_copy.wav": {"duplicate"},
    "z_copy.flac": {"duplicate"},
    "broken.wav": {"unreadable"},
}


def noise(seconds: float, rate: int = RATE, seed: int = 0, channels: int = 1) -> np.ndarray:
    """White noise plus a resonance whose pitch depends on the seed: files of other seeds sound
    different, so none is a near-duplicate of another; still full band (within 70 dB)."""
    from scipy.signal import iirpeak, lfilter

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((int(round(seconds * rate)), channels))
    b, a = iirpeak(min(150.0 * 1.2 ** (seed % 19), 0.4 * rate), 8.0, fs=rate)
    y = 0.5 * x + 2.0 * lfilter(b, a, x, axis=0)
    return (0.1 * y / max(float(np.std(y)), 1e-9)).astype(np.float32)  # RMS 0.1 (-20 dBFS)


def seconds_of(name: str) -> float:
    """Durations spread over 1.8-2.25 s, so only long.wav is beyond the quartiles' fences."""
    return round(1.8 + 0.025 * list(EXPECTED_FLAGS).index(name), 3)


def write_defects(folder: Path) -> dict[str, Path]:
    """Write every file of EXPECTED_FLAGS into folder; name -> path."""
    import librosa

    folder.mkdir(parents=True, exist_ok=True)
    p = {name: folder / name for name in EXPECTED_FLAGS}
    d = {name: seconds_of(name) for name in EXPECTED_FLAGS}
    for i in range(1, 7):
        sf.write(p[f"n{i}.wav"], noise(d[f"n{i}.wav"], seed=i), RATE, subtype="PCM_16")
    sf.write(p["clipped.wav"], np.clip(noise(d["clipped.wav"], seed=10) * 20, -1, 1), RATE, subtype="PCM_16")
    silence = np.zeros((int(d["silence.wav"] * RATE), 1), np.float32)
    sf.write(p["silence.wav"], silence, RATE, subtype="PCM_16")
    mostly = np.zeros((int(d["mostly_silent.wav"] * RATE), 1), np.float32)
    mostly[:int(0.6 * RATE)] = noise(0.6, seed=11)
    sf.write(p["mostly_silent.wav"], mostly, RATE, subtype="PCM_16")
    sf.write(p["dc.wav"], noise(d["dc.wav"], seed=12) + 0.05, RATE, subtype="PCM_16")
    phone = noise(d["phone_at_44k.wav"], 8000, seed=13)[:, 0]
    sf.write(p["phone_at_44k.wav"], librosa.resample(phone, orig_sr=8000, target_sr=44100,
                                                     res_type="soxr_hq"), 44100, subtype="PCM_16")
    sf.write(p["other_rate.wav"], noise(d["other_rate.wav"], 22050, seed=14), 22050, subtype="PCM_16")
    sf.write(p["stereo.wav"], noise(d["stereo.wav"], seed=15, channels=2), RATE, subtype="PCM_16")
    bad = noise(d["nan.wav"], seed=16)
    bad[100], bad[5000], bad[12345] = np.nan, np.inf, -np.inf
    sf.write(p["nan.wav"], bad, RATE, subtype="FLOAT")
    full = folder / "full.tmp"
    sf.write(full, noise(d["cut.wav"] + 0.1, seed=17), RATE, subtype="PCM_16", format="WAV")
    p["cut.wav"].write_bytes(full.read_bytes()[:44 + 2 * int(d["cut.wav"] * RATE)])  # header: 0.1 s more
    full.unlink()
    sf.write(p["long.wav"], noise(20.0, seed=18), RATE, subtype="PCM_16")
    shutil.copyfile(p["n3.wav"], p["z_copy.wav"])
    data, _ = sf.read(p["n3.wav"], dtype="int16")
    sf.write(p["z_copy.flac"], data, RATE, subtype="PCM_16")
    p["broken.wav"].write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(range(200)))
    return p
