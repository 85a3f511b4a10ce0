"""The lean FIT reader on synthetic bytes: layouts the shared files do not all cover."""

from __future__ import annotations

import io
import struct

from crampwise.importers.fit import parse_fit
from crampwise.importers.fit_lean import decode
from crampwise.importers.fit_profile import FIT_EPOCH_UNIX_S

T0 = 1_000_000_000  # FIT seconds: 2021-09-09


def header(body: bytes) -> bytes:
    return struct.pack("<BBHI4s", 12, 0x10, 2100, len(body), b".FIT")


def definition(
    local: int, mesg: int, fields: list[tuple[int, int, int]], *, big: bool = False, dev: int = 0
) -> bytes:
    out = bytes([0x40 | local | (0x20 if dev else 0), 0, 1 if big else 0])
    out += struct.pack(">H" if big else "<H", mesg) + bytes([len(fields)])
    out += b"".join(bytes(f) for f in fields)
    if dev:
        out += bytes([1, 0, dev, 0])  # one developer field of `dev` bytes
    return out


def fit(*chunks: bytes) -> bytes:
    body = b"".join(chunks)
    return header(body) + body + b"\x00\x00"


RECORD_FIELDS = [(253, 4, 0x86), (3, 1, 0x02), (6, 2, 0x84), (13, 1, 0x01), (4, 1, 0x02), (7, 2, 0x84)]


def record(ts: int, hr: int, speed_mm_s: int, temp: int, cad: int, power: int, *, big: bool = False) -> bytes:
    e = ">" if big else "<"
    return b"\x00" + struct.pack(f"{e}IBHbBH", ts, hr, speed_mm_s, temp, cad, power)


def test_reads_records_with_scale_and_invalid_sentinels() -> None:
    data = fit(
        definition(0, 20, RECORD_FIELDS),
        record(T0, 150, 3250, 21, 88, 250),
        record(T0 + 1, 0xFF, 0xFFFF, 0x7F, 0xFF, 0xFFFF),
        record(T0 + 2, 0, 1000, -5, 90, 0),
    )
    out = decode(data)
    assert out.problem is None
    assert out.values("timestamp") == [T0, T0 + 1, T0 + 2]
    assert out.values("heart_rate") == [150, None, None]  # 0 bpm is "no strap"
    assert out.values("speed") == [3.25, None, 1.0]
    assert out.values("temperature") == [21, None, -5]
    assert out.values("power") == [250, None, 0]


def test_big_endian_definitions() -> None:
    out = decode(
        fit(definition(0, 20, RECORD_FIELDS, big=True), record(T0, 140, 2000, 10, 80, 100, big=True))
    )
    assert out.values("heart_rate") == [140]
    assert out.values("speed") == [2.0]


def test_developer_fields_are_skipped() -> None:
    rec = record(T0, 140, 2000, 10, 80, 100) + b"\xaa\xbb\xcc"
    out = decode(fit(definition(0, 20, RECORD_FIELDS, dev=3), rec, rec))
    assert out.problem is None
    assert out.values("heart_rate") == [140, 140]


def test_compressed_timestamp_headers_roll_over() -> None:
    ts_def = definition(0, 20, [(253, 4, 0x86)])
    hr_def = definition(1, 20, [(3, 1, 0x02)])
    base = T0 - (T0 % 32) + 30  # offset 30 in the 5-bit window
    out = decode(
        fit(
            ts_def,
            hr_def,
            b"\x00" + struct.pack("<I", base),
            bytes([0x80 | (1 << 5) | 31, 120]),
            bytes([0x80 | (1 << 5) | 2, 121]),
        )
    )
    assert out.values("timestamp") == [base, base + 1, base + 4]
    assert out.values("heart_rate") == [None, 120, 121]


def test_misaligned_field_is_read_as_bytes_and_not_kept() -> None:
    fields = [(253, 4, 0x86), (7, 3, 0x84)]  # power: 3 bytes for a uint16
    out = decode(fit(definition(0, 20, fields), b"\x00" + struct.pack("<I", T0) + b"\x10\x00\x00"))
    assert out.values("power") == [None]
    assert out.values("timestamp") == [T0]


