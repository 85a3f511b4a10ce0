"""`crampwise product`, `crampwise planned`, `plan --carry --save` and `crampwise remind`, end to
end through the app on a temp store: exact output, one-line errors naming the flag, exit 2 and
nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crampwise.cli.app import run_app
from crampwise.config import ENV_PUSH_HOSTS, Settings, load_settings
from crampwise.services.context import AppContext, open_context
from crampwise.services.journal import add_athlete
from crampwise.services.planned import list_planned
from crampwise.services.products import list_products
from crampwise.services.push import subscribe
from crampwise.services.reminders import feed_ics
from tests.push_service import TEST_PUSH_HOSTS_ENV, Browser, PushService, push_service

PLAN = ["--sport", "run", "--duration", "3h", "--temperature", "28", "--rpe", "6"]


@pytest.fixture
def db(ctx: AppContext, settings: Settings) -> str:
    add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    return settings.database_url


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, str, str]:
    code = run_app(["--db", db, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_products_are_added_listed_replaced_and_removed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, db, "product", "add", "gel", "--carbohydrate", "25g", "--sodium", "50mg", "--fluid", "0"
    )
    assert (code, out, err) == (0, "Added gel: 25 g carbohydrate, 50 mg sodium per unit.\n", "")
    code, out, _ = run(
        capsys,
        db,
        "product",
        "add",
        "iso drink",
        "--carbohydrate",
        "30",
        "--sodium",
        "250",
        "--fluid",
        "0.5l",
    )
    assert out == "Added iso drink: 30 g carbohydrate, 250 mg sodium, 500ml fluid per unit.\n"
    code, out, _ = run(
        capsys, db, "product", "add", "Gel", "--carbohydrate", "22g", "--sodium", "40mg", "--fluid", "0"
    )
    assert out.startswith("Updated Gel: 22 g")
    code, out, _ = run(capsys, db, "product", "list")
    assert out.splitlines() == [
        "NAME       CARBOHYDRATE  SODIUM  FLUID",
        "Gel        22 g          40 mg   -",
        "iso drink  30 g          250 mg  500ml",
    ]
    code, out, _ = run(capsys, db, "product", "list", "--json")
    assert json.loads(out)[1] == {
        "name": "iso drink",
        "carbohydrate_g": 30,
        "sodium_mg": 250,
        "fluid_ml": 500,
    }
    code, out, _ = run(capsys, db, "product", "remove", "GEL")
    assert out == "Removed Gel.\n"
    code, _, err = run(capsys, db, "product", "remove", "gel")
    assert code == 2 and err.startswith("crampwise: error: product: no product named 'gel'")


def test_a_bad_product_names_the_flag_and_writes_nothing(
    db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, db, "product", "add", "gel", "--carbohydrate", "lots", "--sodium", "5kg", "--fluid", "0"
    )
    assert code == 2 and out == ""
    assert err.startswith("crampwise: error: --carbohydrate: cannot read 'lots'; expected grams")
    assert "--sodium: unknown unit 'kg'" in err and err.count("\n") == 1
    assert list_products(ctx, athlete=None) == []


def test_plan_carry_and_save(
    db: str, ctx: AppContext, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, db, "product", "add", "gel", "--carbohydrate", "25g", "--sodium", "50mg", "--fluid", "0")
    code, out, err = run(
        capsys, db, "plan", *PLAN, "--date", "2026-12-06T09:00", "--carry", "gel=4", "--save", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["planned_id"] == "p-0001"
    assert doc["products"]["carried"][0] == {
        "product": "gel",
        "units": 4,
        "carbohydrate_g": 25,
        "sodium_mg": 50,
        "fluid_ml": 0,
    }
    assert sum("take 1 gel" in d["with_products"] for d in doc["schedule"]) == 4
    [saved] = list_planned(ctx, athlete=None, now=now)
    assert (saved.carry, saved.start.isoformat()) == ({"gel": 4}, "2026-12-06T09:00:00+01:00")
    code, out, _ = run(capsys, db, "plan", *PLAN, "--carry", "gel=2")
    assert "You carry 2 x gel: about 17 g carbohydrate and 33 mg sodium an hour" in out
    assert "take 1 gel" in out and "sodium in all" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--carry", "gel"], "--carry: cannot read 'gel'; expected NAME=UNITS"),
        (["--carry", "banana=2"], "--carry: no product named 'banana'"),
        (["--save"], "--date: a planned session needs its start time"),
        (["--save", "--date", "2026-12-06"], "--date: a planned session needs its start time"),
    ],
)
def test_bad_carry_or_save_writes_nothing(
    db: str,
    ctx: AppContext,
    now: datetime,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    run(capsys, db, "product", "add", "gel", "--carbohydrate", "25g", "--sodium", "50mg", "--fluid", "0")
    code, out, err = run(capsys, db, "plan", *PLAN, *extra)
    assert code == 2 and out == ""
    assert err.startswith(f"crampwise: error: {message}") and err.count("\n") == 1
    assert list_planned(ctx, athlete=None, now=now, include_past=True) == []


def test_planned_add_list_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, db, "planned", "add", *PLAN, "--date", "2026-12-06T09:00")
    assert code == 0, err
    assert out.splitlines()[0] == "Planned p-0001: Sun 6 Dec 2026 09:00 Run, 3h at 28 °C"
    run(capsys, db, "planned", "add", "--sport", "ride", "--duration", "90", "--temperature", "20",
        "--date", "2026-12-08T18:00")  # fmt: skip
    code, out, _ = run(capsys, db, "planned", "list")
    assert out.splitlines() == [
        "ID      START                 SESSION               CARRY",
        "p-0001  Sun 6 Dec 2026 09:00  Run, 3h at 28 °C",
        "p-0002  Tue 8 Dec 2026 18:00  Ride, 1h30m at 20 °C",
    ]
    code, out, _ = run(capsys, db, "planned", "list", "--json")
    assert [p["id"] for p in json.loads(out)] == ["p-0001", "p-0002"]
    assert json.loads(out)[1]["duration_s"] == 5400
    code, out, _ = run(capsys, db, "planned", "remove", "p-0001")
    assert out == "Removed planned session p-0001.\n"
    code, _, err = run(capsys, db, "planned", "remove", "p-0001")
    assert code == 2 and "no planned session 'p-0001'" in err


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--duration", "0"], "--duration"),
        (["--temperature", "82"], "--temperature: 82 °C is hotter than any race; did you mean 82F?"),
        (["--date", "tomorrow"], "--date: cannot read 'tomorrow'"),
        (["--date", "2026-12-06"], "--date: a planned session needs its start time"),
        (["--sport", "curling"], "--sport: unknown sport 'curling'"),
    ],
)
def test_planned_add_bad_input(
    db: str, ctx: AppContext, now: datetime, capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    base = {"--sport": "run", "--duration": "3h", "--temperature": "28", "--date": "2026-12-06T09:00"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    code, out, err = run(capsys, db, "planned", "add", *[x for pair in base.items() for x in pair])
    assert code == 2 and out == ""
    assert err.startswith(f"crampwise: error: {flag}")
    assert list_planned(ctx, athlete=None, now=now, include_past=True) == []


def test_remind_checkin_and_feed(db: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "remind", "checkin", "20.30")
    assert out == "Daily check-in at 20:30, your local time.\n"
    code, _, err = run(capsys, db, "remind", "checkin", "25:00")
    assert code == 2 and err.startswith("crampwise: error: TIME: cannot read '25:00'")
    code, out, _ = run(capsys, db, "remind", "feed")
    assert out == "Your calendar feed is off; crampwise remind feed --new makes its address.\n"
    code, out, _ = run(
        capsys, db, "remind", "feed", "--new", "--base-url", "https://cw.example.org/", "--json"
    )
    doc = json.loads(out)
    assert doc["feed_on"] and doc["url"].startswith("https://cw.example.org/feeds/")
    token = doc["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert b"RRULE:FREQ=DAILY" in feed_ics(
        ctx, token=token, base_url="https://cw.example.org", now=datetime.now(UTC)
    )
    code, out, _ = run(capsys, db, "remind", "feed")
    assert out.startswith("Your calendar feed is on. Its address was shown once")
    code, _, err = run(capsys, db, "remind", "feed", "--new", "--stop")
    assert code == 2 and err == "crampwise: error: --new, --stop: choose one\n"
    code, out, _ = run(capsys, db, "remind", "feed", "--stop")
    assert "off" in out


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PushService]:
    with push_service(tmp_path) as (service, cert):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        monkeypatch.setenv(ENV_PUSH_HOSTS, TEST_PUSH_HOSTS_ENV)  # the operator allows the stand-in
        yield service


def test_remind_send_pushes_the_due_check_in(
    db: str, stand_in: PushService, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)  # the command reads the real clock: a check-in time a minute ago is due
    local = now.astimezone(ZoneInfo("Europe/Madrid"))
    at = "00:00" if (local.hour, local.minute) == (0, 0) else (local - timedelta(minutes=1)).strftime("%H:%M")
    run(capsys, db, "remind", "checkin", at)
    with open_context(load_settings(database_url=db)) as configured:  # CRAMPWISE_PUSH_HOSTS read
        subscribe(
            configured, athlete=None, body=Browser.new().subscription(stand_in.endpoint("cli")), now=now
        )
    code, out, err = run(capsys, db, "remind", "send", "--contact", "mailto:ops@example.org")
    assert code == 0, err
    assert out == "Ana: sent via 127.0.0.1 (HTTP 201)\n"
    assert len(stand_in.received) == 1
    code, out, _ = run(capsys, db, "remind", "send", "--json")
    assert json.loads(out) == {
        "sent": 0,
        "gone": 0,
        "failed": 0,
        "deliveries": [],
        "skipped": {"Ana": "already sent today"},
    }
    code, _, err = run(capsys, db, "remind", "send", "--contact", "ops@example.org")
    assert code == 2 and err.startswith("crampwise: error: --contact: 'ops@example.org' is not a mailto:")
