"""The lean FIT reader equals fitdecode on every value it keeps, on every shared FIT file and on
the FIT files shipped in tests/data (so a clone without ../shared still checks the decoder)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from crampwise.importers.fit_lean import decode
from crampwise.importers.fit_profile import RECORD_CHANNELS
from crampwise.importers.fit_reference import decode_with_fitdecode
from tests.importers.conftest import shared_files

FIT_FILES = shared_files("fit")
SHIPPED = sorted((Path(__file__).resolve().parents[1] / "data" / "fit").glob("*.fit"))
ALL = [pytest.param(p, marks=pytest.mark.shared, id=f"shared/{p.name}") for p in FIT_FILES] + [
    pytest.param(p, id=f"shipped/{p.name}") for p in SHIPPED
]


def test_files_are_shipped_for_the_decoder() -> None:
    assert len(SHIPPED) >= 15


@pytest.mark.parametrize("path", ALL)
def test_lean_reader_equals_fitdecode(path: Path) -> None:
    data = path.read_bytes()
    lean = decode(data)
    reference = decode_with_fitdecode(data)
    for channel in RECORD_CHANNELS:
        assert lean.records[channel].dtype == reference.records[channel].dtype, channel
        assert np.array_equal(lean.records[channel], reference.records[channel], equal_nan=True), channel
    assert np.array_equal(lean.record_segment, reference.record_segment)
    assert lean.sessions == reference.sessions
    assert lean.file_ids == reference.file_ids
    assert lean.sports == reference.sports
    assert lean.events == reference.events
    assert lean.activities == reference.activities
    assert lean.segments == reference.segments
    # both stop where the file breaks, or neither does
    assert (lean.problem is None) == (reference.problem is None)


@pytest.mark.shared
def test_the_shared_set_is_all_there() -> None:
    if not FIT_FILES:
        pytest.skip("shared activity files absent (../shared/data/activities)")
    assert len(FIT_FILES) == 31


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_bulk_decoding_equals_decoding_one_message_at_a_time(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampwise.importers import fit_lean

    data = path.read_bytes()
    bulk = decode(data)
    monkeypatch.setattr(fit_lean, "BULK_MIN_RUN", 10**9)
    single = decode(data)
    for channel in RECORD_CHANNELS:
        assert np.array_equal(bulk.records[channel], single.records[channel], equal_nan=True), channel
    assert np.array_equal(bulk.record_segment, single.record_segment)
    assert (bulk.sessions, bulk.events, bulk.problem, bulk.bytes_read) == (
        single.sessions,
        single.events,
        single.problem,
        single.bytes_read,
    )
