"""The JSON API's records: bundle field names, 201/200/204, 422 with the field's path, 404."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.journal import add_athlete, log_cramp
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL

CRAMP = {
    "at": "2026-05-20T07:10:00+02:00",
    "muscle": "calf",
    "side": "left",
    "severity": 6,
    "context": "rest",
}


def test_post_a_cramp_then_read_change_and_delete_it(client: TestClient) -> None:
    created = client.post("/api/v1/cramps", json=CRAMP)
    assert created.status_code == 201
    record = created.json()
    assert record["id"] == "c-0003"  # the sample bundle holds c-0001 and c-0002
    assert {k: record[k] for k in CRAMP} == CRAMP
    listed = client.get("/api/v1/cramps").json()
    assert [c["id"] for c in listed] == ["c-0001", "c-0002", "c-0003"]
    assert client.get("/api/v1/cramps?last=1").json() == [record]
    assert client.get("/api/v1/cramps/c-0003").json() == record
    changed = client.put("/api/v1/cramps/c-0003", json={"severity": 8, "side": None})
    assert changed.status_code == 200
    assert (changed.json()["severity"], changed.json()["side"], changed.json()["muscle"]) == (8, None, "calf")
    assert client.delete("/api/v1/cramps/c-0003").status_code == 204
    assert client.get("/api/v1/cramps/c-0003").status_code == 404


def test_bad_fields_answer_422_with_each_field_path(client: TestClient) -> None:
    response = client.post("/api/v1/cramps", json={**CRAMP, "severity": 11, "muscle": "elbow"})
    assert response.status_code == 422
    fields = {d["field"]: d for d in response.json()["detail"]}
    assert set(fields) == {"severity", "muscle"}
    assert fields["severity"]["loc"] == ["body", "severity"]
    assert "10" in fields["severity"]["msg"]
    future = client.post("/api/v1/cramps", json={**CRAMP, "at": "2026-06-02T12:00:00+00:00"})
    assert future.status_code == 422 and future.json()["detail"][0]["field"] == "at"
    typo = client.post("/api/v1/cramps", json={**CRAMP, "sevrity": 3})
    assert typo.status_code == 422 and typo.json()["detail"][0]["field"] == "sevrity"
    assert len(client.get("/api/v1/cramps").json()) == 2


def test_sessions_and_days(client: TestClient) -> None:
    session = client.post(
        "/api/v1/sessions", json={"start": "2026-05-30T08:00:00+02:00", "sport": "ride", "duration_s": 3600}
    )
    assert session.status_code == 201 and session.json()["id"] == "s-0003"
    bad = client.post(
        "/api/v1/sessions",
        json={"start": "2026-05-30T08:00:00+02:00", "sport": "ride", "duration_s": 48 * 3600 + 1},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "duration_s"
    day = client.post("/api/v1/days", json={"date": "2026-05-03", "fatigue": 4})
    assert day.status_code == 201
    assert day.json() == {
        "date": "2026-05-03",
        "sleep_h": 5.5,
        "fluid_ml": None,
        "alcohol_units": None,
        "fatigue": 4,
        "notes": "",
        "sleep_quality": None,
        "resting_hr": None,
        "hrv_ms": None,
        "tags": {},
        "imported_fields": [],
    }
    assert [d["date"] for d in client.get("/api/v1/days").json()] == ["2026-05-01", "2026-05-03"]


def test_a_record_of_another_athlete_is_404_never_403(settings: Settings) -> None:
    with open_context(settings) as ctx:
        add_athlete(ctx, data={"name": "Ana"})
        add_athlete(ctx, data={"name": "Ben"})
        log_cramp(ctx, athlete="Ben", data={"muscle": "calf", "context": "rest"}, now=FIXED_NOW)
    ana = Settings(database_url=settings.database_url, data_dir=settings.data_dir, athlete="Ana")
    with TestClient(create_app(ana, clock=lambda: FIXED_NOW), base_url=LOCAL_URL) as client:
        assert client.get("/api/v1/cramps/c-0001").status_code == 404
        assert client.put("/api/v1/cramps/c-0001", json={"severity": 1}).status_code == 404
        assert client.delete("/api/v1/cramps/c-0001").status_code == 404
        assert client.get("/api/v1/cramps").json() == []


def test_reads_use_the_contract_documents(client: TestClient) -> None:
    insights = client.get("/api/v1/insights").json()
    assert insights["athlete"] == "Ana" and {"factors", "summary", "n_sessions"} <= set(insights)
    check = client.get("/api/v1/check").json()
    assert check["level"] in ("emergency", "urgent", "soon", "mention", "none") and "disclaimer" in check
    plan = client.get(
        "/api/v1/plan", params={"sport": "run", "duration_s": 10800, "temperature_c": 28, "rpe": 6}
    ).json()
    assert plan["session"]["duration_s"] == 10800 and plan["fluid_ml_per_h"][1] <= plan["fluid_ml_per_h_max"]
    bad_plan = client.get("/api/v1/plan", params={"sport": "run", "duration_s": -5, "temperature_c": 28})
    assert bad_plan.status_code == 422 and bad_plan.json()["detail"][0]["loc"] == ["query", "duration_s"]
    bundle: dict[str, Any] = client.get("/api/v1/export").json()
    assert bundle["format"] == "crampwise-bundle" and len(bundle["cramps"]) == 2


def test_openapi_documents_every_contract_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, methods in {
        "/api/v1/cramps": {"get", "post"},
        "/api/v1/cramps/{record_id}": {"get", "put", "delete"},
        "/api/v1/sessions": {"get", "post"},
        "/api/v1/sessions/{record_id}": {"get", "put", "delete"},
        "/api/v1/days": {"get", "post"},
        "/api/v1/imports": {"post"},
        "/api/v1/insights": {"get"},
        "/api/v1/check": {"get"},
        "/api/v1/plan": {"get"},
        "/api/v1/export": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    post = paths["/api/v1/cramps"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Cramp")
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])


def test_a_listing_reads_only_its_own_kind(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """GET /api/v1/cramps reads the cramps table, not years of sessions and days as well."""
    from crampwise.storage import repository

    read: list[str] = []
    real = repository.list_records

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        read.append(kwargs["kind"].table.name)
        return real(**kwargs)

    monkeypatch.setattr(repository, "list_records", counting)
    listed = client.get("/api/v1/cramps")
    assert listed.status_code == 200 and listed.json()
    assert read == ["cramps"]
