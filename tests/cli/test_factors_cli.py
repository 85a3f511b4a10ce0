"""`crampwise factor ...` and `--tag`/`--untag` (issue 16): exact output, errors naming the flag."""

from __future__ import annotations

import json

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.entry import hoist_global_options
from crampwise.config import Settings
from tests.cli.test_journal_cli import Result, add_ana, bad, ok


@pytest.fixture
def cw(store_settings: Settings, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """crampwise on the test's store, as in test_journal_cli: `cw(...) -> (code, out, err)`."""

    def run(*args: str) -> Result:
        code = run_app(hoist_global_options(["--db", store_settings.database_url, *args]))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def with_factors(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    assert ok(cw("factor", "add", "New-Shoes", "--level", "session")) == (
        "Added session factor new_shoes (yes/no). Tag it with: crampwise log session --tag new_shoes\n"
    )
    ok(cw("factor", "add", "caffeine_mg", "--level", "day", "--kind", "number"))


def test_factor_names_levels_and_kinds_are_checked(cw) -> None:  # type: ignore[no-untyped-def]
    with_factors(cw)
    assert bad(cw("factor", "add", "heat", "--level", "day")) == (
        "NAME: 'heat' is one of crampwise's own factors; pick another name"
    )
    assert (
        bad(cw("factor", "add", "new_shoes", "--level", "day"))
        == "NAME: Ana already has a factor named new_shoes"
    )
    assert bad(cw("factor", "add", "coffee", "--level", "week")).startswith("--level: unknown value 'week'")
    assert bad(cw("factor", "add", "coffee", "--level", "day", "--kind", "many")).startswith("--kind: ")
    assert bad(cw("factor", "add", "9lives", "--level", "day")).startswith(
        "NAME: '9lives' is not a factor name"
    )
    listed = json.loads(ok(cw("factor", "list", "--json")))
    assert listed == [
        {"name": "caffeine_mg", "level": "day", "kind": "number", "tagged": 0, "exposed": 0},
        {"name": "new_shoes", "level": "session", "kind": "yes_no", "tagged": 0, "exposed": 0},
    ]


def test_tags_on_log_and_edit_and_bad_tags_write_nothing(cw) -> None:  # type: ignore[no-untyped-def]
    with_factors(cw)
    session = json.loads(
        ok(cw("log", "session", "--sport", "run", "--duration", "1h", "--tag", "new-shoes", "--json"))
    )
    assert session["tags"] == {"new_shoes": True}
    other = json.loads(ok(cw("log", "session", "--sport", "run", "--duration", "40m", "--json")))
    assert other["tags"] == {"new_shoes": False}  # an untagged yes/no factor of a new record is a no
    day = json.loads(ok(cw("log", "day", "--date", "2026-05-01", "--tag", "caffeine_mg=200", "--json")))
    assert day["tags"] == {"caffeine_mg": 200}
    assert bad(cw("log", "day", "--date", "2026-05-02", "--tag", "caffeine=3")) == (
        "--tag: no factor named 'caffeine'; your day factors: caffeine_mg "
        "(add one with: crampwise factor add caffeine --level day)"
    )
    assert bad(cw("log", "session", "--sport", "run", "--duration", "1h", "--tag", "caffeine_mg=3")) == (
        "--tag: caffeine_mg is a day factor; tag it on a day, not a session"
    )
    assert bad(cw("log", "session", "--sport", "run", "--duration", "1h", "--tag", "new_shoes=3")) == (
        "--tag: new_shoes is a yes/no factor; write new_shoes or new_shoes=no, not '3'"
    )
    assert bad(cw("log", "day", "--date", "2026-05-03", "--tag", "caffeine_mg")) == (
        "--tag: caffeine_mg is a number factor; give its value, e.g. caffeine_mg=3"
    )
    assert len(json.loads(ok(cw("list", "sessions", "--json")))) == 2
    assert [d["date"] for d in json.loads(ok(cw("list", "days", "--json")))] == ["2026-05-01"]
    edited = json.loads(ok(cw("edit", "session", "s-0002", "--tag", "new_shoes", "--json")))
    assert edited["tags"] == {"new_shoes": True}
    edited = json.loads(ok(cw("edit", "day", "2026-05-01", "--untag", "caffeine-mg", "--json")))
    assert edited["tags"] == {}
    assert bad(cw("edit", "day", "2026-05-01", "--untag", "sugar")).startswith(
        "--untag: no factor named 'sugar'"
    )


def test_rename_and_remove_follow_the_tags(cw) -> None:  # type: ignore[no-untyped-def]
    with_factors(cw)
    ok(cw("log", "session", "--sport", "run", "--duration", "1h", "--tag", "new-shoes"))
    assert ok(cw("factor", "rename", "new_shoes", "trail-shoes")) == (
        "Renamed new_shoes to trail_shoes (1 records retagged).\n"
    )
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert session["tags"] == {"trail_shoes": True}
    assert bad(cw("factor", "remove", "trail_shoes")) == (
        "--yes: removing trail_shoes and its tags on 1 records is not undone; add --yes to remove it"
    )
    assert (
        ok(cw("factor", "remove", "trail_shoes", "--yes"))
        == "Removed factor trail_shoes (1 records untagged).\n"
    )
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert session["tags"] == {}
    assert bad(cw("factor", "remove", "trail_shoes")) == (
        "factor: Ana has no factor named 'trail_shoes'; their factors: caffeine_mg"
    )
