"""Every page answers, without JavaScript: forms keep what was typed and put the message beside
the field; the relief guide and the cramp log need no athlete to be shown."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from crampwise.knowledge.relief import load_relief

PAGES = [
    "/",
    "/now",
    "/now/calf",
    "/log/cramp",
    "/log/session",
    "/log/day",
    "/history",
    "/history/cramps/c-0001",
    "/insights",
    "/plan",
    "/check",
    "/report",
    "/import",
    "/settings",
    "/more",
    "/offline",
    "/sources",
    "/sources?cite=miller2022_jat,nhs_leg_cramps",
]
PLACEHOLDERS = ("{emergency}", "{urgent_care}")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_html_with_the_cramping_now_way_out(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # not no-referrer: Chromium then sends `Origin: null` with the app's own form posts
    assert response.headers["referrer-policy"] == "same-origin"
    assert 'href="/now' in response.text


def test_today_has_the_cramping_now_link_plan_risk_and_flag(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r'<a class="big-now" href="/now">Cramping now', html)
    assert "Your next session" in html and "Cramp risk" in html and "Red flags" in html


def test_now_links_every_muscle_by_its_display_name(empty_client: TestClient) -> None:
    html = empty_client.get("/now").text
    relief = load_relief()
    for muscle in relief.muscles:
        assert f'<a href="/now/{muscle}">{relief.protocol(muscle).name}</a>' in html


def test_relief_page_has_a_timer_pictures_and_stop_signs(empty_client: TestClient) -> None:
    html = empty_client.get("/now/hamstring").text
    assert 'role="timer"' in html
    assert '<img src="/static/illustrations/hamstring_seated.svg?v=' in html
    assert "Stop and get help" in html and "quinine" in html
    assert empty_client.get("/now/elbow").status_code == 404


def test_relief_episode_without_javascript_counts_from_the_page_time(client: TestClient) -> None:
    response = client.post(
        "/now/calf",
        data={"started": "2026-06-01T11:58:30+00:00", "relief_worked": "yes", "severity": "4"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/history?saved=c-0003"
    cramp = client.get("/api/v1/cramps/c-0003").json()
    assert (cramp["muscle"], cramp["duration_s"], cramp["relief_worked"], cramp["severity"]) == (
        "calf",
        90,
        True,
        4,
    )
    assert cramp["at"] == "2026-06-01T13:58:30+02:00"  # shown in Ana's zone


def test_a_page_left_open_for_hours_logs_no_duration(client: TestClient) -> None:
    client.post("/now/foot", data={"started": "2026-06-01T08:00:00+00:00"})
    assert client.get("/api/v1/cramps/c-0003").json()["duration_s"] is None


def test_log_form_without_javascript_keeps_values_and_marks_the_field(client: TestClient) -> None:
    response = client.post(
        "/log/cramp",
        data={"muscle": "calf", "side": "left", "severity": "7", "context": "rest", "duration_s": "abc"},
    )
    assert response.status_code == 422
    html = response.text
    assert re.search(
        r'id="duration_s" name="duration_s" value="abc"[^>]*aria-describedby="[^"]*duration_s-error"[^>]*aria-invalid="true"',
        html,
    )
    assert '<p class="error" id="duration_s-error">cannot read &#39;abc&#39;' in html
    for checked in (
        'id="muscle-calf" name="muscle" value="calf" checked',
        'id="side-left" name="side" value="left" checked',
        'value="7" checked',
        'value="rest" checked',
    ):
        assert checked in html
    assert len(client.get("/api/v1/cramps").json()) == 2


def test_log_form_saves_and_shows_the_cramp_in_history(client: TestClient) -> None:
    response = client.post(
        "/log/cramp",
        data={
            "muscle": "toes",
            "side": "right",
            "context": "sleep",
            "at": "2026-06-01T03:10",
            "relief": ["stretch", "walk"],
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/history?saved=c-0003"
    cramp = client.get("/api/v1/cramps/c-0003").json()
    assert cramp["at"] == "2026-06-01T03:10:00+02:00" and cramp["relief"] == ["stretch", "walk"]
    history = client.get("/history?saved=c-0003").text
    assert 'id="c-0003" class="saved"' in history and "Toes, right" in history


def test_a_cramp_saved_offline_keeps_the_time_the_phone_saved_it(client: TestClient) -> None:
    client.post(
        "/log/cramp", data={"muscle": "calf", "context": "rest", "client_time": "2026-05-31T22:15:00+02:00"}
    )
    assert client.get("/api/v1/cramps/c-0003").json()["at"] == "2026-05-31T22:15:00+02:00"


def test_session_and_day_forms(client: TestClient) -> None:
    saved = client.post(
        "/log/session",
        data={
            "sport": "run",
            "duration_s": "1h30m",
            "distance_m": "21.1km",
            "pre_mass_kg": "62kg",
            "post_mass_kg": "61kg",
        },
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/log/session?saved=s-0003"
    session = client.get("/api/v1/sessions/s-0003").json()
    assert (session["duration_s"], session["distance_m"], session["post_mass_kg"]) == (5400, 21100, 61)
    bad = client.post("/log/day", data={"sleep_h": "7.5h", "fluid_ml": "2.5"})
    assert bad.status_code == 422 and 'id="fluid_ml-error"' in bad.text and 'value="7.5h"' in bad.text


def test_plan_form_and_calendar(client: TestClient) -> None:
    html = client.get("/plan?sport=run&duration=3h&temperature=28&rpe=6&date=2026-06-07T08:00").text
    assert "Drinking schedule" in html and "/plan.ics?" in html
    ics = client.get("/plan.ics?sport=run&duration=3h&temperature=28&rpe=6&date=2026-06-07T08:00")
    assert ics.headers["content-type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    bad = client.get("/plan?sport=run&duration=forever&temperature=28")
    assert bad.status_code == 422 and 'id="duration-error"' in bad.text and 'value="forever"' in bad.text


def test_report_downloads(client: TestClient) -> None:
    pdf = client.get("/report/download?format=pdf")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    fhir = client.get("/report/download?format=fhir").json()
    assert fhir["resourceType"] == "Bundle" and fhir["type"] == "collection"
    view = client.get("/report/view")
    assert view.status_code == 200 and "style-src 'unsafe-inline'" in view.headers["content-security-policy"]
    assert client.get("/report/download?format=docx").status_code == 422


def test_check_answers_are_recorded_on_the_latest_cramp(client: TestClient) -> None:
    html = client.post("/check", data={"symptoms": ["swelling", "warmth"]}).text
    assert "Answers recorded on your latest cramp (c-0002)" in html
    assert set(client.get("/api/v1/cramps/c-0002").json()["symptoms"]) == {"swelling", "warmth"}


def test_settings_create_the_athlete_on_a_fresh_store(empty_client: TestClient) -> None:
    assert "Set up your athlete" in empty_client.get("/").text
    bad = empty_client.post("/settings", data={"name": "Zoe", "timezone": "Mars/Base", "units": "metric"})
    assert bad.status_code == 422 and 'id="timezone-error"' in bad.text and 'value="Zoe"' in bad.text
    ok = empty_client.post(
        "/settings",
        data={"name": "Zoe", "timezone": "Europe/Oslo", "units": "imperial", "body_mass_kg": "132lb"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    html = empty_client.get("/settings").text
    assert 'value="Zoe"' in html and 'value="imperial" checked' in html
    assert "Today, Zoe" in empty_client.get("/").text


GPX = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="40.0" lon="-3.0"><time>2026-05-10T07:00:00Z</time></trkpt>
<trkpt lat="40.01" lon="-3.0"><time>2026-05-10T07:10:00Z</time></trkpt>
<trkpt lat="40.02" lon="-3.0"><time>2026-05-10T07:20:00Z</time></trkpt></trkseg></trk></gpx>"""


