"""A small FIT writer for generated test files and benchmark exports (FIT protocol 2.0 layout).

It writes what Garmin devices write for an activity, in their order: file_id, device_info,
sport, a timer start event, records at 1 Hz (position, distance, speed, altitude, heart rate,
cadence, power, temperature), laps, timer stop/start events for pauses, one session per leg
(transitions included), and the activity message with `local_timestamp`, then the file CRC.
Records are packed in bulk with numpy (a 3 h activity in milliseconds), so a benchmark can
generate a gigabyte of realistic files in a minute. Options cover the cases the importer must
read: summaries at the start of the file instead of the end, a device clock never set (times
since power-on), no session message (a truncated recording), and a wrong CRC.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np

FIT_EPOCH_UNIX_S = 631065600
SPORT_NUMBERS = {"run": 1, "ride": 2, "swim": 5, "transition": 3, "walk": 11, "other": 0}
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip

FILE_ID = [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C), (4, 4, 0x86)]
DEVICE_INFO = [(253, 4, 0x86), (0, 1, 0x02), (2, 2, 0x84), (4, 2, 0x84), (5, 2, 0x84)]
SPORT_MSG = [(0, 1, 0x00), (1, 1, 0x00)]
EVENT = [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00), (3, 4, 0x86)]
RECORD = [
    (253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (73, 4, 0x86), (78, 4, 0x86),
    (3, 1, 0x02), (4, 1, 0x02), (7, 2, 0x84), (13, 1, 0x01), (39, 2, 0x84), (41, 2, 0x84),
]  # fmt: skip
RECORD_DTYPE = np.dtype(
    [
        ("header", "u1"),
        ("timestamp", "<u4"),
        ("lat", "<i4"),
        ("lon", "<i4"),
        ("distance", "<u4"),
        ("speed", "<u4"),
        ("altitude", "<u4"),
        ("heart_rate", "u1"),
        ("cadence", "u1"),
        ("power", "<u2"),
        ("temperature", "i1"),
        ("vertical_oscillation", "<u2"),
        ("stance_time", "<u2"),
    ]
)
# A richer record, as recent Garmin watches write (grade, vertical speed, calories, accumulated
# power, fractional cadence, GPS accuracy): 47 bytes a second, for the benchmark's export.
RICH_RECORD = [
    *RECORD,
    (9, 2, 0x83),
    (32, 2, 0x83),
    (33, 2, 0x84),
    (29, 4, 0x86),
    (53, 1, 0x02),
    (31, 1, 0x02),
]
RICH_DTYPE = np.dtype(
    [
        *RECORD_DTYPE.descr,
        *[("grade", "<i2"), ("vertical_speed", "<i2"), ("calories", "<u2"), ("accumulated_power", "<u4")],
        *[("fractional_cadence", "u1"), ("gps_accuracy", "u1")],
    ]
)
LAP = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)]
SESSION = [
    (253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (5, 1, 0x00),
    (6, 1, 0x00), (16, 1, 0x02), (17, 1, 0x02), (22, 2, 0x84), (57, 1, 0x01),
]  # fmt: skip
ACTIVITY = [(253, 4, 0x86), (0, 4, 0x86), (1, 2, 0x84), (2, 1, 0x00), (5, 4, 0x86)]


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC (FIT protocol, section 3.3.2), written out (the reader uses a C one)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def _crc(data: bytes) -> int:
    """crc16 in C where anycrc is installed (a benchmark writes a gigabyte), else in Python."""
    try:
        import anycrc
    except ImportError:
        return crc16(data)
    return int(anycrc.Model("CRC16-ARC").calc(data))


def definition(local: int, mesg: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = bytes([0x40 | local, 0, 0]) + struct.pack("<HB", mesg, len(fields))
    return out + b"".join(bytes(f) for f in fields)


@dataclass(frozen=True)
class Leg:
    """One leg: its sport, seconds, and speed (m/s) and heart rate around which samples vary."""

    sport: str
    seconds: int
    speed_m_s: float = 3.0
    heart_rate: int = 140


@dataclass
class Activity:
    """What to write; `start` in FIT seconds (or since power-on when `clock_set` is False)."""

    legs: list[Leg]
    start: int = 1_000_000_000
    seed: int = 0
    pauses: list[tuple[int, int]] = field(default_factory=list)  # (offset s, length s), first leg
    summary_first: bool = False
    clock_set: bool = True
    with_session: bool = True
    utc_offset_s: int = 7200
    lap_every_s: int = 600
    serial: int = 3_000_000
    rich: bool = False  # RICH_RECORD instead of RECORD


def _records(
    start: int, seconds: int, leg: Leg, rng: np.random.Generator, skip: set[int], rich: bool = False
) -> bytes:
    t = np.array([s for s in range(seconds) if s not in skip], dtype=np.int64)
    rows = np.zeros(len(t), dtype=RICH_DTYPE if rich else RECORD_DTYPE)
    speed = np.clip(
        leg.speed_m_s + np.sin(t / 300) * 0.3 * leg.speed_m_s + rng.normal(0, 0.05, len(t)), 0, None
    )
    distance = np.cumsum(speed)
    rows["header"] = 4
    rows["timestamp"] = start + t
    rows["lat"] = ((46.0 + distance / 111_000) * 2**31 / 180).astype(np.int64)
    rows["lon"] = ((14.5 + np.sin(t / 900) * 0.01) * 2**31 / 180).astype(np.int64)
    rows["distance"] = (distance * 100).astype(np.int64)
    rows["speed"] = (speed * 1000).astype(np.int64)
    rows["altitude"] = ((400 + 30 * np.sin(t / 700) + 500) * 5).astype(np.int64)
    rows["heart_rate"] = np.clip(leg.heart_rate + 15 * np.sin(t / 200) + rng.normal(0, 2, len(t)), 40, 220)
    rows["cadence"] = np.clip(85 + rng.normal(0, 3, len(t)), 0, 250)
    rows["power"] = (
        np.clip(200 + 40 * np.sin(t / 120) + rng.normal(0, 10, len(t)), 0, 2000)
        if leg.sport == "ride"
        else 0xFFFF
    )
    rows["temperature"] = (18 + 8 * t / max(seconds, 1)).astype(np.int64)
    rows["vertical_oscillation"] = 0xFFFF if leg.sport != "run" else 900
    rows["stance_time"] = 0xFFFF if leg.sport != "run" else 2500
    if rich:
        rows["grade"] = (np.sin(t / 700) * 300).astype(np.int64)
        rows["vertical_speed"] = (np.cos(t / 700) * 100).astype(np.int64)
        rows["calories"] = t // 6
        rows["accumulated_power"] = np.cumsum(rows["power"].astype(np.int64) % 0xFFFF)
        rows["fractional_cadence"] = 64
        rows["gps_accuracy"] = 3
    return rows.tobytes()


def activity_bytes(spec: Activity, *, bad_crc: bool = False) -> bytes:
    """A whole FIT activity file for `spec`."""
    rng = np.random.default_rng(spec.seed)
    start = spec.start
    body = bytearray()
    body += (
        definition(0, 0, FILE_ID)
        + b"\x00"
        + struct.pack("<BHHII", 4, 1, 3121, spec.serial + spec.seed, start)
    )
    body += definition(1, 23, DEVICE_INFO) + b"\x01" + struct.pack("<IBHHH", start, 0, 1, 3121, 950)
    first = spec.legs[0]
    body += definition(2, 12, SPORT_MSG) + b"\x02" + struct.pack("<BB", SPORT_NUMBERS[first.sport], 0)
    body += definition(3, 21, EVENT) + b"\x03" + struct.pack("<IBBI", start, 0, 0, 0)
    record_fields = RICH_RECORD if spec.rich else RECORD
    body += definition(4, 20, record_fields) + definition(5, 19, LAP) + definition(6, 18, SESSION)
    sessions = bytearray()
    t0 = start
    for index, leg in enumerate(spec.legs):
        skip: set[int] = set()
        if index == 0:
            for offset, length in spec.pauses:
                skip.update(range(offset, offset + length))
        recs = _records(t0, leg.seconds, leg, rng, skip, spec.rich)
        cursor = 0
        dtype = RICH_DTYPE if spec.rich else RECORD_DTYPE
        size = dtype.itemsize
        events: list[tuple[int, bytes]] = []
        if index == 0:
            for offset, length in spec.pauses:
                events.append((offset, b"\x03" + struct.pack("<IBBI", t0 + offset, 0, 4, 0)))
                events.append(
                    (offset + length, b"\x03" + struct.pack("<IBBI", t0 + offset + length, 0, 0, 0))
                )
        laps = [(s, b"") for s in range(spec.lap_every_s, leg.seconds, spec.lap_every_s)]
        marks = sorted(events + laps, key=lambda m: m[0])
        for second, message in marks:
            upto = sum(1 for s in range(second) if s not in skip) if skip else second
            body += recs[cursor * size : upto * size]
            cursor = upto
            if message:
                body += message
            else:
                body += b"\x05" + struct.pack(
                    "<IIIIIBB",
                    t0 + second,
                    t0 + second - spec.lap_every_s,
                    spec.lap_every_s * 1000,
                    spec.lap_every_s * 1000,
                    0,
                    9,
                    1,
                )
        body += recs[cursor * size :]
        rows = np.frombuffer(recs, dtype=dtype)
        paused = sum(length for _o, length in spec.pauses) if index == 0 else 0
        hr = rows["heart_rate"].astype(float)
        sessions += b"\x06" + struct.pack(
            "<IIIIIBBBBHb",
            t0 + leg.seconds,
            t0,
            leg.seconds * 1000,
            (leg.seconds - paused) * 1000,
            int(rows["distance"][-1]) if len(rows) else 0,
            SPORT_NUMBERS[leg.sport],
            0,
            round(hr.mean()) if len(hr) else 0xFF,
            int(hr.max()) if len(hr) else 0xFF,
            int(60 * leg.seconds / 3600),
            round(rows["temperature"].astype(float).mean()) if len(rows) else 0x7F,
        )
        t0 += leg.seconds
    end = t0
    stop = b"\x03" + struct.pack("<IBBI", end, 0, 4, 0)
    local = end + spec.utc_offset_s
    if not spec.clock_set:
        local = 1_000_000_000 + end  # the wall clock a device keeps when its UTC time is unknown
    activity = (
        definition(7, 34, ACTIVITY)
        + b"\x07"
        + struct.pack("<IIHBI", end, sum(leg.seconds for leg in spec.legs) * 1000, len(spec.legs), 0, local)
    )
    summary = bytes(sessions) if spec.with_session else b""
    if spec.summary_first:
        head, records_part = (
            bytes(body[: body.index(definition(4, 20, record_fields))]),
            bytes(body[body.index(definition(4, 20, record_fields)) :]),
        )
        # definitions first, then the summaries, then the recording (as some devices and tools write)
        defs = definition(4, 20, record_fields) + definition(5, 19, LAP) + definition(6, 18, SESSION)
        body = bytearray(head + defs + summary + records_part[len(defs) :] + stop + activity)
    else:
        body += stop + summary + activity
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", _crc(header))
    data = header + bytes(body)
    crc = _crc(data) ^ (0x5A5A if bad_crc else 0)
    return data + struct.pack("<H", crc)
