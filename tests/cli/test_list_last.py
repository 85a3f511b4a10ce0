"""`crampwise list KIND --last N` keeps the N most recent records, in text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from crampwise.cli.app import run_app
from crampwise.config import Settings


@pytest.fixture
def db(settings: Settings) -> str:
    assert run_app(["--db", settings.database_url, "athlete", "add", "Ana", "--timezone", "UTC"]) == 0
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    for day in range(4):
        at = (start + timedelta(days=day)).isoformat()
        assert (
            run_app(
                [
                    "--db",
                    settings.database_url,
                    "log",
                    "cramp",
                    "--muscle",
                    "calf",
                    "--context",
                    "rest",
                    "--at",
                    at,
                ]
            )
            == 0
        )
    return settings.database_url


def test_last_keeps_the_most_recent(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run_app(["--db", db, "list", "cramps", "--last", "2", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["at"][:10] for r in records] == ["2026-05-03", "2026-05-04"]
    assert run_app(["--db", db, "list", "cramps", "--last", "1"]) == 0
    text = capsys.readouterr().out
    assert "2026-05-04" in text and "2026-05-03" not in text


def test_last_must_be_positive(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run_app(["--db", db, "list", "cramps", "--last", "0"]) == 2
    assert "--last" in capsys.readouterr().err
