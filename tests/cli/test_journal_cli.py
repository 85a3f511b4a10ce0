"""The journal commands in-process, with exact expected output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.entry import hoist_global_options
from crampwise.config import Settings

Result = tuple[int, str, str]


@pytest.fixture
def cw(store_settings: Settings, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run crampwise on the test's store as the console script would (global options hoisted):
    `cw("log", "cramp", ...) -> (exit code, stdout, stderr)`."""

    def run(*args: str) -> Result:
        code = run_app(hoist_global_options(["--db", store_settings.database_url, *args]))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def ok(result: Result) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), err
    return out


def bad(result: Result) -> str:
    """The one error line of a failed command (exit 2, nothing on stdout)."""
    code, out, err = result
    assert code == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("crampwise: error: ")
    return err.removeprefix("crampwise: error: ").rstrip("\n")


def add_ana(cw) -> None:  # type: ignore[no-untyped-def]
    ok(cw("athlete", "add", "Ana", "--body-mass", "61.5kg", "--max-hr", "188", "--timezone", "Europe/Madrid"))


def log_all(cw) -> None:  # type: ignore[no-untyped-def]
    ok(
        cw(
            "log", "session", "--sport", "run", "--duration", "1h30m", "--start", "2026-05-01T07:30:00+02:00",
            "--distance", "21.1km", "--rpe", "7", "--temperature", "28C", "--warmup", "10m", "--cooldown", "5m",
            "--pre-mass", "70.2kg", "--post-mass", "68.9kg", "--fluid", "750ml", "--sodium", "600mg",
        )
    )  # fmt: skip
    ok(
        cw(
            "log", "cramp", "--muscle", "calf", "--side", "left", "--severity", "7", "--duration", "90s",
            "--context", "exercise", "--at", "2026-05-01T08:55:00+02:00", "--session", "s-0001",
            "--relief", "stretch,massage", "--symptom", "swelling",
        )
    )  # fmt: skip
    ok(cw("log", "day", "--date", "2026-05-01", "--sleep", "7.5h", "--fluid", "2.5l", "--fatigue", "3"))
    ok(cw("log", "med", "hydrochlorothiazide", "--kind", "diuretic", "--started", "2026-03-01"))


def test_log_and_list_with_exact_output(cw) -> None:  # type: ignore[no-untyped-def]
    assert ok(cw("athlete", "add", "Ana", "--timezone", "Europe/Madrid")) == (
        "Added athlete Ana (Europe/Madrid, metric).\n"
    )
    assert ok(cw("log", "cramp", "--muscle", "calf", "--side", "left", "--severity", "7", "--duration", "90s",
                 "--context", "exercise", "--at", "2026-05-01T08:55")).splitlines()[0] == (
        "Logged cramp c-0001: calf (left), severity 7, 1m30s, exercise, 2026-05-01 08:55"
    )  # fmt: skip
    assert ok(cw("log", "session", "--sport", "ride", "--duration", "2h", "--start", "2026-05-02T09:00",
                 "--distance", "60km")) == (
        "Logged session s-0001: ride, 2h, 60km, from 2026-05-02 09:00\n"
    )  # fmt: skip
    assert (
        ok(cw("log", "day", "--date", "2026-05-02", "--sleep", "6h")) == "Logged day 2026-05-02: sleep 6h\n"
    )
    assert ok(cw("log", "day", "--date", "2026-05-02", "--fatigue", "4")) == (
        "Logged day 2026-05-02: sleep 6h, fatigue 4\n"
    )
    assert ok(cw("log", "med", "atorvastatin", "--kind", "statin", "--started", "2026-01-10")) == (
        "Logged medication m-0001: atorvastatin (statin), started 2026-01-10\n"
    )
    assert ok(cw("list", "cramps")) == (
        "ID      WHEN              MUSCLE  SIDE  SEV  DURATION  CONTEXT   SESSION  RELIEF\n"
        "c-0001  2026-05-01 08:55  calf    left  7    1m30s     exercise  -        -\n"
    )
    assert ok(cw("list", "sessions")) == (
        "ID      START             SPORT  DURATION  DISTANCE  RPE  TEMP  PRE  POST  FLUID  SODIUM\n"
        "s-0001  2026-05-02 09:00  ride   2h        60km      -    -     -    -     -      -\n"
    )
    assert ok(cw("list", "days")) == (
        "DATE        SLEEP  FLUID  ALCOHOL  FATIGUE  NOTES\n2026-05-02  6h     -      -        4        -\n"
    )
    assert ok(cw("list", "meds")) == (
        "ID      NAME          KIND    STARTED     STOPPED\nm-0001  atorvastatin  statin  2026-01-10  -\n"
    )


