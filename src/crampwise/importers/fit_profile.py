"""The part of the FIT profile crampwise reads: message and field numbers, base types, and the
fields kept with their scale and offset (names as fitdecode gives them).

Data only, shared by the lean decoder (`importers.fit_lean`) and its reference reading through
fitdecode (`importers.fit_reference`), so both keep exactly the same fields.
"""

from __future__ import annotations

from typing import Final

FIT_MAGIC: Final = b".FIT"
FIT_EPOCH_UNIX_S: Final = 631065600  # 1989-12-31T00:00:00Z, the FIT time origin
FIT_ABSOLUTE_TIME_MIN: Final = 0x10000000  # below: seconds since power-on, not a date

MESG_FILE_ID: Final = 0
MESG_SPORT: Final = 12
MESG_SESSION: Final = 18
MESG_RECORD: Final = 20
MESG_EVENT: Final = 21
MESG_ACTIVITY: Final = 34
TIMESTAMP: Final = 253

# base type number -> (struct code, size, invalid value or None for "NaN" / "all 0xFF")
BASE_TYPES: Final[dict[int, tuple[str, int, object]]] = {
    0x00: ("B", 1, 0xFF),
    0x01: ("b", 1, 0x7F),
    0x02: ("B", 1, 0xFF),
    0x07: ("s", 1, "string"),
    0x0A: ("B", 1, 0),
    0x0D: ("B", 1, "bytes"),
    0x83: ("h", 2, 0x7FFF),
    0x84: ("H", 2, 0xFFFF),
    0x85: ("i", 4, 0x7FFFFFFF),
    0x86: ("I", 4, 0xFFFFFFFF),
    0x88: ("f", 4, "nan"),
    0x89: ("d", 8, "nan"),
    0x8B: ("H", 2, 0),
    0x8C: ("I", 4, 0),
    0x8E: ("q", 8, 0x7FFFFFFFFFFFFFFF),
    0x8F: ("Q", 8, 0xFFFFFFFFFFFFFFFF),
    0x90: ("Q", 8, 0),
}
BYTE_TYPE: Final = 0x0D

# Kept fields: message -> field number -> (name, scale, offset). Names are fitdecode's.
KEPT: Final[dict[int, dict[int, tuple[str, float | None, float | None]]]] = {
    MESG_FILE_ID: {
        0: ("type", None, None),
        1: ("manufacturer", None, None),
        3: ("serial_number", None, None),
        4: ("time_created", None, None),
    },
    MESG_SPORT: {0: ("sport", None, None), 1: ("sub_sport", None, None)},
    MESG_EVENT: {253: ("timestamp", None, None), 0: ("event", None, None), 1: ("event_type", None, None)},
    MESG_ACTIVITY: {
        253: ("timestamp", None, None),
        0: ("total_timer_time", 1000, None),
        1: ("num_sessions", None, None),
        5: ("local_timestamp", None, None),
    },
    MESG_SESSION: {
        253: ("timestamp", None, None),
        2: ("start_time", None, None),
        5: ("sport", None, None),
        6: ("sub_sport", None, None),
        7: ("total_elapsed_time", 1000, None),
        8: ("total_timer_time", 1000, None),
        9: ("total_distance", 100, None),
        22: ("total_ascent", None, None),
        16: ("avg_heart_rate", None, None),
        17: ("max_heart_rate", None, None),
        57: ("avg_temperature", None, None),
    },
    MESG_RECORD: {
        253: ("timestamp", None, None),
        3: ("heart_rate", None, None),
        5: ("distance", 100, None),
        6: ("speed", 1000, None),
        73: ("enhanced_speed", 1000, None),
        8: ("compressed_speed_distance", None, None),
        13: ("temperature", None, None),
        4: ("cadence", None, None),
        7: ("power", None, None),
    },
}


KEPT_NAMES: Final = {mesg: tuple(spec[0] for spec in fields.values()) for mesg, fields in KEPT.items()}

RECORD_CHANNELS: Final = ("timestamp", "heart_rate", "speed", "temperature", "cadence", "power", "distance")
# Messages kept whole (by fitdecode field name), each in its own list of `FitContents`.
MESSAGE_LISTS: Final = {
    MESG_FILE_ID: "file_ids",
    MESG_SPORT: "sports",
    MESG_SESSION: "sessions",
    MESG_EVENT: "events",
    MESG_ACTIVITY: "activities",
}
