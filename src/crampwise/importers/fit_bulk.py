"""Runs of FIT record messages decoded at once with numpy (the lean decoder's fast path).

A long run of record messages of one local definition whose kept fields are plain numbers is
read as one 2-D byte block and viewed per field, giving exactly the values the one-by-one path
gives (tests/importers/test_fit_equality.py compares both on every shipped file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from crampwise.importers.fit_lean import Layout


def run_length(arr: np.ndarray[Any, Any], p: int, stride: int, header: int, most: int) -> int:
    """How many messages from `p` on, `stride` bytes apart, start with the `header` byte."""
    k = 0
    step = 64
    while k < most:
        stop = min(most, k + step)
        heads = arr[p + k * stride : p + stop * stride : stride]
        bad = np.flatnonzero(heads != header)
        if bad.size:
            return k + int(bad[0])
        k = stop
        step *= 8
    return most


def decode_run(
    arr: np.ndarray[Any, Any], p: int, count: int, d: Layout, segment: int
) -> tuple[dict[str, np.ndarray[Any, Any]], int | None]:
    """`count` record messages of definition `d` from `p`, decoded at once (same values as one
    by one); returns the channels and the last valid timestamp (None when there is none)."""
    assert d.bulk is not None
    stride = 1 + d.size
    block = arr[p : p + count * stride].reshape(count, stride)
    found: dict[str, np.ndarray[Any, Any]] = {}
    stamps: np.ndarray[Any, Any] | None = None
    for name, offset, dtype, invalid, scale in d.bulk:
        width = np.dtype(dtype).itemsize
        raw = np.ascontiguousarray(block[:, 1 + offset : 1 + offset + width]).view(dtype)[:, 0]
        if name == "timestamp":
            if stamps is None:
                stamps = raw.astype(np.int64)
                stamps[raw == invalid] = -1
            continue
        values = raw.astype(np.float64)
        if invalid == "nan":
            values[np.isnan(values)] = np.nan
        else:
            values[raw == invalid] = np.nan
        if scale:
            values /= scale
        earlier = found.get(name)
        found[name] = values if earlier is None else np.where(np.isnan(earlier), values, earlier)
    assert stamps is not None
    keep = stamps >= 0
    nan = np.full(count, np.nan)
    speed = found.get("enhanced_speed", nan)
    if "speed" in found:
        speed = np.where(np.isnan(speed), found["speed"], speed)
    heart = found.get("heart_rate", nan)
    columns = {
        "timestamp": stamps,
        "heart_rate": np.where(heart == 0, np.nan, heart),  # 0 bpm: no strap
        "speed": speed,
        "temperature": found.get("temperature", nan),
        "cadence": found.get("cadence", nan),
        "power": found.get("power", nan),
        "distance": found.get("distance", nan),
        "segment": np.full(count, segment, np.int64),
    }
    if not keep.all():
        columns = {name: column[keep] for name, column in columns.items()}
    last = int(columns["timestamp"][-1]) if len(columns["timestamp"]) else None
    return columns, last