def test_list_json_uses_the_bundle_field_names(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    cramps = json.loads(ok(cw("list", "cramps", "--json")))
    assert cramps == [
        {
            "id": "c-0001",
            "at": "2026-05-01T08:55:00+02:00",
            "muscle": "calf",
            "side": "left",
            "severity": 7,
            "duration_s": 90,
            "context": "exercise",
            "session_id": "s-0001",
            "relief": ["stretch", "massage"],
            "relief_worked": None,
            "symptoms": ["swelling"],
            "notes": "",
        }
    ]
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert (session["duration_s"], session["distance_m"], session["warmup_min"], session["pre_mass_kg"]) == (
        5400,
        21100,
        10,
        70.2,
    )
    assert json.loads(ok(cw("list", "days", "--json")))[0]["fluid_ml"] == 2500
    assert json.loads(ok(cw("athlete", "list", "--json")))[0]["name"] == "Ana"


def test_athlete_show_and_imperial_display(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    assert ok(cw("athlete", "show")) == (
        "name          Ana\n"
        "sex           -\n"
        "birth year    -\n"
        "body mass     61.5kg\n"
        "max HR        188\n"
        "time zone     Europe/Madrid\n"
        "sweat sodium  -\n"
        "units         metric\n"
        "records       1 sessions, 1 cramps, 1 days, 1 medications\n"
    )
    assert ok(cw("athlete", "set", "--units", "imperial", "--body-mass", "135lb")) == "Updated athlete Ana.\n"
    assert ok(cw("list", "sessions")).splitlines()[1] == (
        "s-0001  2026-05-01 07:30  run    1h30m     13.11mi   7    82.4F  154.8lb  151.9lb  25.4oz  600mg"
    )
    assert json.loads(ok(cw("athlete", "show", "--json")))["body_mass_kg"] == pytest.approx(61.235, abs=1e-3)


def test_edit_every_kind_and_clear_a_field(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    assert ok(
        cw("edit", "cramp", "c-0001", "--severity", "4", "--clear", "side", "--relief-worked", "yes")
    ) == ("Updated cramp c-0001: calf, severity 4, 1m30s, exercise, 2026-05-01 08:55, session s-0001\n")
    ok(cw("edit", "session", "s-0001", "--plan-followed", "no", "--humidity", "60"))
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert (session["plan_followed"], session["humidity_pct"]) == (False, 60)
    assert ok(cw("edit", "day", "2026-05-01", "--alcohol", "2")) == (
        "Updated day 2026-05-01: sleep 7h30m, fluid 2.5L, alcohol 2, fatigue 3\n"
    )
    assert ok(cw("edit", "med", "m-0001", "--stopped", "2026-04-01")) == (
        "Updated medication m-0001: hydrochlorothiazide (diuretic), started 2026-03-01, stopped 2026-04-01\n"
    )
    assert bad(cw("edit", "cramp", "c-0001")) == (
        "edit: nothing to change; give at least one --FIELD VALUE or --clear FIELD"
    )
    assert bad(cw("edit", "cramp", "c-0001", "--clear", "colour")) == (
        "--clear: a cramp has no field 'colour' to clear; accepted: side, severity, duration, at, session, "
        "relief, relief-worked, symptom, notes"
    )
    ok(cw("edit", "session", "s-0001", "--clear", "pre-mass", "--clear", "fluid_ml"))
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert (session["pre_mass_kg"], session["fluid_ml"]) == (None, None)


def test_delete_by_id(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    assert ok(cw("delete", "session", "s-0001")) == "Deleted session s-0001.\n"
    assert json.loads(ok(cw("list", "cramps", "--json")))[0]["session_id"] is None
    assert ok(cw("delete", "cramp", "c-0001")) == "Deleted cramp c-0001.\n"
    assert ok(cw("delete", "day", "2026-05-01")) == "Deleted day 2026-05-01.\n"
    assert ok(cw("delete", "med", "m-0001")) == "Deleted medication m-0001.\n"
    assert ok(cw("list", "cramps")) == "No cramps yet for Ana.\n"
    assert (
        bad(cw("delete", "cramp", "c-0001")) == "cramp: no cramp 'c-0001' for Ana; see: crampwise list cramps"
    )


def _future() -> str:
    return (datetime.now(UTC) + timedelta(days=2)).isoformat(timespec="seconds")


BAD_INPUT = [
    (["log", "session", "--sport", "run", "--duration", "1h", "--pre-mass", "70stone"],
     "--pre-mass: unknown unit 'stone'; accepted units: g, kg, kgs, lb, lbs (e.g. 70.2kg or 154lb)"),
    (["log", "cramp", "--muscle", "calf", "--context", "rest", "--severity", "11"],
     "--severity: 11 is above the maximum 10"),
    (["log", "session", "--sport", "run", "--duration", "1h", "--pre-mass", "70kg", "--post-mass", "62kg"],
     "--post-mass: 62.0 kg is more than 10 % below the pre-session mass of 70.0 kg; check both weighings"),
    (["log", "cramp", "--muscle", "elbow", "--context", "rest"],
     "--muscle: unknown value 'elbow'; expected calf|hamstring|quadriceps|foot|toes|adductor|hip_flexor|glute|shin|other"),
    (["log", "session", "--sport", "curling", "--duration", "1h"],
     "--sport: unknown value 'curling'; expected run|ride|swim|triathlon|walk|hike|strength|team_sport|other"),
    (["log", "day", "--date", "2026-13-01"],
     "--date: cannot read '2026-13-01'; expected a date as YYYY-MM-DD, today, yesterday or -3d"),
    (["log", "cramp", "--muscle", "calf", "--context", "rest", "--at", "May 1st"],
     "--at: cannot read 'May 1st'; expected e.g. 2026-05-01T08:55 (the athlete's zone) or "
     "2026-05-01T08:55+02:00, now, -2h, 90m ago, yesterday, yesterday 22:30 or 22:30"),
    (["--athlete", "Bob", "log", "day"], "athlete: no athlete named 'Bob'; known athletes: Ana"),
    (["log", "cramp", "--side", "left"],
     "--muscle: required (Cramping muscle: calf|hamstring|quadriceps|foot|toes|adductor|hip_flexor|glute|shin|other); "
     "--context: required (When: exercise|after_exercise|rest|sleep)"),
    (["log", "session", "--sport", "run", "--duration", "49h"],
     "--duration: 49h is above the maximum 48h"),
    (["athlete", "add", "Ana"], "name: an athlete named 'Ana' already exists; pick another name"),
    (["log", "day", "--date", "2026-05-02", "--fluid", "2.5"],
     "--fluid: '2.5' has no unit; give one, e.g. 2.5l or 2500ml"),  # not 2.5 ml
    (["edit", "day", "2026-05-01", "--fluid", "2500"], "--fluid: '2500' has no unit; give one, e.g. 2.5l or 2500ml"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a[:3]) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(cw, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    before = ok(cw("export"))
    assert bad(cw(*args)) == message
    assert ok(cw("export")) == before


def test_a_cramp_in_the_future_is_refused(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    message = bad(cw("log", "cramp", "--muscle", "calf", "--context", "rest", "--at", _future()))
    assert message.startswith("--at: ") and message.endswith(
        "is in the future; a cramp is logged when or after it happens"
    )
    assert ok(cw("list", "cramps")) == "No cramps yet for Ana.\n"


def test_athlete_selection_messages(cw, store_url: str) -> None:  # type: ignore[no-untyped-def]
    if store_url.startswith("sqlite"):  # a file that is not there yet (a server store exists)
        assert bad(cw("list", "cramps")).startswith("no crampwise store at ")
    ok(cw("init"))
    assert (
        bad(cw("list", "cramps"))
        == "athlete: the store has no athlete yet; add one with: crampwise athlete add NAME"
    )
    add_ana(cw)
    ok(cw("athlete", "add", "Ben", "--units", "imperial", "--timezone", "UTC"))
    assert ok(cw("list", "cramps")) == "No cramps yet for Ana.\n"  # the first athlete is the default
    assert ok(cw("list", "cramps", "--athlete", "Ben")) == "No cramps yet for Ben.\n"
    assert ok(cw("athlete", "default", "Ben")) == "Ben is now the default athlete.\n"
    assert ok(cw("list", "cramps")) == "No cramps yet for Ben.\n"
    assert ok(cw("athlete", "list")) == (
        "NAME  TIME ZONE      UNITS     DEFAULT\nAna   Europe/Madrid  metric\nBen   UTC            imperial  yes\n"
    )


def test_init_and_store_errors(cw, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = ok(cw("init"))
    assert out.endswith("\nAthletes: none yet (crampwise athlete add NAME)\n")
    (tmp_path / "plain").write_text("x")
    code = run_app(["--db", f"sqlite:///{tmp_path / 'plain' / 'x.db'}", "init"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and "plain" in err


def test_log_default_time_is_now_in_the_athletes_zone(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    before = datetime.now(UTC).replace(microsecond=0)
    [cramp] = [json.loads(ok(cw("log", "cramp", "--muscle", "calf", "--context", "rest", "--json")))]
    at = datetime.fromisoformat(cramp["at"])
    assert before <= at <= datetime.now(UTC)
    assert at.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # Madrid, winter or summer


JOURNAL_COMMANDS = [
    "init",
    "athlete add", "athlete list", "athlete show", "athlete set",
    "log cramp", "log session", "log day", "log med",
    "list cramps", "list sessions", "list days", "list medications",
    "edit cramp", "edit session", "edit day", "edit med",
    "delete cramp", "delete session", "delete day", "delete med",
    "import", "export",
]  # fmt: skip


def documented_commands() -> set[str]:
    """Commands named in docs/cli.md, `crampwise log cramp|session` counting for both."""
    import re
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()
    found: set[str] = set()
    for group, subs in re.findall(r"crampwise (?:--athlete \w+ )?([a-z]+)(?: ([a-z|]+))?", docs):
        found.add(group)
        found.update(f"{group} {sub}" for sub in subs.split("|") if sub)
    return found


@pytest.mark.parametrize("command", JOURNAL_COMMANDS)
def test_every_journal_command_has_help_and_is_documented(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_app([*command.split(), "--help"]) == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith(f"Usage: crampwise {command}")
    assert len(help_text.split("\n\n")[1].strip()) > 10  # a sentence of help
    assert command in documented_commands()


def test_a_cramp_during_a_logged_session_is_linked_to_it(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    ok(cw("log", "session", "--sport", "run", "--duration", "90m", "--start", "2026-05-01T07:30"))
    assert ok(
        cw("log", "cramp", "--muscle", "calf", "--context", "exercise", "--at", "2026-05-01T08:55")
    ) == (
        "Logged cramp c-0001: calf, exercise, 2026-05-01 08:55, session s-0001\n"
        "Linked to session s-0001: run, 1h30m, from 2026-05-01 07:30\n"
    )


def test_a_cramp_logged_right_after_a_session_logged_with_its_duration_is_linked(cw) -> None:  # type: ignore[no-untyped-def]
    """The README's order: log the session (it ends now), then the cramp (a moment later)."""
    add_ana(cw)
    ok(cw("log", "session", "--sport", "run", "--duration", "1h30m"))
    out = ok(cw("log", "cramp", "--muscle", "calf", "--context", "exercise", "--at", "-0m"))
    assert out.splitlines()[0].endswith(", session s-0001")
    assert out.splitlines()[1].startswith("Linked to session s-0001: run, 1h30m, from ")


def test_an_exercise_cramp_without_a_session_says_how_to_link_it(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    out = ok(cw("log", "cramp", "--muscle", "calf", "--context", "exercise", "--at", "2026-05-01T08:55"))
    assert out.splitlines()[1] == (
        "Not linked to a session: none was logged at that time. Link one with: "
        "crampwise edit cramp c-0001 --session ID"
    )


def test_an_imperial_athletes_bare_numbers_are_imperial(cw) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: 55, 135 and 12 were stored as 55 °C, 135 kg and 12 ml."""
    ok(cw("athlete", "add", "Ana", "--units", "imperial", "--body-mass", "135"))
    ok(cw("log", "session", "--sport", "run", "--duration", "90", "--temperature", "55", "--pre-mass", "135",
          "--post-mass", "133", "--fluid", "12"))  # fmt: skip
    [session] = json.loads(ok(cw("list", "sessions", "--json")))
    assert session["temperature_c"] == pytest.approx(12.78, abs=0.01)
    assert session["pre_mass_kg"] == pytest.approx(61.23, abs=0.01)
    assert session["fluid_ml"] == pytest.approx(354.9, abs=0.1)


def test_a_weighing_far_from_the_body_mass_is_refused_until_confirmed(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    args = ("log", "session", "--sport", "run", "--duration", "1h", "--pre-mass", "135")
    assert bad(cw(*args)) == (
        "--pre-mass: 135kg is far from the athlete's body mass of 61.5kg; did you mean 135lb?; "
        "if it is right, add --confirm"
    )
    assert ok(cw("list", "sessions")) == "No sessions yet for Ana.\n"
    assert ok(cw(*args, "--confirm")).startswith("Logged session s-0001")


def test_validation_messages_name_the_flag_and_hint(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    assert bad(cw("log", "session", "--sport", "run", "--duration", "1h", "--temperature", "82")) == (
        "--temperature: 82 °C is hotter than any race; did you mean 82F? (write 82C if it was Celsius)"
    )
    assert bad(cw("log", "cramp", "--muscle", "calves", "--context", "rest", "--severity", "12")) == (
        "--severity: 12 is above the maximum 10"
    )
    assert bad(cw("athlete", "set", "--clear", "weight")) == (
        "--clear: an athlete has no field 'weight' to clear; accepted: sex, birth-year, body-mass, max-hr, "
        "timezone, sweat-sodium, units, journal-started"
    )


def test_relative_times_decimal_commas_and_common_muscle_names(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    ok(cw("log", "day", "--date", "yesterday", "--sleep", "7,5h"))
    ok(cw("log", "cramp", "--muscle", "hip flexor", "--context", "rest", "--at", "-2h"))
    ok(cw("athlete", "set", "--body-mass", "61,7kg"))
    [day] = json.loads(ok(cw("list", "days", "--json")))
    [cramp] = json.loads(ok(cw("list", "cramps", "--json")))
    madrid = ZoneInfo("Europe/Madrid")
    assert day["date"] == (datetime.now(madrid) - timedelta(days=1)).date().isoformat()
    assert day["sleep_h"] == 7.5
    assert cramp["muscle"] == "hip_flexor"
    at = datetime.fromisoformat(cramp["at"])
    assert abs((datetime.now(UTC) - at) - timedelta(hours=2)) < timedelta(minutes=1)
    assert at.utcoffset() == datetime.now(madrid).utcoffset()  # shown in the athlete's zone
    assert json.loads(ok(cw("athlete", "show", "--json")))["body_mass_kg"] == 61.7


def test_a_new_athletes_zone_is_the_computers(cw, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TZ", "America/Denver")
    assert ok(cw("athlete", "add", "Ana")) == "Added athlete Ana (America/Denver, metric).\n"


def test_rename_and_delete_an_athlete(cw, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)
    assert ok(cw("athlete", "rename", "Ana", "Ana B")) == "Renamed Ana to Ana B.\n"
    assert len(json.loads(ok(cw("list", "cramps", "--json")))) == 1  # the records stay hers
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert bad(cw("athlete", "delete", "Ana B")) == (
        "--yes: deleting Ana B with 1 sessions, 1 cramps, 1 days and 1 medications is not undone; "
        "add --yes to delete"
    )
    assert ok(cw("athlete", "delete", "Ana B", "--yes")) == (
        "Deleted Ana B with 1 sessions, 1 cramps, 1 days and 1 medications.\n"
    )
    assert ok(cw("athlete", "list")) == "No athletes yet; add one with: crampwise athlete add NAME\n"
    add_ana(cw)  # the same name again starts an empty record with fresh ids
    assert ok(cw("list", "cramps")) == "No cramps yet for Ana.\n"


def test_lists_take_since(cw) -> None:  # type: ignore[no-untyped-def]
    add_ana(cw)
    log_all(cw)  # everything on 2026-05-01
    ok(cw("log", "cramp", "--muscle", "foot", "--context", "rest", "--at", "2026-05-03T07:00"))
    assert [c["id"] for c in json.loads(ok(cw("list", "cramps", "--since", "2026-05-02", "--json")))] == [
        "c-0002"
    ]
    assert [c["id"] for c in json.loads(ok(cw("list", "cramps", "--since", "2026-05-01", "--json")))] == [
        "c-0001", "c-0002"
    ]  # fmt: skip
    assert ok(cw("list", "sessions", "--since", "yesterday")) == "No sessions yet for Ana.\n"
    assert bad(cw("list", "days", "--since", "last week")) == (
        "--since: cannot read 'last week'; expected a date as YYYY-MM-DD, today, yesterday or -3d"
    )
