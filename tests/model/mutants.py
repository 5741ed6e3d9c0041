"""Byte-level edits of WAV and FLAC files: the lying headers recorders and tools leave behind."""

from __future__ import annotations

import struct

#: Offset of the 34-byte STREAMINFO body in a FLAC file ("fLaC" + a 4-byte block header).
STREAMINFO = 8


def wav_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(id, offset of the chunk header, declared size) of each chunk of a RIFF/WAVE file."""
    out, pos = [], 12
    while pos + 8 <= len(data):
        chunk_id, size = struct.unpack("<4sI", data[pos:pos + 8])
        out.append((chunk_id, pos, size))
        pos += 8 + size + (size & 1)
    return out


def chunk_offset(data: bytes, chunk_id: bytes) -> int:
    return next(pos for cid, pos, _ in wav_chunks(data) if cid == chunk_id)


def set_data_size(data: bytes, size: int) -> bytes:
    """The data chunk's declared size replaced (0xFFFFFFFF: a streaming writer's open size)."""
    out = bytearray(data)
    pos = chunk_offset(data, b"data")
    out[pos + 4:pos + 8] = struct.pack("<I", size)
    return bytes(out)


def set_fmt_field(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """A field of the fmt chunk's body (0 tag, 2 channels, 4 rate, 8 byte rate, 12 block align,
    14 bits) replaced."""
    out = bytearray(data)
    pos = chunk_offset(data, b"fmt ") + 8 + offset
    out[pos:pos + struct.calcsize(fmt)] = struct.pack(fmt, value)
    return bytes(out)


def flac_field(data: bytes, bit: int, width: int) -> int:
    """A STREAMINFO bit field (bit 0 is the body's first bit; big-endian like the format)."""
    body = int.from_bytes(data[STREAMINFO:STREAMINFO + 34], "big")
    return (body >> (34 * 8 - bit - width)) & ((1 << width) - 1)


def set_flac_field(data: bytes, bit: int, width: int, value: int) -> bytes:
    body = int.from_bytes(data[STREAMINFO:STREAMINFO + 34], "big")
    shift = 34 * 8 - bit - width
    body = (body & ~(((1 << width) - 1) << shift)) | ((value & ((1 << width) - 1)) << shift)
    return data[:STREAMINFO] + body.to_bytes(34, "big") + data[STREAMINFO + 34:]


# STREAMINFO fields: min/max block size (16 bits each), min/max frame size (24 each), sample rate
# (20), channels - 1 (3), bits per sample - 1 (5), total samples (36; 0 = unknown), MD5 (128).
MIN_BLOCK, MAX_BLOCK, MIN_FRAME, MAX_FRAME = (0, 16), (16, 16), (32, 24), (56, 24)
RATE, CHANNELS, BITS, TOTAL = (80, 20), (100, 3), (103, 5), (108, 36)


def set_flac_total(data: bytes, total: int) -> bytes:
    """STREAMINFO's total samples replaced (0 is legal: "unknown")."""
    return set_flac_field(data, *TOTAL, total)
