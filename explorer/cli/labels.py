"""`audio-explorer labels`: convert label files between the field's formats, and export every
label of a dataset as one table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.cli.common import PROG, CliError, no_audio_files
from explorer.model.annotations.formats import FORMATS, FormatError, guess_format, losses, read_labels
from explorer.model.annotations.store import SIDECAR_SUFFIX, read_sidecar
from explorer.model.names import shown, terminal_safe


def add_parser(sub) -> None:
    p = sub.add_parser("labels", help="convert label files; export a dataset's labels as one table",
                       description="Label files: Audacity label tracks (.txt), Raven selection "
                                   "tables (.selections.txt), Praat TextGrids, Sonic Visualiser "
                                   "CSV layers and the plain CSV table.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    c = actions.add_parser("convert", help="one label file to another format",
                           description="Convert IN to OUT. Formats are guessed from the names "
                                       "(.txt audacity, .selections.txt raven, .TextGrid textgrid, "
                                       ".csv csv or sv-csv by its first line); IN may also be the "
                                       "window's sidecar, AUDIO.labels.json.")
    c.add_argument("input", metavar="IN", type=Path)
    c.add_argument("output", metavar="OUT", type=Path)
    c.add_argument("--from", dest="src_format", choices=FORMATS, help="the format of IN")
    c.add_argument("--to", dest="dst_format", choices=FORMATS, help="the format of OUT")
    c.add_argument("--tier", action="append", metavar="NAME",
                   help="write only this tier (repeat for several); Audacity and Sonic "
                        "Visualiser files hold one")
    c.add_argument("--textgrid-form", choices=("long", "short"), default="long",
                   help="Praat's long (default) or short text form")
    c.add_argument("--encoding", choices=("utf-8", "utf-16"), default="utf-8",
                   help="of a TextGrid (Praat writes UTF-16 for non-ASCII labels)")
    c.add_argument("--force", action="store_true", help="replace OUT when it exists")
    c.set_defaults(run=run_convert)

    e = actions.add_parser("export", help="every label of a dataset in one CSV table",
                           description="Every label of the audio files of SRC (a folder or a "
                                       "file): their sidecars, else the label files beside them. "
                                       "Columns: file, tier, start, end, low_hz, high_hz, label "
                                       "(then any extra columns, e.g. Raven's).")
    e.add_argument("src", metavar="SRC", type=Path)
    e.add_argument("-o", "--output", type=Path, required=True, metavar="labels.csv")
    e.add_argument("--recursive", action="store_true", help="include sub-folders")
    e.add_argument("--annotations-dir", type=Path, metavar="DIR",
                   help="where sidecars of read-only folders were saved")
    e.add_argument("--force", action="store_true", help="replace the output when it exists")
    e.set_defaults(run=run_export)


def _warn(path: Path, text: str) -> None:
    print(f"{PROG}: warning: {terminal_safe(shown(path))}: {terminal_safe(text)}", file=sys.stderr)


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise CliError(f"{shown(path)}: exists; add --force to replace it")


def run_convert(args: argparse.Namespace) -> int:
    src, dst = args.input, args.output
    if not src.is_file():
        raise CliError(f"{shown(src)}: {'not a file' if src.exists() else 'no such file'}")
    sidecar = args.src_format is None and src.name.endswith(SIDECAR_SUFFIX)  # the window's own file
    try:
        src_format = "sidecar" if sidecar else args.src_format or guess_format(src)
        dst_format = args.dst_format or guess_format(dst, content=False)
    except FormatError as exc:
        raise CliError(f"{exc} with --from/--to") from None
    if src.resolve() == dst.resolve():
        raise CliError(f"{shown(dst)}: is the input file; name another output")
    _refuse_existing(dst, args.force)
    try:
        ann = read_sidecar(src) if sidecar else read_labels(src, src_format)
    except FormatError as exc:
        raise CliError(str(exc)) from None
    if args.tier:
        missing = [name for name in args.tier if not ann.has_tier(name)]
        if missing:
            names = ", ".join(t.name for t in ann.tiers) or "none"
            raise CliError(f"{shown(src)}: no tier named {', '.join(missing)} (its tiers: {names})")
        ann.tiers = [ann.tier(name) for name in args.tier]
    options = {"form": args.textgrid_form, "encoding": args.encoding} if dst_format == "textgrid" else {}
    try:
        from explorer.model.annotations.formats import write_labels

        write_labels(ann, dst, dst_format, **options)
    except FormatError as exc:
        raise CliError(f"{shown(dst)}: {exc}") from None
    for text in losses(ann, dst_format):
        _warn(dst, text)
    print(f"{len(ann)} labels in {len(ann.tiers)} tier(s): {terminal_safe(shown(src))} ({src_format}) "
          f"-> {terminal_safe(shown(dst))} ({dst_format})")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from explorer.model.annotations.dataset import dataset_annotations, export_table
    from explorer.model.atomic import write_bytes

    src = args.src
    if not src.exists():
        raise CliError(f"{shown(src)}: no such file or folder")
    _refuse_existing(args.output, args.force)
    items = []
    for name, ann, problems in dataset_annotations(src, args.recursive, args.annotations_dir):
        for text in problems:
            _warn(src / name if src.is_dir() else src, text)
        items.append((name, ann))
    if not items:
        if src.is_dir():
            raise no_audio_files(src, args.recursive)
        raise CliError(f"{shown(src)}: not an audio file")
    write_bytes(args.output, export_table(items))
    labelled = sum(1 for _, ann in items if len(ann))
    total = sum(len(ann) for _, ann in items)
    print(f"{total} labels of {labelled} of {len(items)} files -> {terminal_safe(shown(args.output))}")
    return 0
