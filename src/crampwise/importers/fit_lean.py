"""A lean FIT decoder: only the messages and fields crampwise keeps, in bulk.

Why not just fitdecode: it decodes every field of every message into Python objects at about
0.7 MB/s; an athlete's ten-year history is hundreds of megabytes. This reader walks the
message stream once, precompiles one `struct.Struct` per local definition for the fields we
keep (file_id, session, record) and merely skips every other message (after reading its
timestamp, which compressed-timestamp headers accumulate from).

Values follow fitdecode's reading exactly (tests/importers/test_fit_equality.py checks it on
every shared file): the base type declared by the definition decides the byte layout and the
invalid sentinel (0xFF.., 0x7F.., 0 for the `z` types, NaN), scale and offset come from the FIT
profile and are applied as `float(raw) / scale - offset`, a field whose size is not a multiple
of its base type is read as bytes (so not kept), arrays are not kept, and the speed component
of `compressed_speed_distance` is expanded. One deliberate difference is documented in
docs/import.md: heart rate 0 is "no strap" (missing). Header and file CRCs are checked for
every segment read to its end (in C, by anycrc: a pure-Python CRC would cost more than the
decoding) and mismatches are reported, not fatal: the importer decides.

Decoding stops at the first structural problem (truncation, an undefined local message, a
corrupt chained header), like fitdecode's lenient mode; what was read before it is kept and
the problem is reported, so the importer can decide whether a complete session is present.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, Final

import anycrc
import numpy as np

from crampwise.importers.fit_bulk import decode_run, run_length
from crampwise.importers.fit_contents import FitContents, RecordBuilder
from crampwise.importers.fit_profile import (
    BASE_TYPES,
    FIT_MAGIC,
    KEPT,
    KEPT_NAMES,
    MESG_RECORD,
    MESSAGE_LISTS,
    RECORD_CHANNELS,
    TIMESTAMP,
)

_CRC16: Final = anycrc.Model("CRC16-ARC")  # the FIT CRC (FIT protocol 3.3.2), in C


@dataclass(frozen=True)
class Layout:
    """One local message definition, compiled."""

    mesg_num: int
    size: int  # bytes of one data message after its header byte (developer fields included)
    unpacker: struct.Struct | None  # kept fields only, None when nothing is kept
    fields: tuple[tuple[str, object, float | None, float | None, bool], ...]
    ts: tuple[struct.Struct, object] | None  # timestamp reader for skipped messages
    # record definitions whose kept fields are all plain numbers, the first named timestamp:
    # (name, offset after the header byte, numpy dtype, invalid value, scale) per kept field
    bulk: tuple[tuple[str, int, str, object, float | None], ...] | None = None


def _compile(data: bytes, p: int, header: int, end: int) -> tuple[int, Layout]:
    """Parse the definition message at `p` (its header byte) and return (next offset, def)."""
    if p + 6 > end:
        raise _Stop(f"truncated definition message at byte {p}")
    endian = ">" if data[p + 2] else "<"
    (mesg_num,) = struct.unpack_from(endian + "H", data, p + 3)
    nfields = data[p + 5]
    q = p + 6
    if q + 3 * nfields > end:
        raise _Stop(f"truncated definition message at byte {p}")
    kept = KEPT.get(mesg_num)
    fmt = [endian]
    fields: list[tuple[str, object, float | None, float | None, bool]] = []
    layout: list[tuple[str, int, str, object, float | None]] = []
    ts: tuple[struct.Struct, object] | None = None
    offset = 0
    pending_pad = 0
    for i in range(nfields):
        num, size, base_num = data[q + 3 * i], data[q + 3 * i + 1], data[q + 3 * i + 2]
        code, bsize, invalid = BASE_TYPES.get(base_num, ("B", 1, "bytes"))
        if size % bsize:
            code, bsize, invalid = "B", 1, "bytes"  # fitdecode reads misaligned fields as bytes
        spec = kept.get(num) if kept is not None else None
        if num == TIMESTAMP and size == bsize and invalid not in ("bytes", "string", "nan"):
            ts = (struct.Struct(f"{endian}{offset}x{code}"), invalid)
        if spec is not None and size > 0:
            if pending_pad:
                fmt.append(f"{pending_pad}x")
                pending_pad = 0
            name, scale, off = spec
            if invalid == "bytes" or size != bsize or invalid == "string":
                # byte arrays (compressed_speed_distance) and arrays: read raw bytes
                fmt.append(f"{size}s")
                fields.append((name, "bytes" if invalid == "bytes" else "array", scale, off, False))
            else:
                fmt.append(code)
                fields.append((name, invalid, scale, off, True))
                layout.append((name, offset, _NUMPY[endian] + code, invalid, scale))
        else:
            pending_pad += size
        offset += size
    q += 3 * nfields
    if header & 0x20:
        if q + 1 > end:
            raise _Stop(f"truncated definition message at byte {p}")
        ndev = data[q]
        q += 1
        if q + 3 * ndev > end:
            raise _Stop(f"truncated definition message at byte {p}")
        for i in range(ndev):
            offset += data[q + 3 * i + 1]  # developer field bytes are skipped
        q += 3 * ndev
    unpacker = struct.Struct("".join(fmt)) if fields else None
    bulk = None
    if (
        mesg_num == MESG_RECORD
        and fields
        and fields[0][0] == "timestamp"
        and isinstance(fields[0][1], int)
        and all(scalar or kind == "array" for _n, kind, _s, _o, scalar in fields)
    ):
        bulk = tuple(layout)
    return q, Layout(mesg_num, offset, unpacker, tuple(fields), ts, bulk)


_NUMPY: Final = {"<": "<", ">": ">"}
BULK_MIN_RUN: Final = 16  # shorter runs of records are read one by one


class _Stop(Exception):
    """Internal: a structural problem ends decoding (message = the reported problem)."""


def _value(raw: object, invalid: object, scale: float | None, off: float | None) -> object:
    """One scalar as fitdecode reports it: None for the invalid sentinel, then scale/offset."""
    if invalid == "nan":
        if raw != raw:  # NaN
            return None
    elif raw == invalid:
        return None
    if scale:
        raw = float(raw) / scale  # type: ignore[arg-type]
    if off:
        raw = raw - off  # type: ignore[operator]
    return raw


def _message(d: Layout, values: tuple[object, ...]) -> dict[str, object]:
    """Kept fields of one file_id/session message, by name (arrays and bytes left out)."""
    out: dict[str, object] = dict.fromkeys(KEPT_NAMES[d.mesg_num])
    seen: set[str] = set()
    for (name, invalid, scale, off, scalar), raw in zip(d.fields, values, strict=True):
        if name in seen:
            continue  # fitdecode's get_value returns the first field of a name
        seen.add(name)
        out[name] = _value(raw, invalid, scale, off) if scalar else None
    return out


def _cspeed(raw: bytes) -> float | None:
    """Speed (m/s) from the 12 low bits of compressed_speed_distance, as fitdecode expands it."""
    if len(raw) == 0 or all(b == 0xFF for b in raw):
        return None
    return float(int.from_bytes(raw, "little") & 0xFFF) / 100


def decode(data: bytes) -> FitContents:
    """Decode the kept messages of a FIT byte stream, chained segments included."""
    out = FitContents()
    builder = RecordBuilder()
    try:
        _decode(data, out, builder)
    except _Stop as stop:
        out.problem = str(stop)
    builder.finish(out)
    return out


def _decode(data: bytes, out: FitContents, builder: RecordBuilder) -> None:
    n = len(data)
    arr = np.frombuffer(data, dtype=np.uint8)
    pos = 0
    while pos < n:
        if n - pos < 12:
            raise _Stop(f"truncated FIT header at byte {pos}")
        header_size = data[pos]
        if header_size < 12 or data[pos + 8 : pos + 12] != FIT_MAGIC:
            raise _Stop(f"not a FIT file at byte {pos}")
        if header_size > 12 and (header_size < 14 or pos + header_size > n):
            raise _Stop(f"truncated FIT header at byte {pos}")
        (body_size,) = struct.unpack_from("<I", data, pos + 4)
        segment = out.segments
        out.segments += 1
        p = pos + header_size
        end = p + body_size
        try:
            _decode_segment(data, arr, p, end, n, segment, out, builder)
            if end + 2 > n:
                raise _Stop(f"file ends at byte {n} before the CRC of the FIT segment (truncated)")
        except _Stop:
            if end + 2 <= n:  # the segment's bytes are all there: say whether they are intact
                _check_crc(data, pos, header_size, end, segment, out)
            raise
        _check_crc(data, pos, header_size, end, segment, out)
        pos = end + 2
        out.bytes_read = pos


def _decode_segment(
    data: bytes,
    arr: np.ndarray[Any, Any],
    p: int,
    end: int,
    n: int,
    segment: int,
    out: FitContents,
    builder: RecordBuilder,
) -> None:
    """Decode the messages of one segment's body, from `p` to `end` (raises _Stop on damage).

    Runs of record messages of one definition (a Garmin file is mostly that: a record a second
    between laps and events) are decoded in bulk with numpy; everything else one by one.
    """
    rec = builder.lists
    r_ts, r_hr, r_speed, r_temp, r_cad, r_pow, r_dist = (rec[name] for name in RECORD_CHANNELS)
    r_seg = rec["segment"]
    limit = min(end, n)
    defs: dict[int, Layout] = {}
    ts_acc = 0
    while p < end:
        if p >= n:
            raise _Stop(f"file ends at byte {n} inside a FIT body (truncated)")
        h = data[p]
        if h & 0x80:
            local = (h >> 5) & 0x3
            time_offset: int | None = h & 0x1F
        elif h & 0x40:
            p, defs[h & 0x0F] = _compile(data, p, h, limit)
            out.bytes_read = p
            continue
        else:
            local = h & 0x0F
            time_offset = None
        d = defs.get(local)
        if d is None:
            raise _Stop(f"data message refers to undefined local message {local} at byte {p}")
        nxt = p + 1 + d.size
        if nxt > limit:
            raise _Stop(f"truncated data message at byte {p}")
        mesg = d.mesg_num
        if (
            d.bulk is not None
            and time_offset is None
            and p + BULK_MIN_RUN * (nxt - p) <= limit
            and data[nxt] == h
            and data[p + (BULK_MIN_RUN - 1) * (nxt - p)] == h
        ):
            stride = nxt - p
            count = run_length(arr, p, stride, h, (limit - p) // stride)
            if count >= BULK_MIN_RUN:
                columns, last = decode_run(arr, p, count, d, segment)
                builder.add(columns)
                if last is not None:
                    ts_acc = last
                p += count * stride
                out.bytes_read = p
                continue
        if mesg == MESG_RECORD:
            values = d.unpacker.unpack_from(data, p + 1) if d.unpacker is not None else ()
            ts: int | None = None
            hr = spd = espd = cspd = temp = cad = pw = dist = None
            ts_seen = False
            for (name, invalid, scale, _off, scalar), raw in zip(d.fields, values, strict=True):
                if not scalar:
                    if name == "compressed_speed_distance" and invalid == "bytes" and cspd is None:
                        cspd = _cspeed(raw)
                    elif name == "timestamp" and not ts_seen:
                        ts_seen = True
                    continue
                if raw == invalid or raw != raw:
                    value = None
                elif scale:
                    value = float(raw) / scale
                else:
                    value = raw
                if name == "timestamp":
                    if not ts_seen:
                        ts_seen = True
                        ts = value if isinstance(value, int) else None
                        if ts is not None:
                            ts_acc = ts
                elif name == "heart_rate":
                    hr = value if hr is None else hr
                elif name == "enhanced_speed":
                    espd = value if espd is None else espd
                elif name == "speed":
                    spd = value if spd is None else spd
                elif name == "temperature":
                    temp = value if temp is None else temp
                elif name == "cadence":
                    cad = value if cad is None else cad
                elif name == "power":
                    pw = value if pw is None else pw
                elif name == "distance":
                    dist = value if dist is None else dist
            if time_offset is not None:
                ts_acc = _accumulate(time_offset, ts_acc)
                if not ts_seen:
                    ts = ts_acc
            if ts is not None:
                r_ts.append(ts)
                r_hr.append(hr if hr else None)  # 0 bpm: no strap
                r_speed.append(espd if espd is not None else spd if spd is not None else cspd)
                r_temp.append(temp)
                r_cad.append(cad)
                r_pow.append(pw)
                r_dist.append(dist)
                r_seg.append(segment)
        elif d.unpacker is not None or mesg in KEPT_NAMES:
            fields = _message(d, d.unpacker.unpack_from(data, p + 1) if d.unpacker else ())
            stamp = fields.get("timestamp")
            if isinstance(stamp, int):
                ts_acc = stamp
            if time_offset is not None:
                ts_acc = _accumulate(time_offset, ts_acc)
                if fields.get("timestamp") is None and not any(f[0] == "timestamp" for f in d.fields):
                    fields["timestamp"] = ts_acc
            fields["segment"] = segment
            getattr(out, MESSAGE_LISTS[mesg]).append(fields)
        else:
            if d.ts is not None:
                (raw_ts,) = d.ts[0].unpack_from(data, p + 1)
                if raw_ts != d.ts[1]:
                    ts_acc = raw_ts
            if time_offset is not None:
                ts_acc = _accumulate(time_offset, ts_acc)
        p = nxt
        out.bytes_read = p


def _check_crc(data: bytes, pos: int, header_size: int, end: int, segment: int, out: FitContents) -> None:
    """Record a segment whose header CRC (when set) or file CRC does not match its bytes."""
    if header_size >= 14:
        (stored,) = struct.unpack_from("<H", data, pos + 12)
        if stored and _CRC16.calc(data[pos : pos + 12]) != stored:
            out.crc_errors.append(f"header CRC of segment {segment + 1} does not match")
    if _CRC16.calc(data[pos : end + 2]) != 0:  # the CRC over a segment and its own CRC is 0
        out.crc_errors.append(f"file CRC of segment {segment + 1} does not match")


def _accumulate(time_offset: int, acc: int) -> int:
    """Compressed-timestamp header: 5-bit rollover on the last full timestamp (FIT spec 4.2.2)."""
    base = time_offset + (acc & ~0x1F)
    if time_offset < (acc & 0x1F):
        base += 0x20
    return base
