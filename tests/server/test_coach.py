"""The coach's view: the roster of athletes who share, and the squad plan for an event (each
athlete's own plan, the same as the athlete's), printable and as CSV."""

from __future__ import annotations

import csv
import io

from crampwise.services.accounts import get_user
from crampwise.services.grants import grant
from crampwise.services.journal import set_athlete
from crampwise.services.planning import plan_session
from tests.conftest import FIXED_NOW
from tests.server.conftest import World, bearer, client_for, sign_in

EVENT = {"sport": "run", "duration_s": 10800, "temperature_c": 31, "date": "2026-06-07"}


def _share_ben_with_lee(world: World) -> None:
    grant(world.ctx, owner=get_user(world.ctx, username="ben"), grantee="lee", until=None, now=FIXED_NOW)


def test_the_roster_lists_only_who_shares_now(world: World) -> None:
    _share_ben_with_lee(world)
    with client_for(world.ctx) as client:
        rows = client.get("/api/v1/roster", headers=bearer(world, "lee")).json()
        assert [r["athlete"] for r in rows] == ["ana", "ben"]
        ana = rows[0]
        assert ana["cramps_last_30_days"] == 1 and ana["worst_recent_severity"] == 4  # 4 May, the foot
        assert ana["last_cramp"]["id"] == "c-9002" and ana["red_flags"]["level"] in (
            "none",
            "mention",
            "soon",
        )
        assert client.get("/api/v1/roster", headers=bearer(world, "rex")).json() == []
        assert client.get("/api/v1/roster", headers=bearer(world, "eve")).json() == []


def test_the_squad_plan_gives_each_athlete_their_own_targets(world: World) -> None:
    _share_ben_with_lee(world)
    with client_for(world.ctx) as client:
        document = client.get("/api/v1/squad-plan", params=EVENT, headers=bearer(world, "lee")).json()
    assert document["event"] == {
        "sport": "run",
        "duration_s": 10800.0,
        "temperature_c": 31.0,
        "rpe": None,
        "date": "2026-06-07",
    }
    assert {a["athlete"] for a in document["athletes"]} == {"ana", "ben"}
    for row in document["athletes"]:
        own = plan_session(
            world.ctx, athlete=row["athlete"], sport="run", duration_s=10800, temperature_c=31, now=FIXED_NOW
        ).as_json()
        assert row["fluid_ml_per_h"] == own["fluid_ml_per_h"]
        assert row["sodium_mg_per_h"] == own["sodium_mg_per_h"]
        assert row["fluid_ml_per_h"][1] <= round(own["sweat_rate_l_per_h"]["estimate"] * 1000) + 1
        assert row["elevated_risk"] == (row["risk"]["level"] in ("elevated", "high"))
    assert document["elevated_risk"] == [a["athlete"] for a in document["athletes"] if a["elevated_risk"]]
    levels = [{"high": 2, "elevated": 1, "low": 0}[a["risk"]["level"]] for a in document["athletes"]]
    assert levels == sorted(levels, reverse=True)


def test_an_athlete_who_cannot_be_planned_is_named_with_the_reason(world: World) -> None:
    set_athlete(world.ctx, athlete="ana", changes={"body_mass_kg": None})
    with client_for(world.ctx) as client:
        document = client.get("/api/v1/squad-plan", params=EVENT, headers=bearer(world, "lee")).json()
    assert document["athletes"] == []
    assert (
        document["not_planned"][0]["athlete"] == "ana" and "body mass" in document["not_planned"][0]["reason"]
    )


def test_the_squad_plan_csv_has_a_row_per_athlete(world: World) -> None:
    _share_ben_with_lee(world)
    set_athlete(world.ctx, athlete="ana", changes={"body_mass_kg": None})
    with client_for(world.ctx) as client:
        answer = client.get("/api/v1/squad-plan.csv", params=EVENT, headers=bearer(world, "lee"))
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {r["athlete"] for r in rows} == {"ana", "ben"}
    planned = next(r for r in rows if r["athlete"] == "ben")
    assert (
        int(planned["fluid_ml_per_h_low"])
        <= int(planned["fluid_ml_per_h_high"])
        <= int(planned["fluid_ml_per_h_max"])
    )
    assert next(r for r in rows if r["athlete"] == "ana")["not_planned_because"].startswith(
        "the athlete's body mass"
    )


def test_a_name_cannot_run_as_a_spreadsheet_formula(world: World) -> None:
    _share_ben_with_lee(world)
    set_athlete(world.ctx, athlete="ben", changes={"name": "=HYPERLINK(1)"})
    with client_for(world.ctx) as client:
        text = client.get("/api/v1/squad-plan.csv", params=EVENT, headers=bearer(world, "lee")).text
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_the_coach_pages_render_and_print(world: World) -> None:
    _share_ben_with_lee(world)
    with client_for(world.ctx) as client:
        sign_in(client, "lee")
        roster = client.get("/coach")
        assert roster.status_code == 200 and 'href="/coach/athletes/ben"' in roster.text
        athlete = client.get("/coach/athletes/ben")
        assert athlete.status_code == 200 and "Read-only" in athlete.text
        plan = client.get(
            "/coach/plan",
            params={"sport": "run", "duration": "3h", "temperature": "31C", "date": "2026-06-07"},
        )
        assert plan.status_code == 200 and 'id="squad"' in plan.text and "Elevated cramp risk" in plan.text
        assert 'class="no-print"' in plan.text and "/coach/plan.csv?" in plan.text
        bad = client.get("/coach/plan", params={"sport": "run", "duration": "forever", "temperature": "31C"})
        assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
        assert client.get("/coach/athletes/ben", headers=bearer(world, "kim")).status_code in (200, 404)
    with client_for(world.ctx) as client:
        sign_in(client, "kim")
        assert client.get("/coach/athletes/ben").status_code == 404
        assert "No athlete shares records with you yet" in client.get("/coach").text
