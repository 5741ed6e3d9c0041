"""Fuzz: seeded mutants of the bundled samples (and FLAC made from them) through info, load, the
spectrogram engine and the overview reader, against soundfile as the oracle.

Asserted for every mutant: no exception but AudioFileError, no hang, at most 2 GB of address space
(the batch runs in a child under RLIMIT_AS, each case under an alarm), and "opens whenever
soundfile decodes it, with the same frames and samples"; each refusal is one libsndfile refuses
too (or where it decodes no frame at all). Opening more than soundfile (a FLAC file of unknown
length, a FLAC file cut short) is allowed: then info, load and the block readers must agree.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.limits import run_limited
from tests.model import mutants as m

SEED = 20261202
COUNT = 320
#: A case taking longer than this is a hang (a normal one takes milliseconds).
CASE_SECONDS = 20
#: The whole batch (it takes ~5-15 s; CI machines are slower and shared).
BATCH_SECONDS = 150
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


# ---- bases: short copies of the bundled samples, in their own formats ------------------------

def write_bases(folder: Path) -> dict[str, bytes]:
    """name -> file bytes of each base the mutants start from."""
    speech, rate = sf.read(SAMPLES / "speech_198-209-0000.wav", frames=8000, start=20000, dtype="int16")
    trumpet, trate = sf.read(SAMPLES / "trumpet_44k_stereo_24bit.wav", frames=4000, start=40000,
                             dtype="int32")
    noisy = (speech / 32768.0).astype(np.float32)
    noisy[[10, 500, 7999]] = [np.nan, np.inf, -np.inf]
    out = {}
    for name, data, sr, fmt, subtype in (
        ("speech16.wav", speech, rate, "WAV", "PCM_16"),
        ("trumpet24.wav", trumpet, trate, "WAV", "PCM_24"),
        ("nanfloat.wav", noisy, rate, "WAV", "FLOAT"),
        ("speech16.flac", speech, rate, "FLAC", "PCM_16"),
        ("trumpet24.flac", trumpet, trate, "FLAC", "PCM_24"),
    ):
        path = folder / name
        sf.write(path, data, sr, format=fmt, subtype=subtype)
        out[name] = path.read_bytes()
    return out


# ---- mutators: (rng, bytes) -> bytes -----------------------------------------------------------

def _pick(rng, values):
    return values[int(rng.integers(len(values)))]


def _u32(rng) -> int:
    return int(rng.integers(0, 1 << 32))


def truncate_anywhere(rng, d):
    return d[:int(rng.integers(1, len(d)))]


def truncate_tail(rng, d):
    return d[:-int(rng.integers(1, 8))]


def data_size(rng, d):
    real = next(size for cid, _, size in m.wav_chunks(d) if cid == b"data")
    size = _pick(rng, [0, 1, 3, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, real - 1, real + 1,
                       real + 7, real // 2, _u32(rng)])
    return m.set_data_size(d, size % (1 << 32))


def riff_size(rng, d):
    return d[:4] + struct.pack("<I", _pick(rng, [0, 4, 36, 0xFFFFFFFF, _u32(rng)])) + d[8:]


def _header_end(d: bytes) -> int:
    return m.chunk_offset(d, b"data") + 8 if d[:4] == b"RIFF" else m.STREAMINFO + 34


def header_bytes(rng, d):
    out = bytearray(d)
    for _ in range(int(rng.integers(1, 5))):
        out[int(rng.integers(0, _header_end(d)))] = int(rng.integers(0, 256))
    return bytes(out)


def header_bit(rng, d):
    out = bytearray(d)
    bit = int(rng.integers(0, 8 * _header_end(d)))
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _chunk(cid: bytes, body: bytes, pad: bool = True) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if pad and len(body) % 2 else b"")


def _insert_before(d: bytes, cid: bytes, chunk: bytes) -> bytes:
    pos = m.chunk_offset(d, cid)
    return d[:pos] + chunk + d[pos:]


def _fix_riff(d: bytes) -> bytes:
    return d[:4] + struct.pack("<I", len(d) - 8) + d[8:]


def odd_padding(rng, d):
    body = bytes(rng.integers(0, 256, int(rng.integers(0, 4)) * 2 + 1, dtype=np.uint8))
    chunk = _chunk(_pick(rng, [b"junk", b"LIST", b"odd "]), body, pad=bool(rng.integers(2)))
    return _fix_riff(_insert_before(d, _pick(rng, [b"fmt ", b"data"]), chunk))


def odd_data(rng, d):
    pos = m.chunk_offset(d, b"data")
    size = struct.unpack("<I", d[pos + 4:pos + 8])[0]
    size -= 1 - size % 2  # an odd size: the writer must add a pad byte...
    body = d[pos + 8:pos + 8 + size]
    tail = (b"\0" if rng.integers(2) else b"") + _chunk(b"cue ", b"\1" * 24)  # ...and may not
    return _fix_riff(d[:pos] + _chunk(b"data", body, pad=False) + tail)


def unknown_chunk(rng, d):
    cid = bytes(rng.integers(32, 127, 4, dtype=np.uint8))
    chunk = _chunk(cid, bytes(rng.integers(0, 256, int(rng.integers(0, 64)), dtype=np.uint8)))
    where = _pick(rng, ["fmt", "data", "end"])
    if where == "end":
        return _fix_riff(d + chunk)
    return _fix_riff(_insert_before(d, b"fmt " if where == "fmt" else b"data", chunk))


def duplicate_chunk(rng, d):
    chunks = {cid: (pos, size) for cid, pos, size in m.wav_chunks(d)}
    cid = _pick(rng, [b"fmt ", b"data"])
    pos, size = chunks[cid]
    copy = d[pos:pos + 8 + size + (size & 1)]
    if cid == b"data":
        copy = copy[:8 + 64 + 8]  # a short second data chunk, its size left as it was
    return _fix_riff(d + copy if rng.integers(2) else _insert_before(d, b"data", copy))


def channels(rng, d):
    count = _pick(rng, [0, 1, 2, 3, 8, 255, 256, 1024, 1025, 65535])
    d = m.set_fmt_field(d, 2, "<H", count)
    if rng.integers(2):  # consistent block align, or left as it was
        bits = struct.unpack("<H", d[m.chunk_offset(d, b"fmt ") + 8 + 14:][:2])[0]
        d = m.set_fmt_field(d, 12, "<H", (count * bits // 8) & 0xFFFF)
    return d


def rate(rng, d):
    value = _pick(rng, [0, 1, 8, 100, 8000, 384000, 768000, 2**31 - 1, 0xFFFFFFFF, _u32(rng)])
    return m.set_fmt_field(d, 4, "<I", value)


def bits(rng, d):
    return m.set_fmt_field(d, 14, "<H", _pick(rng, [0, 1, 4, 7, 8, 12, 20, 24, 31, 32, 33, 64, 65535]))


def format_tag(rng, d):
    return m.set_fmt_field(d, 0, "<H", _pick(rng, [0, 1, 2, 3, 6, 7, 0x11, 0x55, 0xFFFE, 0x1234]))


def block_align(rng, d):
    field, fmt = _pick(rng, [(12, "<H"), (8, "<I")])
    return m.set_fmt_field(d, field, fmt, int(rng.integers(0, 1 << (16 if fmt == "<H" else 32))))


PCM_GUID = bytes.fromhex("0100000000001000800000aa00389b71")
FLOAT_GUID = bytes.fromhex("0300000000001000800000aa00389b71")


def extensible(rng, d):
    """fmt rebuilt as WAVE_FORMAT_EXTENSIBLE, with the right GUID or junk."""
    pos = m.chunk_offset(d, b"fmt ")
    tag, nch, sr, byte_rate, align, nbits = struct.unpack("<HHIIHH", d[pos + 8:pos + 24])
    guid = _pick(rng, ["right", "junk", "junk"])
    guid = (FLOAT_GUID if tag == 3 else PCM_GUID) if guid == "right" else \
        bytes(rng.integers(0, 256, 16, dtype=np.uint8))
    valid = _pick(rng, [nbits, 0, nbits - 4, 64])
    body = struct.pack("<HHIIHHHHI", 0xFFFE, nch, sr, byte_rate, align, nbits, 22, valid,
                       int(rng.integers(0, 4))) + guid
    size = struct.unpack("<I", d[pos + 4:pos + 8])[0]
    return _fix_riff(d[:pos] + _chunk(b"fmt ", body) + d[pos + 8 + size:])


def trailing_junk(rng, d):
    return d + bytes(rng.integers(0, 256, int(rng.integers(1, 200)), dtype=np.uint8))


def flac_total(rng, d):
    real = m.flac_field(d, *m.TOTAL)
    return m.set_flac_total(d, _pick(rng, [0, 0, 1, real // 2, real - 1, real + 1, real * 3,
                                           (1 << 36) - 1, int(rng.integers(0, 1 << 36))]))


def flac_field(rng, d):
    bit, width = _pick(rng, [m.RATE, m.CHANNELS, m.BITS, m.MIN_BLOCK, m.MAX_BLOCK, m.MIN_FRAME,
                             m.MAX_FRAME])
    value = _pick(rng, [0, 1, 15, 16, (1 << width) - 1, int(rng.integers(0, 1 << width))])
    return m.set_flac_field(d, bit, width, value)


def flac_md5(rng, d):
    out = bytearray(d)
    out[m.STREAMINFO + 18 + int(rng.integers(0, 16))] ^= 0xFF
    return bytes(out)


def flac_frame_header(rng, d):
    """A byte of the first audio frame's header changed (its sync code, block size, rate...)."""
    pos = d.index(b"\xff\xf8", m.STREAMINFO + 34)
    out = bytearray(d)
    out[pos + int(rng.integers(0, 6))] = int(rng.integers(0, 256))
    return bytes(out)


