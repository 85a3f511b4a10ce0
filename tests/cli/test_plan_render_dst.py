"""The plan's terminal schedule shows real clock times across a daylight-saving change."""

from __future__ import annotations

import pytest

from crampwise.cli.app import run_app
from crampwise.config import Settings


def test_schedule_skips_the_hour_that_does_not_exist(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    db = settings.database_url
    assert (
        run_app(["--db", db, "athlete", "add", "Ana", "--timezone", "Europe/Madrid", "--body-mass", "60kg"])
        == 0
    )
    capsys.readouterr()
    # Clocks jump from 02:00 to 03:00 that night; drinks are every 15 or 20 minutes.
    code = run_app(["--db", db, "plan", "--sport", "run", "--duration", "2h", "--temperature", "24",
                    "--rpe", "7", "--date", "2027-03-28T01:30"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "03:" in out
    assert " 02:" not in out and "│ 02:" not in out
