"""A session's recording carried in a bundle: the optional `recordings` part (bundle v1 addition).

Imported sessions keep their second-by-second recording (heart rate, speed...) in the store, and
`show cramp` needs it. A bundle written with recordings carries each one as the store keeps it:
the compressed `cw1` block (docs/import.md), base64-encoded, with its session's id. A v1 reader
that does not know `recordings` sets it aside and names it, as the contract asks of additions.

Standard library and Pydantic only.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from crampwise.domain.records import MAX_SESSION_S, Number, Record, RecordId

RECORDINGS_KEY = "recordings"


class Recording(Record):
    """One session's recording: `data` is the base64 of the store's `cw1` block."""

    session_id: RecordId
    format: Literal["cw1"] = "cw1"
    source_format: Annotated[str, Field(max_length=16)] | None = None
    n_samples: Annotated[int, Field(ge=0, le=10_000_000)]
    start: AwareDatetime
    duration_s: Annotated[Number, Field(gt=0, le=MAX_SESSION_S)]
    distance_m: Annotated[Number, Field(ge=0, le=2_000_000)] | None = None
    data: Annotated[str, Field(min_length=1)]