WAV_MUTATORS: list[Callable] = [truncate_anywhere, truncate_tail, data_size, riff_size, header_bytes,
                                header_bit, odd_padding, odd_data, unknown_chunk, duplicate_chunk,
                                channels, rate, bits, format_tag, block_align, extensible,
                                trailing_junk]
FLAC_MUTATORS: list[Callable] = [truncate_anywhere, truncate_tail, header_bytes, header_bit,
                                 flac_total, flac_total, flac_field, flac_field, flac_md5,
                                 flac_frame_header, trailing_junk]


def write_mutants(folder: Path, seed: int = SEED, count: int = COUNT) -> list[Path]:
    """`count` seeded mutants (about 2 WAV for 1 FLAC) plus the real 24-bit stereo recording cut
    1-5 bytes short; the same files for the same seed."""
    rng = np.random.default_rng(seed)
    bases = write_bases(folder)
    paths = []
    for i in range(count):
        base = _pick(rng, sorted(bases))
        mutators = WAV_MUTATORS if base.endswith(".wav") else FLAC_MUTATORS
        mutate = _pick(rng, mutators)
        path = folder / f"{i:03d}_{mutate.__name__}_{base}"
        path.write_bytes(mutate(rng, bases[base]))
        paths.append(path)
    real = (SAMPLES / "trumpet_44k_stereo_24bit.wav").read_bytes()
    for missing in range(1, 6):
        path = folder / f"real_trumpet_minus_{missing}.wav"
        path.write_bytes(real[:-missing])
        paths.append(path)
    return paths


