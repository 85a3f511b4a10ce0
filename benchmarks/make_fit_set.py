"""Generate a larger synthetic FIT set (benchmarks/.data/fit-set/, git-ignored) for import_bench.

Deterministic (seeded): N rides and runs of 1 to 3 hours at 1 Hz, laid out like a Garmin
device writes them: file_id, device_info, events, records (position, distance, enhanced speed
and altitude, heart rate, cadence, power, temperature), a lap every 10 minutes, session and
activity summaries, valid header and file CRCs. About 110 kB per recorded hour.

    python benchmarks/make_fit_set.py [--files 40] [--out benchmarks/.data/fit-set]
"""

from __future__ import annotations

import argparse
import math
import random
import struct
from pathlib import Path

FIT_EPOCH_UNIX_S = 631065600
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC (FIT protocol, section 3.3.2)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def definition(local: int, mesg: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = bytes([0x40 | local, 0, 0]) + struct.pack("<HB", mesg, len(fields))
    return out + b"".join(bytes(f) for f in fields)


FILE_ID = [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C), (4, 4, 0x86)]
DEVICE_INFO = [(253, 4, 0x86), (0, 1, 0x02), (2, 2, 0x84), (4, 2, 0x84), (5, 2, 0x84), (3, 4, 0x8C)]
EVENT = [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00), (3, 4, 0x86)]
RECORD = [
    (253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (73, 4, 0x86),
    (78, 4, 0x86), (3, 1, 0x02), (4, 1, 0x02), (7, 2, 0x84), (13, 1, 0x01),
]  # fmt: skip
LAP = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)]
SESSION = [
    (253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (5, 1, 0x00),
    (6, 1, 0x00), (16, 1, 0x02), (17, 1, 0x02), (22, 2, 0x84), (57, 1, 0x01),
]  # fmt: skip
ACTIVITY = [(253, 4, 0x86), (0, 4, 0x86), (1, 2, 0x84), (2, 1, 0x00)]


def activity(seed: int) -> bytes:
    rng = random.Random(seed)
    ride = seed % 2 == 0
    seconds = rng.randint(3600, 3 * 3600)
    start = 1_000_000_000 + seed * 86_400  # FIT seconds, 2021 onwards
    body = bytearray()
    body += definition(0, 0, FILE_ID) + b"\x00" + struct.pack("<BHHII", 4, 1, 3121, 3_000_000 + seed, start)
    body += definition(1, 23, DEVICE_INFO)
    for index in range(3):
        body += b"\x01" + struct.pack("<IBHHHI", start, index, 1, 3121, 950 + index, 3_000_000 + seed)
    body += definition(2, 21, EVENT) + b"\x02" + struct.pack("<IBBI", start, 0, 0, 0)
    body += definition(3, 20, RECORD)
    body += definition(4, 19, LAP)
    lat, lon, dist, alt = 46.0, 14.5, 0.0, 400.0
    speed_base = 8.0 if ride else 3.2
    hr_sum = hr_max = ascent = 0
    temps: list[int] = []
    lap_start, lap_dist = start, 0.0
    for t in range(seconds):
        speed = max(0.0, speed_base + math.sin(t / 300) * 1.5 + rng.gauss(0, 0.2))
        dist += speed
        heading = t / 900
        lat += speed * math.cos(heading) / 111_000
        lon += speed * math.sin(heading) / 78_000
        climb = math.sin(t / 700) * 0.3
        alt += climb
        ascent += max(0.0, climb)
        hr = int(120 + 30 * (t / seconds) + 10 * math.sin(t / 200) + rng.gauss(0, 2))
        hr_sum += hr
        hr_max = max(hr_max, hr)
        temp = int(18 + 8 * t / seconds)
        temps.append(temp)
        cadence = int(85 + rng.gauss(0, 3)) if ride else int(88 + rng.gauss(0, 2))
        power = int(200 + 40 * math.sin(t / 120) + rng.gauss(0, 10)) if ride else 0xFFFF
        body += b"\x03" + struct.pack(
            "<IiiIIIBBHb",
            start + t,
            int(lat * 2**31 / 180),
            int(lon * 2**31 / 180),
            int(dist * 100),
            int(speed * 1000),
            int((alt + 500) * 5),
            max(0, min(hr, 254)),
            cadence,
            power,
            temp,
        )
        if t and t % 600 == 0:
            body += b"\x04" + struct.pack(
                "<IIIIIBB",
                start + t,
                lap_start,
                (t - (lap_start - start)) * 1000,
                0,
                int((dist - lap_dist) * 100),
                9,
                1,
            )
            lap_start, lap_dist = start + t, dist
    end = start + seconds
    body += b"\x02" + struct.pack("<IBBI", end, 0, 4, 0)
    body += (
        definition(5, 18, SESSION)
        + b"\x05"
        + struct.pack(
            "<IIIIIBBBBHb",
            end,
            start,
            seconds * 1000,
            seconds * 1000,
            int(dist * 100),
            2 if ride else 1,
            0,
            hr_sum // seconds,
            min(hr_max, 254),
            int(ascent),
            round(sum(temps) / len(temps)),
        )
    )
    body += definition(6, 34, ACTIVITY) + b"\x06" + struct.pack("<IIHB", end, seconds * 1000, 1, 0)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    data = header + bytes(body)
    return data + struct.pack("<H", crc16(data))


def generate(out: Path, files: int) -> list[Path]:
    """Write the set if missing (kept between runs) and return its paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(files):
        path = out / f"synthetic-{seed:04d}.fit"
        if not path.exists():
            path.write_bytes(activity(seed))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(".data") / "fit-set")
    args = parser.parse_args()
    paths = generate(args.out, args.files)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} FIT files, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
