"""What the field's own readers (crowsetta, praatio, pandas) read from a label file: the
independent check of what we write. Each returns {tier name: [(start, end, label, low, high)]},
end None for a point, low/high None without a band; tier names of formats without names are
the reader's default ('labels')."""

from __future__ import annotations

from pathlib import Path

from tests import needs


def crowsetta():
    return needs.module("crowsetta", "needs audio-explorer[test]: crowsetta reads what we write")


def _praatio():
    return needs.module("praatio.textgrid", "needs praatio")


def _pd():
    return needs.module("pandas", "needs audio-explorer[test]: pandas")

Row = tuple[float, float | None, str, float | None, float | None]


def _text(value) -> str:
    return "" if value is None or _pd().isna(value) else str(value)


def textgrid_praatio(path: Path) -> dict[str, list[Row]]:
    tg = _praatio().openTextgrid(str(path), includeEmptyIntervals=True)
    out: dict[str, list[Row]] = {}
    for tier in tg.tiers:
        if tier.tierType == "IntervalTier":
            out[tier.name] = [(e.start, e.end, e.label, None, None) for e in tier.entries if e.label]
        else:
            out[tier.name] = [(e.time, None, _unquote(e.label), None, None) for e in tier.entries]
    return out


def _unquote(mark: str) -> str:
    """praatio and crowsetta leave Praat's doubled quotes ("") in the marks of point tiers of
    the long form (they undo them in intervals): a defect of both, undone here; see
    test_textgrid_keeps_what_praatio_loses for what our reader does."""
    return mark.replace('""', '"')


def textgrid_crowsetta(path: Path) -> dict[str, list[Row]]:
    tg = crowsetta().formats.seq.TextGrid.from_file(path, keep_empty=True)
    out: dict[str, list[Row]] = {}
    for tier in tg.tiers:
        if hasattr(tier, "intervals"):
            out[tier.name] = [(i.xmin, i.xmax, i.text, None, None) for i in tier.intervals if i.text]
        else:
            out[tier.name] = [(p.number, None, _unquote(p.mark), None, None) for p in tier.points]
    return out


def audacity_crowsetta(path: Path) -> dict[str, list[Row]]:
    """crowsetta's aud-bbox when every label has a frequency line, else aud-seq."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        return {}
    if len(lines) % 2 == 0 and all(line.startswith("\\\t") for line in lines[1::2]):
        df = crowsetta().formats.bbox.AudBBox.from_file(path).df
        rows = [(r.begin_time_s, r.end_time_s, _text(r.label), r.low_freq_hz, r.high_freq_hz)
                for r in df.itertuples()]
    else:  # pandas reads it; crowsetta's aud-seq too when it can (it refuses empty labels)
        df = _pd().read_csv(path, sep="\t", header=None, names=["start_time", "end_time", "label"],
                         keep_default_na=False, dtype={"label": str}, quoting=3)
        rows = [(r.start_time, r.end_time, _text(r.label), None, None) for r in df.itertuples()]
        if (df["label"] != "").all():
            theirs = crowsetta().formats.seq.AudSeq.from_file(path).df
            assert rows == [(r.start_time, r.end_time, _text(r.label), None, None)
                            for r in theirs.itertuples()], "crowsetta and pandas disagree"
    return {"labels": [(s, None if e == s else e, t, lo, hi) for s, e, t, lo, hi in rows]}


def _raven_rows(df, label_column: str) -> dict[str, list[Row]]:
    tiers = df["Tier"].astype(str) if "Tier" in df.columns else ["labels"] * len(df)
    out: dict[str, list[Row]] = {}
    for tier, (_, r) in zip(tiers, df.iterrows(), strict=True):
        begin, end_, low, high = (float(r[c]) for c in ("Begin Time (s)", "End Time (s)",
                                                       "Low Freq (Hz)", "High Freq (Hz)"))
        band = (None, None) if low == 0 == high else (low, high)
        out.setdefault(tier, []).append((begin, None if end_ == begin else end_,
                                         _text(r[label_column]), *band))
    return out


def raven_crowsetta(path: Path, label_column: str = "Annotation") -> dict[str, list[Row]]:
    """pandas reads the table; crowsetta too when it can (it refuses empty annotations)."""
    df = _pd().read_csv(path, sep="\t", keep_default_na=False, dtype={label_column: str})
    found = _raven_rows(df, label_column)
    if (df[label_column] != "").all():
        theirs = crowsetta().formats.bbox.Raven.from_file(path, annot_col=label_column).df
        theirs = theirs.rename(columns={v: k for k, v in crowsetta().formats.bbox.Raven.COLUMNS_MAP.items()}
                               | {"annotation": label_column})
        assert _raven_rows(theirs, label_column) == found, "crowsetta and pandas disagree"
    return found


def csv_pandas(path: Path) -> dict[str, list[Row]]:
    df = _pd().read_csv(path, keep_default_na=False, dtype={"label": str, "tier": str})
    out: dict[str, list[Row]] = {}

    def num(x):
        return None if x == "" else float(x)

    for r in df.itertuples():
        out.setdefault(r.tier, []).append((float(r.start), num(r.end), r.label, num(r.low_hz),
                                           num(r.high_hz)))
    return out


def svcsv_pandas(path: Path) -> dict[str, list[Row]]:
    """By Sonic Visualiser's column layouts, read by pandas (no header, label last)."""
    if not path.read_text(encoding="utf-8").strip():
        return {}
    df = _pd().read_csv(path, header=None, keep_default_na=False, dtype=str)
    rows = []
    for r in df.itertuples(index=False):
        cells = [c for c in r]
        nums = []
        for c in cells:
            try:
                nums.append(float(c))
            except ValueError:
                break
        label = ",".join(cells[len(nums):]) if len(cells) > len(nums) else ""
        if len(nums) == 1:
            rows.append((nums[0], None, label, None, None))
        elif len(nums) == 3:
            rows.append((nums[0], nums[0] + nums[2], label, None, None))
        elif len(nums) == 4:
            rows.append((nums[0], nums[1], label, nums[2], nums[3]))
        else:
            raise AssertionError(f"not a Sonic Visualiser layout: {cells}")
    return {"labels": rows}


def read_independently(path: Path, fmt: str, raven_label: str = "Annotation") -> dict[str, list[Row]]:
    if fmt == "textgrid":
        a, b = textgrid_praatio(path), textgrid_crowsetta(path)
        assert a == b, "praatio and crowsetta disagree"
        return a
    if fmt == "audacity":
        return audacity_crowsetta(path)
    if fmt == "raven":
        return raven_crowsetta(path, raven_label)
    if fmt == "csv":
        return csv_pandas(path)
    return svcsv_pandas(path)
