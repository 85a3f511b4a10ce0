"""A partial bundle (only new cramps, say) may link to sessions already stored for the athlete."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.services import journal
from crampwise.services.bundles import import_bundle, import_bundle_file
from crampwise.services.context import AppContext


def _partial(session_id: str) -> dict[str, Any]:
    return {
        "format": "crampwise-bundle",
        "version": 1,
        "athlete": {"name": "Ana"},
        "cramps": [
            {
                "id": "c-0100",
                "at": "2026-05-01T08:58:00+02:00",
                "muscle": "calf",
                "context": "exercise",
                "session_id": session_id,
            }
        ],
    }


def test_a_partial_bundle_links_to_a_stored_session(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(ctx, data=sample_bundle, now=now)
    stored_session = sample_bundle["sessions"][0]["id"]
    import_bundle(ctx, data=_partial(stored_session), now=now)
    history = journal.load_history(ctx, athlete="Ana")
    added = next(c for c in history.cramps if c.id == "c-0100")
    assert added.session_id == stored_session
    assert len(history.sessions) == len(sample_bundle["sessions"])  # kept, not replaced


def test_a_link_to_a_session_stored_nowhere_is_still_refused(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(ctx, data=sample_bundle, now=now)
    before = journal.load_history(ctx, athlete="Ana")
    with pytest.raises(InvalidInput, match=r"cramps\[0\]\.session_id: no session with id 's-9999'"):
        import_bundle(ctx, data=_partial("s-9999"), now=now)
    assert journal.load_history(ctx, athlete="Ana") == before


def test_a_new_athletes_partial_bundle_cannot_link_to_another_athletes_session(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    import_bundle(ctx, data=sample_bundle, now=now)
    other = _partial(sample_bundle["sessions"][0]["id"])
    other["athlete"] = {"name": "Ben"}
    with pytest.raises(InvalidInput, match="session_id"):
        import_bundle(ctx, data=other, now=now)


def test_unknown_fields_are_reported_not_stored(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime
) -> None:
    sample_bundle["sessions"][0]["colour"] = "red"
    summary = import_bundle(ctx, data=sample_bundle, now=now)
    assert summary.ignored_fields == ["sessions[0].colour"]
    assert "ignored unknown fields: sessions[0].colour" in summary.describe()
    assert summary.to_json()["ignored_fields"] == ["sessions[0].colour"]


def test_a_bundle_for_another_athlete_than_the_one_named_is_refused(
    ctx: AppContext, sample_bundle: dict[str, Any], now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    path.write_text(json.dumps(sample_bundle), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^athlete: this bundle holds 'Ana'"):
        import_bundle_file(ctx, path=path, now=now, athlete="Ben")
    assert import_bundle_file(ctx, path=path, now=now, athlete="Ana").athlete_created
