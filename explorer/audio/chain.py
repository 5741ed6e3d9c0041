"""What one output stream plays: a program, a chain of buffers the audio callback walks.

All decisions (device, stream rate, channel layout, software rate conversion) are made before a
buffer is linked; the callback only copies from it. `Player.queue_next` links another buffer after
the last one, and the callback moves on to it by one reference swap, so chained buffers play
sample-continuously on the same stream (how long files play window after window).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explorer.audio.conversion import Converter


@dataclass(eq=False)
class Segment:
    """One buffer of a program's chain; never changed once linked, except `next` (set once)."""

    buffer: np.ndarray  # float32, frames x (1 or stream channels), at stream_rate
    start: int  # program buffer frame of buffer[0]: a program numbers its buffers end to end
    src_start: int  # source frame of source[0]
    source: np.ndarray  # what the buffer was made from (a restart remakes it at the new rate)
    last: bool  # nothing was meant to follow (a software resampler was flushed)
    end: int = 0  # buffer frames
    src_stop: int = 0  # source frame just after the last one
    next: Segment | None = None

    def __post_init__(self) -> None:
        self.end = self.buffer.shape[0]
        self.src_stop = self.src_start + self.source.shape[0]


@dataclass(eq=False)
class Program:
    """What one stream plays and where it is; shared between the control and audio threads.

    The control thread replaces requests (seek, loop, pause) by single attribute assignments;
    only the audio callback moves `seg` and `pos`. A new stream gets a new program, so a late
    callback of an old stream cannot disturb the new one.
    """

    seg: Segment  # the buffer being played; the callback swaps in seg.next at its end
    step: float  # source frames per buffer frame
    stream_rate: int
    channels: int
    origin: int  # source frame of program buffer frame 0
    converter: Converter | None = None  # software rate conversion (None: the stream's rate)
    pos: int = 0  # next frame of seg.buffer to send
    loop: tuple[Segment, int, int] | None = None  # frames [a, b) of one segment's buffer
    paused: bool = False
    # (source frame, segment, buffer frame), a fresh tuple per request
    seek_req: tuple[int, Segment, int] | None = None
    seek_seen: tuple[int, Segment, int] | None = None
    # (segment, loop) to play on from the same frame (A/B: `Player.swap`), a fresh tuple each
    swap_req: tuple[Segment, tuple[Segment, int, int] | None] | None = None
    swap_seen: tuple[Segment, tuple[Segment, int, int] | None] | None = None
    ending: bool = False  # every real sample has been sent; padding silence until heard
    stop_at: float = 0.0  # stream time at which the padding may stop
    latency: float = 0.0
    contig: int = 0  # buffer frames sent since the last jump (start, seek, loop wrap, pause)
    # (segment, pos, contig, DAC time of the end of the last real block, stream time, monotonic
    # time), replaced as one tuple by the callback so that readers see a consistent set.
    mark: tuple[Segment, int, int, float, float, float] | None = None
    scratch: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    generation: int = 0
    calls: int = 0  # callbacks so far: the watchdog's sign of life

    def source_position(self, now: float) -> int:
        """The source frame being heard at monotonic time `now`: the frame sent last minus what
        still waits in the device's queue (never before the last jump; across a chain switch the
        queue may still hold the previous buffer's end), or a pending seek target."""
        req = self.seek_req
        if req is not self.seek_seen and req is not None:
            return req[0]
        seg, pos, contig, dac_end, stream_time, mono = self.mark or (self.seg, self.pos, 0, 0, 0, 0)
        ahead = dac_end - (stream_time + (now - mono))
        back = min(int(ahead * self.stream_rate), contig) if ahead > 0 else 0
        return min(self.origin + int((seg.start + pos - back) * self.step), seg.src_stop)

    def locate(self, frame: int) -> tuple[Segment, int] | None:
        """(segment, buffer frame) of a source frame in the buffer playing or one chained after
        it; None when it is not held (already played, or beyond a chain still being fed)."""
        g = int(round((frame - self.origin) / self.step))
        seg = self.seg
        if g < seg.start:
            return None
        while True:
            if g < seg.start + seg.end or (g == seg.start + seg.end and seg.next is None):
                return seg, g - seg.start
            if seg.next is None:  # rounding past a flushed end: clamp; past a fed one: not held
                return (seg, seg.end) if seg.last else None
            seg = seg.next

    def chain(self) -> list[Segment]:
        """The buffer playing (or the one a pending swap puts in its place) and those chained
        after it."""
        swap = self.swap_req
        out, seg = [], swap[0] if swap is not None and swap is not self.swap_seen else self.seg
        while seg is not None:
            out.append(seg)
            seg = seg.next
        return out


def release_played(prog: Program) -> None:
    """Drop the program's references to played buffers (a handled seek, a loop left behind):
    one would keep every buffer chained after it alive. Call with the player's lock held."""
    if prog.seek_req is prog.seek_seen:  # seeks are requested under the same lock
        prog.seek_req = prog.seek_seen = None
    if prog.swap_req is prog.swap_seen:  # and so are swaps
        prog.swap_req = prog.swap_seen = None
    loop = prog.loop
    if loop is not None and loop[0] is not prog.seg:
        prog.loop = None
