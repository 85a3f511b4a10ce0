"""What the lean FIT decoder keeps from a byte stream: `FitContents`, built as it decodes by
`RecordBuilder` (Python lists for single record messages, numpy chunks for runs decoded in bulk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crampwise.importers.fit_profile import RECORD_CHANNELS


class FitStructureError(Exception):
    """The byte stream is not FIT where it should be (kept for callers that want to raise)."""


@dataclass
class FitContents:
    """What the reader kept from one FIT byte stream (all chained segments).

    `file_ids`, `sports`, `sessions`, `events` and `activities` hold fitdecode-equal values by
    fitdecode field name (timestamps as raw FIT seconds), each with the index of its chained
    segment under `"segment"`. `records` holds one numpy array per channel of
    `RECORD_CHANNELS` (timestamps int64; the others float64, NaN = missing), plus
    `record_segment`; `values(name)` gives a channel as a list with None for missing. `crc_errors` lists the segments whose header or
    file CRC does not match (FIT protocol 3.3.2), checked for every segment read to its end.
    """

    file_ids: list[dict[str, object]] = field(default_factory=list)
    sports: list[dict[str, object]] = field(default_factory=list)
    sessions: list[dict[str, object]] = field(default_factory=list)
    events: list[dict[str, object]] = field(default_factory=list)
    activities: list[dict[str, object]] = field(default_factory=list)
    records: dict[str, np.ndarray[Any, Any]] = field(default_factory=lambda: _empty_records())
    record_segment: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, np.int64))
    segments: int = 0
    problem: str | None = None
    bytes_read: int = 0
    decoder: str = "lean"
    crc_errors: list[str] = field(default_factory=list)

    def values(self, name: str) -> list[float | int | None]:
        """One record channel as plain values, None where missing (for reading and tests)."""
        column = self.records[name]
        if column.dtype.kind == "i":
            return [int(v) for v in column]
        return [None if v != v else (int(v) if v.is_integer() else v) for v in column.tolist()]


def _empty_records() -> dict[str, np.ndarray[Any, Any]]:
    return {name: np.zeros(0, np.int64 if name == "timestamp" else np.float64) for name in RECORD_CHANNELS}


class RecordBuilder:
    """Record channels as they are decoded: Python lists for single messages, numpy chunks
    for runs decoded in bulk; `finish` joins them into `FitContents.records`."""

    def __init__(self) -> None:
        self.lists: dict[str, list[Any]] = {name: [] for name in (*RECORD_CHANNELS, "segment")}
        self.chunks: dict[str, list[np.ndarray[Any, Any]]] = {name: [] for name in self.lists}

    def flush(self) -> None:
        for name, values in self.lists.items():
            if values:
                kind = np.int64 if name in ("timestamp", "segment") else np.float64
                self.chunks[name].append(np.array(values, dtype=kind))
                values.clear()  # the decoder holds these lists: keep the same objects

    def add(self, columns: dict[str, np.ndarray[Any, Any]]) -> None:
        self.flush()
        for name, column in columns.items():
            self.chunks[name].append(column)

    def finish(self, out: FitContents) -> None:
        self.flush()
        for name in RECORD_CHANNELS:
            chunks = self.chunks[name]
            out.records[name] = np.concatenate(chunks) if chunks else out.records[name]
        segments = self.chunks["segment"]
        out.record_segment = np.concatenate(segments) if segments else out.record_segment
