"""The label file formats, read and written: one module per format and this registry.

| name | file | holds |
| --- | --- | --- |
| audacity | `NAME.txt` | one label track: intervals, points, boxes (frequency lines) |
| raven | `NAME.selections.txt` | a selection table: boxes, extra annotation columns, a Tier column |
| textgrid | `NAME.TextGrid` | Praat tiers: intervals and points, long or short text, UTF-8/UTF-16 |
| sv-csv | `NAME.csv` | a Sonic Visualiser layer: instants (time,label) or regions |
| csv | `NAME.csv` | the plain table: file, tier, start, end, low_hz, high_hz, label |

Every write goes through the shared atomic writer (explorer.model.atomic).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from explorer.model.annotations.formats.common import DEFAULT_TIER, FormatError, decode
from explorer.model.annotations.tiers import Annotations

FORMATS = ("audacity", "raven", "textgrid", "sv-csv", "csv")
_MODULES = {"audacity": "audacity", "raven": "raven", "textgrid": "textgrid", "sv-csv": "svcsv",
            "csv": "table"}
#: The file endings of label files, longest first (what `labels_beside` looks for).
SUFFIXES = (".selections.txt", ".TextGrid", ".textgrid", ".txt", ".csv")

__all__ = ["DEFAULT_TIER", "FORMATS", "SUFFIXES", "FormatError", "guess_format", "losses",
           "read_labels", "write_labels", "format_module"]


def format_module(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise FormatError(f"unknown label format {fmt!r}: one of {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{_MODULES[fmt]}")


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return decode(f.read(4096))
    except (OSError, UnicodeDecodeError):
        return ""


def guess_format(path: Path, content: bool = True) -> str:
    """The format a file name says (`.selections.txt` raven, `.txt` audacity, `.TextGrid`,
    `.csv`); for an existing `.csv` or `.txt`, its first line decides (a table's header, a Raven
    header). FormatError for any other ending."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".textgrid"):
        return "textgrid"
    if name.endswith(".selections.txt"):
        return "raven"
    if name.endswith(".txt"):
        if content and _head(path).lstrip("\ufeff").startswith("Selection\t"):
            return "raven"
        return "audacity"
    if name.endswith(".csv"):
        if content and path.exists():
            from explorer.model.annotations.formats import table

            head = _head(path)
            return "csv" if table.looks_like(head) or not head.strip() else "sv-csv"
        return "csv"
    raise FormatError(f"{path.name}: cannot tell the label format from the name "
                      f"(give one of {', '.join(FORMATS)})")


def read_labels(path: Path, fmt: str | None = None) -> Annotations:
    """The annotations in a label file; FormatError (or OSError) in words when it is not one."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    module = format_module(fmt)
    data = path.read_bytes()
    try:
        ann = module.read(data)
    except FormatError as exc:
        raise FormatError(f"{path.name}: not read as {fmt} labels: {exc}") from None
    return ann


def write_labels(ann: Annotations, path: Path, fmt: str | None = None, **options) -> None:
    """Write `ann` in a format (guessed from the name), atomically. FormatError when the format
    cannot hold it without losing labels (see `losses`), WriteError when the disk says no."""
    from explorer.model.atomic import write_bytes

    path = Path(path)
    fmt = fmt or guess_format(path, content=False)
    data = format_module(fmt).write(ann, **options)
    write_bytes(path, data)


def losses(ann: Annotations, fmt: str) -> list[str]:
    """What writing `ann` in `fmt` leaves out, in words (empty: nothing): the CLI prints these."""
    module = format_module(fmt)
    check = getattr(module, "losses", None)
    return list(check(ann)) if check else []
