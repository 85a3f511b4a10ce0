"""The guided relief driven through a real pseudo-terminal (pexpect).

Most tests speed the clock up with `CRAMPWISE_CLOCK_SCALE`; the Enter test keeps real time so
that only the key press can move it on. The store is a temp SQLite file passed with `--db`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest

from crampwise.config import Settings
from crampwise.domain.records import Cramp
from crampwise.services import journal
from crampwise.services.context import open_context

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.tty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def spawn(settings: Settings, *args: str, scale: float = 1.0, tz: str = "UTC") -> pexpect.spawn:
    env = dict(os.environ, CRAMPWISE_CLOCK_SCALE=str(scale), CRAMPWISE_DATA_DIR=str(settings.data_dir), TZ=tz)
    env.pop("CRAMPWISE_DATABASE_URL", None)
    env.pop("CRAMPWISE_ATHLETE", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "crampwise", "--db", settings.database_url, "now", *args],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 100),
    )


@pytest.fixture
def ana(settings: Settings) -> Iterator[Settings]:
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana"})
    yield settings


def cramps(settings: Settings) -> list[Cramp]:
    with open_context(settings) as ctx:
        return list(journal.load_history(ctx, athlete=None).cramps)


def through_checks(child: pexpect.spawn, *, swollen: str = "n", hot: str = "n") -> None:
    """Answer the two checks after the stretch: a swollen leg (before pressure), overheating (before warmth)."""
    child.expect("swollen, red, warm")
    child.send(swollen)
    child.expect("overheated")
    child.send(hot)


def answer_where_and_side(child: pexpect.spawn) -> None:
    """The closing questions `now` asks when no --context/--side was given: exercise, left."""
    child.expect("Where did it start")
    child.send("e")
    child.expect("Which side")
    child.send("l")


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return str(child.before)


def test_countdown_is_visible_and_enter_advances(ana: Settings) -> None:
    child = spawn(ana, "calf")  # real time: a 30 s hold cannot end by itself within the test
    child.expect("STRAIGHT-KNEE CALF STRETCH")
    child.expect("Hold 1 of 3")
    child.expect(r"30 s left")
    child.expect(r"29 s left", timeout=5)  # live: the count moves
    child.send("\r")
    child.expect("Hold 2 of 3", timeout=3)
    child.send("\r")
    child.expect("Hold 3 of 3", timeout=3)
    child.send("q")
    out = finish(child)
    assert "Stopped." in out
    assert "Stopped early; if it was not a cramp: crampwise delete cramp c-0001" in out
    (cramp,) = cramps(ana)  # logged whatever happens
    assert cramp.muscle == "calf" and cramp.relief_worked is None


def test_menu_takes_one_key_and_q_stops_with_a_log_later_line(ana: Settings) -> None:
    child = spawn(ana)
    child.expect("Which muscle")
    child.send("9")  # the ninth muscle: shin
    child.expect("POINT-THE-FOOT SHIN STRETCH")
    child.expect("Hold 1 of 3")
    child.send("q")
    out = finish(child)
    assert "Stopped." in out
    assert "Logged c-0001 for Ana: shin" in out
    assert [c.muscle for c in cramps(ana)] == ["shin"]


def test_ctrl_c_stops_at_once(ana: Settings) -> None:
    child = spawn(ana, "glute")
    child.expect("Hold 1 of 3")
    child.sendintr()
    assert "Stopped." in finish(child)


def test_the_two_questions_log_the_episode(ana: Settings) -> None:
    child = spawn(ana, "calf", "--side", "left", scale=60)
    child.expect("Has the cramp let go")
    child.send("y")
    child.expect("swollen, red, warm")
    child.send("n")
    child.expect("LIGHT PRESSURE AND MASSAGE")
    child.expect("Stop sign")
    child.expect("overheated")
    child.send("n")
    child.expect("GENTLE WARMTH")
    child.expect("Get help if")
    child.expect("Never take quinine")
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("11")  # out of range: asked again
    child.expect("a whole number from 0")
    child.sendline("7")
    child.expect("Where did it start")
    child.send("e")
    out = finish(child)
    assert "Logged c-0001 for Ana: calf, exercise" in out
    (cramp,) = cramps(ana)
    assert cramp.muscle == "calf" and cramp.side == "left" and cramp.context == "exercise"
    assert cramp.severity == 7 and cramp.relief_worked is True
    assert [r.value for r in cramp.relief] == ["stretch", "massage", "warmth"]
    # Three 30 s holds at 60x: about 90 simulated seconds until the cramp "let go".
    assert 85 <= cramp.duration_s < 300


def test_past_ten_minutes_it_says_to_seek_care(ana: Settings) -> None:
    child = spawn(ana, "hamstring", scale=600)
    for _ in range(40):  # each round: three 30 s holds = 90 simulated seconds
        child.expect("Has the cramp let go")
        if "seek medical care" in str(child.before):
            break
        child.send("n")
    else:
        pytest.fail("no escalation after 40 rounds")
    assert "nhs_leg_cramps" in str(child.before)
    assert "{urgent_care}" not in str(child.before) and "{emergency}" not in str(child.before)
    child.send("y")
    through_checks(child)
    child.expect("Did it help")
    child.send("n")
    child.expect("0-10")
    child.sendline("")
    child.expect("Where did it start")
    child.send("r")
    child.expect("Which side")
    child.send("\r")  # skipped
    out = finish(child)
    assert "Logged c-0001" in out
    (cramp,) = cramps(ana)
    assert cramp.context == "rest" and cramp.side is None
    assert cramp.duration_s >= 600 and cramp.relief_worked is False and cramp.severity is None


def test_logging_failure_never_blocks_relief(settings: Settings) -> None:
    child = spawn(settings, "foot", scale=300)  # no store yet
    child.expect("Has the cramp let go")
    child.send("y")
    through_checks(child)
    child.expect("This cramp will not be logged: no crampwise store at")  # before the questions
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("4")
    child.expect("Where did it start")
    child.send("s")
    child.expect("Which side")
    child.send("l")
    out = finish(child)
    assert "Not logged (no crampwise store at" in out
    assert "Log it later: crampwise log cramp --muscle foot --context sleep --duration" in out
    assert "--side left --severity 4 --relief stretch,massage,warmth --relief-worked yes" in out


def test_several_athletes_log_for_the_default_one(ana: Settings) -> None:
    with open_context(ana) as ctx:
        journal.add_athlete(ctx, data={"name": "Demo Runner"})
    child = spawn(ana, "calf", "--context", "rest", "--side", "right", scale=300)
    child.expect("Has the cramp let go")
    child.send("y")
    through_checks(child)
    child.expect("Did it help")
    child.send("n")
    child.expect("0-10")
    child.sendline("")
    assert "Logged c-0001 for Ana: calf, rest" in finish(child)


@pytest.fixture
def ravi(settings: Settings) -> Iterator[Settings]:
    """An athlete in India (+05:30 all year), on a computer whose clock is in UTC."""
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ravi", "timezone": "Asia/Kolkata"})
    yield settings


def test_the_episode_is_logged_in_the_athletes_zone(ravi: Settings) -> None:
    child = spawn(ravi, "calf", scale=300)
    child.expect("Has the cramp let go")
    child.send("y")
    through_checks(child)
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("")
    child.expect("Where did it start")
    child.send("\r")
    child.expect("Which side")
    child.send("\r")
    assert "Logged c-0001" in finish(child)
    (cramp,) = cramps(ravi)
    assert cramp.at.utcoffset() == timedelta(hours=5, minutes=30)  # not UTC, like `log cramp`


def test_the_episode_stopped_early_is_logged_in_the_athletes_zone(ravi: Settings) -> None:
    child = spawn(ravi, "calf")
    child.expect("Hold 1 of 3")
    child.send("q")
    assert "Logged c-0001 for Ravi" in finish(child)
    (cramp,) = cramps(ravi)
    assert cramp.at.utcoffset() == timedelta(hours=5, minutes=30)


def test_without_an_athlete_the_log_later_line_uses_the_local_offset(settings: Settings) -> None:
    child = spawn(settings, "foot", scale=300, tz="America/Sao_Paulo")  # UTC-3, no DST since 2019
    child.expect("Has the cramp let go")
    child.send("y")
    through_checks(child)
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("")
    child.expect("Where did it start")
    child.send("\r")
    child.expect("Which side")
    child.send("\r")
    out = finish(child)
    assert "Not logged" in out
    assert re.search(r"--at 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d-03:00", out), out


def test_a_swollen_calf_skips_the_massage_and_says_why(ana: Settings) -> None:
    child = spawn(ana, "calf", scale=300)
    child.expect("Has the cramp let go")
    child.send("y")
    child.expect("swollen, red, warm")
    child.send("y")
    child.expect("Skipped: Light pressure and massage")
    child.expect("blood clot")
    child.send("\r")
    child.expect("overheated")
    child.send("n")
    child.expect("GENTLE WARMTH")
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("")
    answer_where_and_side(child)
    assert "Logged c-0001" in finish(child)
    (cramp,) = cramps(ana)
    assert [r.value for r in cramp.relief] == ["stretch", "warmth"]  # no massage was given


def test_an_overheated_athlete_is_told_to_cool_down_not_warm_up(ana: Settings) -> None:
    child = spawn(ana, "hamstring", scale=300)
    child.expect("Has the cramp let go")
    child.send("y")
    through_checks(child, swollen="n", hot="y")
    child.expect("cool down instead")
    child.send("\r")
    child.expect("Did it help")
    child.send("y")
    child.expect("0-10")
    child.sendline("")
    answer_where_and_side(child)
    assert "Logged c-0001" in finish(child)
    (cramp,) = cramps(ana)
    assert [r.value for r in cramp.relief] == ["stretch", "massage"]  # no warmth


@pytest.fixture
def lola(settings: Settings) -> Iterator[Settings]:
    """An athlete in Madrid, on a computer whose clock says London."""
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Lola", "timezone": "Europe/Madrid"})
    yield settings


def test_the_escalation_gives_the_athletes_emergency_number_not_a_uk_one(lola: Settings) -> None:
    child = spawn(lola, "calf", scale=600, tz="Europe/London")
    for _ in range(40):
        child.expect("Has the cramp let go")
        if "seek medical care" in str(child.before):
            break
        child.send("n")
    else:
        pytest.fail("no escalation after 40 rounds")
    screen = " ".join(str(child.before).split())
    assert "call 112" in screen and "111" not in screen and "999" not in screen
    child.send("q")
    finish(child)


def test_a_store_problem_shows_in_the_first_seconds_of_the_guide(settings: Settings) -> None:
    child = spawn(settings, "calf")  # real time: the first hold lasts 30 s
    child.expect("Hold 1 of 3")
    child.expect("This cramp will not be logged: no crampwise store at", timeout=10)
    child.expect(r"2\d s left")  # still in the first hold
    child.send("q")
    assert "Log it later: crampwise log cramp --muscle calf" in finish(child)