# ---- the checks (run in the child) -------------------------------------------------------------

def _alarm(signum, frame):
    raise TimeoutError(f"took longer than {CASE_SECONDS} s")


def check(path: Path) -> dict:
    """One mutant through the oracle and our readers: what happened, and what went wrong."""
    from explorer.model import AudioFileError, info, load
    from explorer.model.overview import OverviewBuilder
    from explorer.model.spectrogram import SpectrogramParams, compute, compute_file
    from explorer.model.stft import frame_count
    from explorer.model.tiles import TileSource

    out: dict = {"name": path.name, "problems": []}
    problems = out["problems"]
    try:
        data, _ = sf.read(path, dtype="float32", always_2d=True)
        oracle = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
        out["oracle"] = len(oracle)
    except Exception as exc:  # the oracle refuses (or cannot allocate what the header says)
        oracle, out["oracle"] = None, f"{type(exc).__name__}: {exc}"[:200]
    params = SpectrogramParams(n_fft=512, hop_length=256)
    try:
        try:
            facts = info(path)
        except AudioFileError as exc:
            facts, out["refused"] = None, exc.reason
        if facts is not None:
            out["frames"], out["warning"] = facts.frames, facts.warning
            json.dumps(facts.to_dict(), allow_nan=False)
            clip = load(path)
            if clip.frames != facts.frames:
                problems.append(f"load gives {clip.frames} frames, info {facts.frames}")
            spec = compute_file(path, params, workers=1)
            json.dumps(spec.stats.to_dict(), allow_nan=False)
            if spec.values.shape[1] != frame_count(facts.frames, 512, 256):
                problems.append(f"spectrogram has {spec.values.shape[1]} columns for {facts.frames}")
            elif clip.frames == facts.frames:
                with np.errstate(all="ignore"):  # absurd floats (1e38) overflow the same way
                    same = np.array_equal(spec.values, compute(clip, params).values, equal_nan=True)
                if not same:
                    problems.append("the block reader's spectrogram differs from load()'s")
            overview = OverviewBuilder.for_file(path).read_file()
            if overview.frames_done != facts.frames:
                problems.append(f"the overview reads {overview.frames_done} of {facts.frames}")
            tiles = TileSource(path, params)
            columns = tiles.linear_columns(np.arange(tiles.total)[-3:])
            sane = float(np.max(np.abs(clip.samples))) < 1e6  # absurd floats may overflow the FFT
            if tiles.frames != facts.frames or (sane and not np.all(np.isfinite(columns))):
                problems.append("the long-file tile source disagrees or reads NaN")
            if oracle is not None and len(oracle):
                if facts.frames != len(oracle):
                    problems.append(f"{facts.frames} frames where soundfile decodes {len(oracle)}")
                elif not np.array_equal(clip.samples, oracle):
                    problems.append("samples differ from soundfile's")
        elif oracle is not None and len(oracle):
            problems.append(f"refused ({out['refused']}) but soundfile decodes {len(oracle)} frames")
    except TimeoutError as exc:
        problems.append(f"hang: {exc}")
    except AudioFileError as exc:
        problems.append(f"info opens it, then: {exc.reason}")
    except Exception:
        problems.append("exception other than AudioFileError:\n" + traceback.format_exc(limit=6))
    return out


