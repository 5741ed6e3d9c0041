"""PNG files decoded by Pillow, a reader independent of our own encoder (explorer.model.images)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image


def decode_png(path: str | Path | IO[bytes]) -> np.ndarray:
    """(h, w, 3) uint8 for RGB, (h, w) uint8 or uint16 for grey, as Pillow reads the file."""
    with Image.open(path) as image:
        assert image.format == "PNG", f"{path}: {image.format}"
        image.load()
        pixels = np.asarray(image)
    if image.mode in ("I;16", "I;16B"):
        return pixels.astype(np.uint16)
    if image.mode == "I":  # Pillow's 32-bit container for a 16-bit grey file
        assert pixels.max(initial=0) < 65536
        return pixels.astype(np.uint16)
    return pixels
