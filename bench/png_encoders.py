"""Our PNG encoder against Pillow's at zlib level 1: the figures in explorer/model/images.py.

Run: .venv/bin/python bench/png_encoders.py (Pillow comes with `pip install -e .[test]`).
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
from PIL import Image

from explorer.model import SpectrogramParams, compute, images, load

SPEECH = Path(__file__).resolve().parent.parent / "resources" / "samples" / "speech_198-209-0000.wav"


def ours(pixels: np.ndarray) -> bytes:
    return images.encode_png(pixels, level=1)


def pillow(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG", compress_level=1)
    return out.getvalue()


def sample_images() -> list[tuple[str, np.ndarray, int]]:
    """A dataset export's 128-mel magma image, and a long 2048-point STFT in 16-bit grey."""
    clip = load(SPEECH)
    mel = compute(clip, SpectrogramParams(kind="mel", n_mels=128)).values
    lin = compute(clip, SpectrogramParams(n_fft=2048)).values
    mel = np.concatenate([mel] * (435 // mel.shape[1] + 1), axis=1)[:, :435]
    lin = np.concatenate([lin] * (2000 // lin.shape[1] + 1), axis=1)[:, :2000]
    return [("128x435 RGB", images.spectrogram_pixels(mel, "magma"), 200),
            ("1025x2000 grey16", images.spectrogram_pixels(lin, "gray", depth=16), 5)]


def main() -> None:
    for name, pixels, repeats in sample_images():
        for label, encode in (("ours", ours), ("Pillow", pillow)):
            encode(pixels)
            start = time.perf_counter()
            for _ in range(repeats):
                data = encode(pixels)
            ms = (time.perf_counter() - start) / repeats * 1000
            print(f"{name:18s} {label:7s} {ms:8.2f} ms {len(data):9d} bytes")
        same = np.array_equal(np.asarray(Image.open(io.BytesIO(ours(pixels)))), pixels)
        print(f"{name:18s} Pillow decodes ours to the same pixels: {same}")


if __name__ == "__main__":
    main()