def test_import_page_and_api_take_uploads(client: TestClient) -> None:
    html = client.post("/import", files=[("files", ("morning.gpx", GPX, "application/gpx+xml"))]).text
    assert "1 imported, 0 duplicates" in html
    again = client.post(
        "/api/v1/imports", files=[("files", ("morning.gpx", GPX, "application/gpx+xml"))]
    ).json()
    assert (again["imported"], again["duplicates"], again["files"][0]["status"]) == (0, 1, "duplicate")
    empty = client.post("/import", data={})
    assert empty.status_code == 422


def _pages_to_scan(client: TestClient) -> list[str]:
    muscles = [f"/now/{m}" for m in load_relief().muscles]
    extra = ["/plan?sport=run&duration=6h&temperature=35", "/history?saved=c-0002", "/history/cramps/c-0002"]
    return [*PAGES, *muscles, *extra]


def test_no_page_shows_a_raw_placeholder(client: TestClient) -> None:
    """`{emergency}` and `{urgent_care}` are filled on every page, whatever raised the text: the
    relief steps and cautions, the red flags of a swollen, warm calf, the advice after logging."""
    client.put("/api/v1/cramps/c-0002", json={"symptoms": ["swelling", "warmth", "numbness", "dark_urine"]})
    client.post("/check", data={"flags": [q for q in _question_codes()]})
    scanned = 0
    for path in _pages_to_scan(client):
        html = client.get(path).text
        for placeholder in PLACEHOLDERS:
            assert placeholder not in html, f"{placeholder} on {path}"
        scanned += 1
    answered = client.post("/check", data={"flags": _question_codes()}).text
    assert not any(p in answered for p in PLACEHOLDERS)
    assert "call 112" in answered  # Ana lives in Madrid
    assert scanned == len(_pages_to_scan(client))


def _question_codes() -> list[str]:
    from crampwise.services.triage import questions

    return [f.code for f in questions().flags]
