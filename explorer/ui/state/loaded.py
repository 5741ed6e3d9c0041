"""What a load job hands the window: its own module, so that the session (which runs the jobs)
and the long-file path (which makes one from a header) both import it and not each other."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.model import AudioClip
from explorer.model.overview import Overview, OverviewBuilder


@dataclass
class Loaded:
    """What a load job hands back: the decoded clip, maybe its resampled twin, and summaries."""

    original: AudioClip
    clip: AudioClip
    overview: Overview
    decode_seconds: float
    resample_seconds: float = 0.0
    #: the info panel's text, prepared in the worker (peak, RMS and the mono mix are O(n))
    summary: dict | None = None
    #: a long file (explorer.ui.state.long_file): `clip` is a LongClip, no sample array is held
    long: bool = False
    #: a long file's summaries still being read: `overview` is the latest snapshot of it
    builder: OverviewBuilder | None = None
