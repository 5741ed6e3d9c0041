"""What the format modules share: the error in words, text decoding, and numbers written the
way label tools write them (fixed point) without losing a bit."""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.model.annotations.tiers import Annotations, Tier

DEFAULT_TIER = "labels"  # the tier name of formats that have none (Audacity, Raven, Sonic Visualiser)


class FormatError(ValueError):
    """A label file that cannot be read or written in a format; str() says why, in words."""


def decode(data: bytes) -> str:
    """Text of a label file: UTF-8 or UTF-16 by their byte-order mark, UTF-16 without one when
    every other byte is zero (Praat), UTF-8, else Windows-1252 (Raven on Windows)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if len(data) >= 4 and data[1] == 0 and data[3] == 0:
        return data.decode("utf-16-le", errors="replace")
    if len(data) >= 4 and data[0] == 0 and data[2] == 0:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def fixed(x: float, decimals: int = 6) -> str:
    """`x` in fixed point with at least `decimals` decimals (what Audacity and Raven write) and
    as many more as it takes to read back the same float."""
    for places in range(decimals, 18):
        text = f"{x:.{places}f}"
        if float(text) == x:
            return text
    return repr(float(x))


def number(text: str, what: str, line: int) -> float:
    """A float from a file (a decimal comma too, as Raven writes in some locales), or a
    FormatError naming the line and what was expected."""
    try:
        value = float(text)
    except ValueError:
        value = None
        stripped = text.strip()
        if stripped.count(",") == 1 and "." not in stripped:
            try:
                value = float(stripped.replace(",", "."))
            except ValueError:
                pass
        if value is None:
            raise FormatError(f"line {line}: {what} is not a number: {stripped[:40]!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FormatError(f"line {line}: {what} is not a finite number: {text.strip()[:40]!r}")
    return value


def optional_number(text: str, what: str, line: int) -> float | None:
    return None if not text.strip() else number(text, what, line)


def single_tier(ann: Annotations, fmt: str) -> Tier | None:
    """The one tier a single-tier format writes; FormatError when there are several with labels."""
    full = [t for t in ann.tiers if t.labels]
    if len(full) > 1:
        names = ", ".join(t.name for t in full)
        raise FormatError(f"{fmt} files hold one tier, these labels have {len(full)} ({names}): "
                          "choose one tier (--tier), or write csv, raven or textgrid")
    return full[0] if full else None
