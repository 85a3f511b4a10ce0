"""The lean FIT reader equals fitdecode on every value it keeps, on every shared FIT file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crampwise.importers.fit_lean import RECORD_CHANNELS, decode
from crampwise.importers.fit_reference import decode_with_fitdecode
from tests.importers.conftest import shared_files

FIT_FILES = shared_files("fit")

pytestmark = pytest.mark.shared


@pytest.mark.skipif(not FIT_FILES, reason="shared activity files absent (../shared/data/activities)")
@pytest.mark.parametrize("path", FIT_FILES, ids=[p.name for p in FIT_FILES])
def test_lean_reader_equals_fitdecode(path: Path) -> None:
    data = path.read_bytes()
    lean = decode(data)
    reference = decode_with_fitdecode(data)
    for channel in RECORD_CHANNELS:
        assert lean.records[channel] == reference.records[channel], channel
    assert lean.record_segment == reference.record_segment
    assert lean.sessions == reference.sessions
    assert lean.file_ids == reference.file_ids
    assert lean.segments == reference.segments
    # both stop where the file breaks, or neither does
    assert (lean.problem is None) == (reference.problem is None)


def test_the_shared_set_is_all_there() -> None:
    if not FIT_FILES:
        pytest.skip("shared activity files absent (../shared/data/activities)")
    assert len(FIT_FILES) == 31
