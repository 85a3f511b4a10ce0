"""Consent: grant and revoke (API and page), the end date to the second in the athlete's zone,
and the access log of every read by someone else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crampwise.services.accounts import get_user
from crampwise.services.grants import access_log, grant
from tests.conftest import FIXED_NOW
from tests.server.conftest import SECRET_NOTE, World, bearer, client_for, csrf_from, sign_in


def _log(world: World) -> list[tuple[str, str, str]]:
    return [
        (e.reader, e.what, e.via) for e in access_log(world.ctx, owner=get_user(world.ctx, username="ana"))
    ]


def test_a_grant_opens_reads_and_its_revocation_closes_them(world: World) -> None:
    with client_for(world.ctx) as client:
        assert client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "kim")).status_code == 404
        made = client.post("/api/v1/grants", json={"grantee": "kim"}, headers=bearer(world, "ana"))
        assert made.status_code == 201 and made.json()["active"] is True
        read = client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "kim"))
        assert read.status_code == 200 and SECRET_NOTE in read.text
        assert client.delete("/api/v1/grants/kim", headers=bearer(world, "ana")).status_code == 204
        assert client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "kim")).status_code == 404
        assert client.delete("/api/v1/grants/kim", headers=bearer(world, "ana")).status_code == 404
        states = {
            g["grantee"]: g["active"]
            for g in client.get("/api/v1/grants", headers=bearer(world, "ana")).json()
        }
    assert states == {"eve": False, "kim": False, "lee": True, "rex": False}


def test_a_grantee_reads_but_never_writes(world: World) -> None:
    with client_for(world.ctx) as client:
        for method, path in (("PUT", "/api/v1/cramps/c-9001"), ("DELETE", "/api/v1/cramps/c-9001")):
            answer = client.request(method, path, json={"severity": 1}, headers=bearer(world, "lee"))
            assert answer.status_code == 404
        assert (
            client.post("/api/v1/athletes/ana/cramps", json={}, headers=bearer(world, "lee")).status_code
            == 405
        )


def test_grants_go_to_coaches_and_clinicians_only(world: World) -> None:
    with client_for(world.ctx) as client:
        for who in ("ben", "root", "dan", "nobody", "../ana"):
            answer = client.post("/api/v1/grants", json={"grantee": who}, headers=bearer(world, "ana"))
            assert answer.status_code == 422
            assert (
                answer.json()["detail"][0]["msg"]
                == f"no coach or clinician named {who!r}; check the user name"
            )


def test_access_ends_at_midnight_after_the_last_day_in_the_athletes_zone(world: World) -> None:
    ana = get_user(world.ctx, username="ana")
    made = grant(world.ctx, owner=ana, grantee="kim", until=date(2026, 6, 1), now=FIXED_NOW)
    # Europe/Madrid is UTC+2 in June: the end of 1 June there is 22:00 UTC
    assert made.ends_at is not None and made.ends_at.astimezone(UTC) == datetime(
        2026, 6, 1, 22, 0, tzinfo=UTC
    )
    last_second = datetime(2026, 6, 1, 21, 59, 59, tzinfo=UTC)
    for when, status in ((last_second, 200), (last_second + timedelta(seconds=1), 404)):
        with client_for(world.ctx, now=when) as client:
            assert (
                client.get("/api/v1/athletes/ana/check", headers=bearer(world, "kim")).status_code == status
            )


def test_an_end_date_that_has_passed_is_refused(world: World) -> None:
    with client_for(world.ctx) as client:
        answer = client.post(
            "/api/v1/grants", json={"grantee": "kim", "until": "2026-05-31"}, headers=bearer(world, "ana")
        )
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "until"


def test_every_read_by_someone_else_is_logged_and_the_owners_are_not(world: World) -> None:
    with client_for(world.ctx) as client:
        for what in ("cramps", "sessions", "insights", "check"):
            assert client.get(f"/api/v1/athletes/ana/{what}", headers=bearer(world, "lee")).status_code == 200
            assert client.get(f"/api/v1/athletes/ana/{what}", headers=bearer(world, "ana")).status_code == 200
        for who in ("ben", "kim", "rex", "eve", "root"):
            assert client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, who)).status_code == 404
        client.get("/api/v1/roster", headers=bearer(world, "lee"))
        client.get(
            "/api/v1/squad-plan",
            params={"sport": "run", "duration_s": 7200, "temperature_c": 25},
            headers=bearer(world, "lee"),
        )
        sign_in(client, "lee")
        client.get("/coach")
        client.get("/coach/athletes/ana")
        logged = client.get("/api/v1/access-log", headers=bearer(world, "ana")).json()
    assert sorted(_log(world)) == sorted(
        [
            ("lee", "cramps", "api"),
            ("lee", "sessions", "api"),
            ("lee", "insights", "api"),
            ("lee", "check", "api"),
            ("lee", "roster", "api"),
            ("lee", "squad plan", "api"),
            ("lee", "roster", "page"),
            ("lee", "athlete page", "page"),
        ]
    )
    assert len(logged) == 8 and all(e["reader"] == "lee" and e["reader_role"] == "coach" for e in logged)


def test_the_answer_does_not_tell_an_unknown_athlete_from_a_hidden_one(world: World) -> None:
    with client_for(world.ctx) as client:
        hidden = client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "kim")).json()["detail"]
        unknown = client.get("/api/v1/athletes/zoe/cramps", headers=bearer(world, "kim")).json()["detail"]
        disabled = client.get("/api/v1/athletes/dan/cramps", headers=bearer(world, "kim")).json()["detail"]
    assert hidden.replace("'ana'", "X") == unknown.replace("'zoe'", "X") == disabled.replace("'dan'", "X")


def test_the_sharing_page_grants_revokes_and_shows_the_log(world: World) -> None:
    with client_for(world.ctx) as client:
        sign_in(client, "ana")
        page = client.get("/sharing")
        assert page.status_code == 200 and "Stop sharing with lee" in page.text
        bad = client.post(
            "/sharing",
            data={"grantee": "ben", "until": "", "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
        assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and 'value="ben"' in bad.text
        made = client.post(
            "/sharing", data={"grantee": "cleo", "until": "2026-07-01", "csrf_token": csrf_from(page.text)}
        )
        assert made.status_code == 200 and "Shared with cleo" in made.text and "2026-07-01" in made.text
        with client_for(world.ctx) as reader:
            assert (
                reader.get("/api/v1/athletes/ana/sessions", headers=bearer(world, "cleo")).status_code == 200
            )
        shown = client.get("/sharing").text
        assert "cleo (clinician)" in shown and ">sessions<" in shown
        client.post("/sharing/cleo/revoke", data={"csrf_token": csrf_from(shown)})
        assert client.get("/api/v1/athletes/ana/sessions", headers=bearer(world, "cleo")).status_code == 404


def test_a_coach_has_no_sharing_page_and_an_athlete_no_roster(world: World) -> None:
    with client_for(world.ctx) as client:
        sign_in(client, "lee")
        assert client.get("/sharing").status_code == 404
        assert client.get("/", follow_redirects=False).headers["location"] == "/coach"
    with client_for(world.ctx) as client:
        sign_in(client, "ben")
        assert client.get("/coach").status_code == 404
        assert client.get("/coach/athletes/ana").status_code == 404
