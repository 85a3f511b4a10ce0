"""`crampwise insights` and `crampwise demo` end to end through the app, on a temp store."""

from __future__ import annotations

import json

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.insights import chance, forest_line, number
from crampwise.config import Settings
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_app(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(settings: Settings, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "--db", settings.database_url, "demo")
    assert code == 0, err
    assert out.startswith(
        f"Created the demo athlete in {settings.database_url}: Demo Runner (new athlete): sessions"
    )
    return settings.database_url


def test_demo_twice_changes_nothing(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "demo")
    assert code == 0
    assert out == (
        "The demo athlete 'Demo Runner' already exists; nothing changed. "
        f"Try: crampwise --db {demo_db} --athlete 'Demo Runner' insights\n"
    )
    code, out, _ = run(capsys, "--db", demo_db, "demo", "--json")
    assert json.loads(out) == {"athlete": "Demo Runner", "created": False, "import": None, "store": demo_db}


def test_insights_json_is_one_contract_document(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", demo_db, "insights", "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["athlete"] == "Demo Runner"
    assert {"n_sessions", "n_session_cramps", "n_days", "n_rest_cramp_days", "factors", "summary"} <= set(doc)
    assert len(doc["factors"]) == 13
    assert {
        "factor",
        "level",
        "odds_ratio",
        "ci95",
        "p",
        "q",
        "exposed",
        "unexposed",
        "verdict",
        "sources",
    } <= set(doc["factors"][0])


def test_insights_reads_clearly(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "--athlete", "Demo Runner", "insights")
    assert code == 0
    assert "Cramp insights for Demo Runner" in out
    assert "Cramps during or after exercise, per session" in out
    assert "Odds ratios with 95 % intervals" in out and "●" in out
    assert "P(OR>1)" in out and "how sure the" in out
    assert "What it says" in out and "Likely trigger" in out
    assert "not proof of cause" in out
    assert "dehydration †" in out and "Contested evidence" in out


def test_insights_without_data_and_without_a_chosen_athlete(
    ctx: AppContext, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    add_athlete(ctx, data={"name": "Ana"}, default=False)
    code, out, _ = run(capsys, "--db", settings.database_url, "insights")
    assert code == 0 and "Nothing to analyse yet" in out
    add_athlete(ctx, data={"name": "Bo"}, default=False)
    code, out, err = run(capsys, "--db", settings.database_url, "insights", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Ana" in err and "Bo" in err


def test_forest_line_places_estimate_interval_and_one() -> None:
    line = forest_line(4.0, 1.5, 12.0)
    assert line.index("●") > line.index("│") and "─" in line
    assert forest_line(1.0, 0.05, 30.0).startswith("<") and forest_line(1.0, 0.05, 30.0).endswith(">")
    assert [number(v) for v in (0.031, 0.94, 4.56, 14.2)] == ["0.031", "0.94", "4.6", "14"]


def test_a_posterior_probability_never_reads_as_a_certainty() -> None:
    assert [chance(p) for p in (0.9996, 0.999, 0.995, 0.99, 0.62, 0.01, 0.004, 0.0004)] == [
        ">99.9 %",
        ">99.9 %",
        "99.5 %",
        "99 %",
        "62 %",
        "1 %",
        "0.4 %",
        "<0.1 %",
    ]


def test_plan_now_carries_a_risk(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", demo_db, "plan", "--sport", "run", "--duration", "3h", "--temperature", "28", "--json"
    )
    assert code == 0
    risk = json.loads(out)["risk"]
    assert risk["level"] in {"low", "elevated", "high"} and "long_session" in risk["drivers"]


def test_insights_read_plainly_at_80_columns(
    demo_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: verdicts cut off at 80 columns, OR and intervals unexplained, 0.4-88500 as numbers."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "--db", demo_db, "insights")
    assert code == 0
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "How to read it: an odds ratio (OR) of 2 means" in out
    from crampwise.cli.insights import number, uninformative

    _, document, _ = run(capsys, "--db", demo_db, "insights", "--json")
    vague = [
        f for f in json.loads(document)["factors"] if f["odds_ratio"] is not None and uninformative(f["ci95"])
    ]
    assert vague, "the demo has a factor with a uselessly wide interval"
    for factor in vague:
        [row] = [line for line in out.splitlines() if line.startswith(f" {factor['factor']} ") and
                 f"{factor['exposed']['with_cramp']}/{factor['exposed']['n']}" in line]  # fmt: skip
        assert "too wide" in row and f"{number(factor['ci95'][0])}-" not in row
    bullets = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets))


def test_uninformative_intervals_are_those_spanning_a_hundredfold() -> None:
    from crampwise.cli.insights import uninformative

    assert uninformative((0.4, 88500)) and uninformative(None) and uninformative((0.0, 3.0))
    assert not uninformative((0.2, 20.0))  # exactly a hundredfold still says something
    assert uninformative((0.2, 20.02))