def run_cases(folder: str) -> None:
    """Child process: check every mutant of `folder`, one JSON line each (and one before each,
    so a hang in C code, which no alarm interrupts, still names its case)."""
    signal.signal(signal.SIGALRM, _alarm)
    for path in sorted(Path(folder).iterdir()):
        if path.name[0].isdigit() or path.name.startswith("real_"):
            print(json.dumps({"start": path.name}), flush=True)
            signal.alarm(CASE_SECONDS)
            try:
                result = check(path)
            except TimeoutError as exc:
                result = {"name": path.name, "problems": [f"hang: {exc}"]}
            signal.alarm(0)
            print(json.dumps(result), flush=True)


def figures(results: list[dict]) -> dict:
    """The counts for the note: tried, opened, refused, and how they stand to soundfile's."""
    decodes = [r for r in results if isinstance(r.get("oracle"), int) and r["oracle"] > 0]
    opened = [r for r in results if "frames" in r]
    return {
        "tried": len(results),
        "opened": len(opened),
        "opened_with_warning": sum(1 for r in opened if r.get("warning")),
        "refused": sum(1 for r in results if "refused" in r),
        "soundfile_decodes": len(decodes),
        "opened_where_soundfile_refuses": sum(1 for r in opened if r not in decodes),
        "refused_where_soundfile_gives_0_frames": sum(
            1 for r in results if "refused" in r and r.get("oracle") == 0),
        "problems": sum(1 for r in results if r["problems"]),
    }


def test_mutants_open_whenever_soundfile_decodes_them(tmp_path):
    paths = write_mutants(tmp_path)
    code = f"from tests.model.test_fuzz import run_cases; run_cases({str(tmp_path)!r})"
    try:
        result = run_limited(code, timeout=BATCH_SECONDS)
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        last = lines.strip().splitlines()[-1:] or ["nothing"]
        raise AssertionError(f"the batch hung; last line: {last[0]}") from None
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    results = [r for r in lines if "name" in r]
    assert result.returncode == 0, f"child died ({result.returncode}):\n{result.stderr[-3000:]}"
    assert len(results) == len(paths)
    counts = figures(results)
    print("fuzz figures:", json.dumps(counts))
    bad = [f"{r['name']}: {'; '.join(r['problems'])}" for r in results if r["problems"]]
    assert not bad, f"{len(bad)} of {len(results)} mutants:\n" + "\n".join(bad[:20])
    # the batch really covers both sides: many files open (some with a warning), some are refused
    assert counts["opened"] > len(paths) // 3 and counts["refused"] > 10
    assert counts["opened_with_warning"] > 10
    outcomes = Counter(r["name"].split("_", 1)[1].rsplit("_", 1)[0] for r in results
                       if "frames" in r)
    assert outcomes["data_size"] > 0 and outcomes["flac_total"] > 0


def test_the_child_cannot_allocate_beyond_its_limit():
    """The harness's memory bound holds: 3 GB in the child fails there, not on the machine."""
    code = ("import numpy as np\ntry:\n    np.ones(3 << 30, np.uint8)\n    print('allocated')\n"
            "except MemoryError:\n    print('refused')")
    assert run_limited(code, timeout=60).stdout.split() == ["refused"]


def test_mutants_are_reproducible(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    first = write_mutants(one, count=40)
    second = write_mutants(two, count=40)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert len({p.read_bytes() for p in first}) > 30  # and they differ from each other


if __name__ == "__main__":  # a bigger run by hand: python -m tests.model.test_fuzz SEED COUNT
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_mutants(Path(folder), int(sys.argv[1]), int(sys.argv[2]))
        out = run_limited(f"from tests.model.test_fuzz import run_cases; run_cases({folder!r})",
                          timeout=3600)
        rows = [json.loads(x) for x in out.stdout.splitlines() if x.startswith('{"name"')]
        print(json.dumps(figures(rows)))
        for row in rows:
            if row["problems"]:
                print(row["name"], row["problems"], file=sys.stderr)
    os._exit(0)
