"""`crampwise check` and `crampwise report` end to end through the app, on a temp store."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.config import Settings
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete, load_history, log_cramp

CRAMP = {"muscle": "calf", "side": "left", "severity": 6, "duration_s": 90, "context": "exercise"}


@pytest.fixture
def db(ctx: AppContext, settings: Settings) -> str:
    add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    return settings.database_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_app(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def recent_cramp(ctx: AppContext, **extra: object) -> None:
    now = datetime.now().astimezone()
    log_cramp(ctx, athlete=None, data={**CRAMP, "at": now - timedelta(hours=3), **extra}, now=now)


def test_check_json_is_the_contract_document(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "check", "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["level"] == "none"
    recent_cramp(ctx, symptoms=["swelling", "redness"])
    code, out, _ = run(capsys, "--db", db, "check", "--json")
    document = json.loads(out)
    assert set(document) == {"level", "flags", "disclaimer", "ask"}  # `ask` is an addition
    assert document["level"] == "urgent"
    assert document["flags"][0]["code"] == "calf_swelling" and document["flags"][0]["episodes"] == ["c-0001"]


def test_a_red_warm_calf_logged_at_rest_is_urgent_in_check(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reviewer finding 1: redness + warmth without swelling used to raise nothing.
    recent_cramp(ctx, severity=5, duration_s=120, context="rest", symptoms=["redness", "warmth"])
    _, out, _ = run(capsys, "--db", db, "check", "--json")
    document = json.loads(out)
    assert document["level"] == "urgent"
    assert [f["code"] for f in document["flags"]] == ["calf_swelling"]
    assert {"nhlbi_dvt", "nice_cks_leg_cramps"} <= set(document["flags"][0]["sources"])


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("emergency", 0), ("urgent", 1), ("soon", 1), ("MENTION", 1)]
)
def test_fail_on_exits_1_at_or_above_the_level(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str], fail_on: str, expected: int
) -> None:
    recent_cramp(ctx, duration_s=900)  # over 10 minutes: urgent
    code, out, _ = run(capsys, "--db", db, "check", "--fail-on", fail_on)
    assert code == expected
    assert "URGENT" in out and "seek medical care today" in out and "not a diagnosis" in out


def test_fail_on_with_nothing_found_is_0_and_a_bad_level_is_2(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", db, "check", "--fail-on", "mention")[0] == 0
    code, out, err = run(capsys, "--db", db, "check", "--fail-on", "sometimes")
    assert code == 2 and out == ""
    assert (
        err
        == "crampwise: error: --fail-on: unknown level 'sometimes'; expected emergency|urgent|soon|mention\n"
    )


def test_ask_records_piped_answers_on_the_latest_cramp(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recent_cramp(ctx)
    # dark urine? no; swollen? yes; red? yes; then end of input: every other answer is "no".
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\ny\nyes\n"))
    code, out, err = run(capsys, "--db", db, "check", "--ask", "--json")
    assert code == 0
    assert json.loads(out)["level"] == "urgent"  # questions went to stderr, stdout is one document
    assert "swollen" in err and "Answers recorded on c-0001." in err
    assert [s.value for s in load_history(ctx, athlete=None).cramps[-1].symptoms] == ["swelling", "redness"]


def test_check_says_when_ask_could_change_the_result_until_it_is_answered(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recent_cramp(ctx, severity=9)  # one very severe cramp: a mention
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "MENTION" in out
    flat = " ".join(out.split())
    assert "Not asked yet:" in flat and "could raise this review to EMERGENCY" in flat
    assert "call 112" in flat and "999" not in flat  # Ana is in Europe/Madrid
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # end of input at once: every answer is no
    run(capsys, "--db", db, "check", "--ask")
    code, out, _ = run(capsys, "--db", db, "check", "--json")
    document = json.loads(out)
    assert document["level"] == "mention"
    assert document["ask"] == {"asked": True, "could_raise_to": None, "text": ""}
    _, text, _ = run(capsys, "--db", db, "check")
    assert "Not asked yet" not in text


def test_ask_flag_answers_without_a_cramp_count_for_this_check_only(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # the first sign question: hyponatraemia
    code, out, _ = run(capsys, "--db", db, "check", "--ask")
    assert code == 0
    assert "No cramp logged yet" in out and "EMERGENCY" in out


def test_log_cramp_with_an_urgent_sign_shows_the_advice_at_once(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "log",
        "cramp",
        "--muscle",
        "calf",
        "--side",
        "left",
        "--severity",
        "5",
        "--duration",
        "60s",
        "--context",
        "rest",
        "--symptom",
        "dark_urine",
    )
    assert code == 0
    assert "EMERGENCY: Dark (tea- or cola-coloured) urine" in out and "cdc_niosh_rhabdo" in out
    code, out, _ = run(
        capsys, "--db", db, "log", "cramp", "--muscle", "calf", "--context", "rest", "--at", "-1h"
    )
    assert code == 0 and "EMERGENCY" not in out


def test_report_writes_each_format(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    recent_cramp(ctx)
    target = tmp_path / "bundle.json"
    code, out, _ = run(capsys, "--db", db, "report", "--format", "fhir", "--out", str(target))
    assert code == 0 and out == f"Wrote fhir report to {target}\n"
    assert json.loads(target.read_text())["type"] == "collection"
    code, _, _ = run(
        capsys,
        "--db",
        db,
        "report",
        "--format",
        "html",
        "--out",
        str(tmp_path / "r.html"),
        "--since",
        "2020-01-01",
    )
    assert code == 0 and "Not a diagnosis." in (tmp_path / "r.html").read_text()


def test_report_to_a_bad_place_names_the_users_path(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    recent_cramp(ctx)
    target = tmp_path / "a" / "b.html"
    code, out, err = run(capsys, "--db", db, "report", "--format", "html", "--out", str(target))
    assert (code, out) == (3, "")
    assert err == f"crampwise: error: {target}: folder {target.parent} does not exist\n"  # not .b.html.xyz
    code, out, err = run(capsys, "--db", db, "report", "--format", "fhir", "--out", str(tmp_path))
    assert (code, out, err) == (3, "", f"crampwise: error: {tmp_path}: Is a directory\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx", "--out", "x"], "format: unknown format 'docx'; expected html|pdf|fhir"),
        (["--format", "pdf"], "--out: required, e.g. --out cramps.pdf"),
        (
            ["--format", "html", "--out", "r.html", "--since", "May"],
            "--since: cannot read 'May'; expected a date YYYY-MM-DD",
        ),
    ],
)
def test_report_bad_input_is_one_line_and_exit_2(
    db: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", db, "report", *args)
    assert (code, out, err) == (2, "", f"crampwise: error: {message}\n")
    assert not any(p.name.startswith("r.") for p in tmp_path.iterdir())


@pytest.mark.slow
def test_the_console_script_reads_piped_answers(db: str, ctx: AppContext, tmp_path: Path) -> None:
    exe = shutil.which("crampwise", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the crampwise console script is not installed in this environment")
    recent_cramp(ctx)
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": db}
    done = subprocess.run(
        [exe, "check", "--ask"], input="y\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "EMERGENCY" in done.stdout  # "yes" to dark urine
    assert [s.value for s in load_history(ctx, athlete=None).cramps[-1].symptoms] == ["dark_urine"]


def test_the_advice_after_logging_calls_the_number_of_the_athletes_country(
    ctx: AppContext, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numbness with a calf cramp during exercise (compartment syndrome) says whom to call."""
    add_athlete(ctx, data={"name": "Tom", "timezone": "Europe/London"})
    add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    numb = ("log", "cramp", "--muscle", "calf", "--context", "exercise", "--symptom", "numbness")
    code, out, _ = run(capsys, "--db", settings.database_url, "--athlete", "Tom", *numb)
    assert code == 0 and "URGENT" in out and "999" in out and "{emergency}" not in out
    code, out, _ = run(capsys, "--db", settings.database_url, "--athlete", "Ana", *numb)
    assert code == 0 and "112" in out and "999" not in out
