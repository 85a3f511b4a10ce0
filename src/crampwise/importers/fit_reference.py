"""The same `FitContents` read through fitdecode: the reference and the fallback.

The lean reader (`fit_lean`) must equal this on every value it keeps; tests compare the two on
every shared FIT file, and the importer falls back to this when the lean reader cannot go as
far as fitdecode in a damaged file. fitdecode runs in its lenient mode (no CRC check, parsing
errors ignored where it can go on), and whatever it yielded before a fatal error is kept.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from crampwise.importers.fit_contents import FitContents, RecordBuilder
from crampwise.importers.fit_profile import FIT_EPOCH_UNIX_S, KEPT, MESG_RECORD, MESSAGE_LISTS


def _plain(value: Any) -> Any:
    """fitdecode's value in the lean reader's terms: raw FIT seconds, no arrays, no bytes."""
    if isinstance(value, datetime):
        return int(value.timestamp()) - FIT_EPOCH_UNIX_S
    if isinstance(value, (tuple, bytes, str)):
        return None
    return value


def _first(message: Any, name: str) -> Any:
    """The first non-missing value of the fields named `name` (components included)."""
    for field in message.fields:
        if field.name == name and field.value is not None:
            return field.value
    return None


def _defined_first(message: Any, name: str) -> Any:
    """Like `_first`, but only fields the message defines (not expanded components: the
    accumulated distance of `compressed_speed_distance` is not kept)."""
    for field in message.fields:
        if field.name == name and field.field_def is not None and field.value is not None:
            return field.value
    return None


def _raw_first(message: Any, name: str) -> Any:
    for field in message.fields:
        if field.name == name:
            return field.raw_value
    return None


def decode_with_fitdecode(data: bytes) -> FitContents:
    """Decode with fitdecode into the lean reader's structure (slow: the reference)."""
    import fitdecode  # imported here: only the fallback and the tests need it

    out = FitContents(decoder="fitdecode")
    builder = RecordBuilder()
    rec = builder.lists
    segment = -1
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    try:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                segment += 1
                out.segments = segment + 1
                continue
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            num = frame.global_mesg_num
            if num == MESG_RECORD:
                ts = _plain(frame.get_value("timestamp", fallback=None))
                if ts is None:
                    continue
                rec["timestamp"].append(ts)
                hr = _plain(_first(frame, "heart_rate"))
                rec["heart_rate"].append(hr if hr else None)
                speed = _plain(_first(frame, "enhanced_speed"))
                rec["speed"].append(speed if speed is not None else _plain(_first(frame, "speed")))
                for name in ("temperature", "cadence", "power"):
                    rec[name].append(_plain(_first(frame, name)))
                rec["distance"].append(_plain(_defined_first(frame, "distance")))
                rec["segment"].append(segment)
            elif num in MESSAGE_LISTS:
                fields: dict[str, object] = {}
                for name, _scale, _off in KEPT[num].values():
                    if name in (
                        "sport",
                        "sub_sport",
                        "type",
                        "manufacturer",
                        "product",
                        "event",
                        "event_type",
                    ):
                        value = _raw_first(frame, name)
                        fields[name] = value if isinstance(value, int) else None
                    else:
                        fields[name] = _plain(frame.get_value(name, fallback=None))
                fields["segment"] = segment
                getattr(out, MESSAGE_LISTS[num]).append(fields)
    except Exception as exc:  # fitdecode stops at its first fatal error; keep what it read
        out.problem = f"{type(exc).__name__}: {exc}"
    finally:
        reader.close()
    builder.finish(out)
    return out