def test_undefined_local_message_stops_with_a_problem() -> None:
    out = decode(fit(definition(0, 20, RECORD_FIELDS), record(T0, 150, 0, 0, 0, 0), b"\x05\x00\x00"))
    assert out.values("heart_rate") == [150]
    assert out.problem is not None and "undefined local message 5" in out.problem


def test_truncation_keeps_what_was_read() -> None:
    data = fit(definition(0, 20, RECORD_FIELDS), record(T0, 150, 0, 0, 0, 0), record(T0 + 1, 151, 0, 0, 0, 0))
    out = decode(data[:-8])
    assert out.values("heart_rate") == [150]
    assert out.problem is not None and "truncated" in out.problem


def test_chained_segments_reset_definitions() -> None:
    one = fit(definition(0, 20, RECORD_FIELDS), record(T0, 150, 0, 0, 0, 0))
    two = fit(definition(0, 20, [(253, 4, 0x86), (3, 1, 0x02)]), b"\x00" + struct.pack("<IB", T0 + 5, 99))
    out = decode(one + two)
    assert out.segments == 2
    assert out.values("heart_rate") == [150, 99]
    assert out.record_segment.tolist() == [0, 1]


def test_not_fit_and_empty() -> None:
    assert decode(b"").problem is None and decode(b"").segments == 0
    assert decode(b"<gpx></gpx> and more bytes").problem is not None
    assert FIT_EPOCH_UNIX_S == 631065600


SESSION_FIELDS = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (5, 1, 0x00), (16, 1, 0x02)]
FILE_ID_FIELDS = [(0, 1, 0x00), (4, 4, 0x86)]


def test_huge_but_valid_file_imports_whole() -> None:
    from crampwise.importers.registry import parse_bytes

    hours = 40  # under the contract's 48 h, about 1.7 MB
    n = hours * 3600
    records = b"".join(record(T0 + t, 120 + t % 40, 3000, 15, 85, 0xFFFF) for t in range(n))
    data = fit(
        definition(1, 0, FILE_ID_FIELDS),
        b"\x01" + struct.pack("<BI", 4, T0),
        definition(0, 20, RECORD_FIELDS),
        records,
        definition(2, 18, SESSION_FIELDS),
        b"\x02" + struct.pack("<IIIBB", T0 + n, T0, n * 1000, 1, 139),
    )
    assert len(data) > 1_000_000
    (run,) = parse_bytes(data).activities
    assert run.duration_s == n and len(run.series) == n and run.avg_hr == 139


def test_settings_file_is_skipped() -> None:
    from crampwise.importers.model import ImportProblem
    from crampwise.importers.registry import parse_bytes

    data = fit(definition(1, 0, FILE_ID_FIELDS), b"\x01" + struct.pack("<BI", 2, T0))
    try:
        parse_bytes(data)
    except ImportProblem as problem:
        assert problem.status == "skipped" and "settings" in problem.reason
    else:
        raise AssertionError("a settings file must be skipped")


BARE_SESSION_FIELDS = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (5, 1, 0x00)]


def bare_session(ts: int, start: int, elapsed_s: int, sport: int, *avg_temp: int) -> bytes:
    return (
        b"\x01" + struct.pack("<IIIB", ts, start, elapsed_s * 1000, sport) + bytes(b & 0xFF for b in avg_temp)
    )


def test_session_temperature_falls_back_to_the_records_mean() -> None:
    """Edge 500 / Edge 810: no avg_temperature in the session, only per-record temperatures."""
    records = [record(T0 + i, 140, 3000, t, 85, 200) for i, t in enumerate((20, 22, 24, 0x7F))]
    without = fit(
        definition(0, 20, RECORD_FIELDS),
        *records,
        definition(1, 18, BARE_SESSION_FIELDS),
        bare_session(T0 + 4, T0, 4, 2),
    )
    (ride,) = parse_fit(io.BytesIO(without)).activities
    assert ride.temperature_c == 22.0  # mean of 20, 22, 24 (one second each; the invalid one left out)
    with_avg = fit(
        definition(0, 20, RECORD_FIELDS),
        *records,
        definition(1, 18, [*BARE_SESSION_FIELDS, (57, 1, 0x01)]),
        bare_session(T0 + 4, T0, 4, 2, 30),
    )
    (ride,) = parse_fit(io.BytesIO(with_avg)).activities
    assert ride.temperature_c == 30.0  # the session's own average wins
