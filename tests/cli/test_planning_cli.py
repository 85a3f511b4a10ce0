"""`crampwise plan` and `crampwise sweat` end to end through the app, on a temp store."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.config import Settings
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete, load_history, log_session


@pytest.fixture
def db(ctx: AppContext, settings: Settings, now: datetime) -> str:
    add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    for i, (rate, temp) in enumerate([(0.9, 18), (1.1, 24), (1.3, 29)]):
        log_session(
            ctx,
            athlete=None,
            data={
                "start": (now - timedelta(days=10 - i)).isoformat(),
                "sport": "run",
                "duration_s": 3600,
                "rpe": 6,
                "temperature_c": temp,
                "pre_mass_kg": 61.5,
                "post_mass_kg": round(61.5 - rate + 0.5, 2),
                "fluid_ml": 500,
            },
            now=now,
        )
    return settings.database_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_app(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_json_is_one_document_per_the_contract(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--db",
        db,
        "plan",
        "--sport",
        "run",
        "--duration",
        "3h",
        "--temperature",
        "28",
        "--rpe",
        "6",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["session"]["sport"] == "run"
    assert doc["session"]["duration_s"] == 10800
    assert doc["session"]["temperature_c"] == 28
    assert doc["session"]["rpe"] == 6
    assert doc["sweat_rate_l_per_h"]["basis"] == "personal"
    assert doc["sweat_rate_l_per_h"]["n_tests"] == 3
    low, high = doc["fluid_ml_per_h"]
    assert low <= high <= doc["fluid_ml_per_h_max"] <= doc["sweat_rate_l_per_h"]["estimate"] * 1000 + 5
    # Issue 10: under 10 logged cramps no probability; the marathon cohort's band for a 3 h run.
    assert doc["risk"]["probability"] is None and doc["risk"]["level"] == "elevated"
    assert "martinez_navarro2022" in doc["risk"]["sources"] and isinstance(doc["risk"]["drivers"], list)
    assert doc["sources"]


def test_plan_reads_clearly_in_the_terminal(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--db", db, "plan", "--sport", "run", "--duration", "3h", "--temperature", "82F"
    )
    assert code == 0, err
    for text in (
        "Plan for Ana",
        "Sweat rate",
        "Fluid",
        "never more than",
        "Sodium",
        "Warm-up",
        "Checklist",
        "Cramp risk",
    ):
        assert text in out
    assert "27.8C" in out  # 82F read and shown in the athlete's (metric) units
    assert "sawka2007_acsm" in out


def test_imperial_athlete_sees_ounces(
    ctx: AppContext, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    add_athlete(ctx, data={"name": "Bo", "body_mass_kg": 80, "units": "imperial"})
    code, out, err = run(
        capsys,
        "--db",
        settings.database_url,
        "plan",
        "--sport",
        "ride",
        "--duration",
        "2h",
        "--temperature",
        "30C",  # explicit: a bare 30 is 30 F for this athlete
    )
    assert code == 0, err
    assert "oz" in out and "lb" in out and "86F" in out


@pytest.mark.parametrize(("given", "seconds"), [("90", 5400), ("90m", 5400), ("1h30m", 5400), ("3h", 10800)])
def test_a_bare_duration_is_minutes_as_in_log_session(
    db: str, capsys: pytest.CaptureFixture[str], given: str, seconds: int
) -> None:
    code, out, err = run(
        capsys, "--db", db, "plan", "--sport", "run", "--duration", given, "--temperature", "20", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["session"]["duration_s"] == seconds


@pytest.mark.parametrize("given", ["0", "3000", "abc"])
def test_a_bad_duration_says_what_a_bare_number_means(
    db: str, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    code, out, err = run(
        capsys, "--db", db, "plan", "--sport", "run", "--duration", given, "--temperature", "20"
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("crampwise: error: --duration:") and "a bare number is minutes" in err


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--sport", "curling", "--duration", "1h", "--temperature", "20"], "--sport"),
        (["--sport", "run", "--duration", "0", "--temperature", "20"], "--duration"),
        (["--sport", "run", "--duration", "60h", "--temperature", "20"], "--duration"),
        (["--sport", "run", "--duration", "1h", "--temperature", "90"], "--temperature: 90 °C is hotter"),
        (["--sport", "run", "--duration", "1h", "--temperature", "65C"], "--temperature"),
        (["--sport", "run", "--duration", "1h"], "--temperature: required"),
        (["--sport", "run", "--duration", "1h", "--temperature", "20", "--date", "June"], "--date"),
        (
            ["--sport", "run", "--duration", "1h", "--temperature", "20", "--rpe", "12"],
            "--rpe: 12 is outside",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    code, out, err = run(capsys, "--db", db, "plan", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"crampwise: error: {field}")


def test_missing_body_mass_explains_the_fix(
    ctx: AppContext, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    add_athlete(ctx, data={"name": "Cy"})
    code, _, err = run(
        capsys,
        "--db",
        settings.database_url,
        "plan",
        "--sport",
        "run",
        "--duration",
        "1h",
        "--temperature",
        "20",
    )
    assert code == 2
    assert "crampwise athlete set --body-mass" in err
    assert err.count("\n") == 1


def test_exports_calendar_and_csv(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ics, table = tmp_path / "plan.ics", tmp_path / "plan.csv"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "plan",
        "--sport",
        "run",
        "--duration",
        "2h",
        "--temperature",
        "25",
        "--date",
        "2026-06-07T08:00",
        "--ics",
        str(ics),
        "--csv",
        str(table),
    )
    assert code == 0, err
    text = ics.read_text()
    rows = list(csv.DictReader(table.open()))
    assert text.count("BEGIN:VEVENT") == len(rows) > 0
    assert rows[0]["at"].startswith("2026-06-07T08:")
    assert "08:" in out  # clock times in the schedule table


def test_calendar_without_a_start_time_is_bad_input(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "plan.ics"
    code, _, err = run(
        capsys,
        "--db",
        db,
        "plan",
        "--sport",
        "run",
        "--duration",
        "2h",
        "--temperature",
        "25",
        "--ics",
        str(ics),
    )
    assert code == 2
    assert err.startswith("crampwise: error: date")
    assert not ics.exists()


def test_followed_marks_the_session(db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    session_id = load_history(ctx, athlete=None).sessions[0].id
    assert session_id is not None
    code, out, err = run(capsys, "--db", db, "plan", "--followed", session_id, "yes")
    assert "plan followed = yes" in out
    assert code == 0, err
    assert load_history(ctx, athlete=None).sessions_by_id[session_id].plan_followed is True
    code, _, err = run(capsys, "--db", db, "plan", "--followed", session_id, "maybe")
    assert code == 2
    assert err.startswith("crampwise: error: followed")


def test_sweat_json_and_chart(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", db, "sweat", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [t["sweat_rate_l_per_h"] for t in doc["tests"]] == pytest.approx([0.9, 1.1, 1.3])
    assert {"session_id", "mass_loss_pct", "temperature_c"} <= set(doc["tests"][0])
    assert doc["model"]["basis"] == "personal"
    code, out, err = run(capsys, "--db", db, "sweat")
    assert code == 0, err
    assert "Sweat tests of Ana" in out
    assert "\u2588" in out  # the bar chart
    assert "Model (your own tests)" in out


def test_sweat_without_tests_says_how_to_make_one(
    ctx: AppContext, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    add_athlete(ctx, data={"name": "Di", "body_mass_kg": 55})
    code, out, _ = run(capsys, "--db", settings.database_url, "sweat")
    assert code == 0
    assert "No sweat tests yet" in out
    assert "population values" in out


def test_sweat_speaks_the_imperial_athletes_units(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13: an imperial athlete read 'at 22 C' under a table in °F."""
    assert run(capsys, "--db", db, "athlete", "set", "--units", "imperial")[0] == 0
    code, out, err = run(capsys, "--db", db, "sweat")
    assert code == 0, err
    assert "at 71.6F and RPE 6" in " ".join(out.split()) and " C " not in out


def test_plan_reads_a_bare_temperature_in_the_athletes_units(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", db, "athlete", "set", "--units", "imperial")[0] == 0
    code, out, err = run(
        capsys, "--db", db, "plan", "--sport", "run", "--duration", "1h", "--temperature", "82", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["session"]["temperature_c"] == pytest.approx(27.8, abs=0.05)
