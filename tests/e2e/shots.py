"""What the screenshot scripts share (run in a real window on an X display)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def settle(app, seconds: float) -> None:
    """Turn the event loop for `seconds` (layouts, paints and jobs finish)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def photograph(path: Path) -> None:
    """The whole display, with ImageMagick's `import`."""
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=60)
