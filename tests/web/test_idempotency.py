"""Offline sync's Idempotency-Key (CONTRACTS.md section 6), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crampwise.config import Settings
from crampwise.domain.errors import InvalidInput
from crampwise.services.context import open_context
from crampwise.services.journal import add_athlete, load_history
from crampwise.services.sync import log_once
from tests.conftest import FIXED_NOW

BODY = {"muscle": "calf", "context": "exercise", "at": "2026-05-31T09:00:00+02:00", "severity": 5}


def test_a_replayed_key_returns_the_first_record_and_creates_nothing(client: TestClient) -> None:
    first = client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "phone-1"})
    again = client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "phone-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert [c["id"] for c in client.get("/api/v1/cramps").json()].count(first.json()["id"]) == 1
    assert len(client.get("/api/v1/cramps").json()) == 3


def test_the_same_key_with_another_body_or_kind_is_refused(client: TestClient) -> None:
    client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "k"})
    other = client.post("/api/v1/cramps", json={**BODY, "severity": 6}, headers={"Idempotency-Key": "k"})
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    session = client.post(
        "/api/v1/sessions",
        json={"start": "2026-05-30T08:00:00+02:00", "sport": "run", "duration_s": 600},
        headers={"Idempotency-Key": "k"},
    )
    assert session.status_code == 422
    assert len(client.get("/api/v1/cramps").json()) == 3 and len(client.get("/api/v1/sessions").json()) == 2


def test_a_key_of_100_characters_is_accepted_and_of_101_refused(client: TestClient) -> None:
    assert client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "x" * 100}).status_code == 201
    too_long = client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "y" * 101})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["field"] == "Idempotency-Key"


def test_a_rejected_request_does_not_use_up_its_key(client: TestClient) -> None:
    bad = client.post("/api/v1/cramps", json={**BODY, "severity": 42}, headers={"Idempotency-Key": "retry"})
    assert bad.status_code == 422
    good = client.post("/api/v1/cramps", json=BODY, headers={"Idempotency-Key": "retry"})
    assert good.status_code == 201


def test_days_replay_too(client: TestClient) -> None:
    first = client.post(
        "/api/v1/days", json={"date": "2026-05-20", "sleep_h": 6}, headers={"Idempotency-Key": "d"}
    )
    again = client.post(
        "/api/v1/days", json={"date": "2026-05-20", "sleep_h": 6}, headers={"Idempotency-Key": "d"}
    )
    assert (first.status_code, again.status_code) == (201, 200) and again.json() == first.json()


def test_keys_belong_to_one_athlete(store_settings: Settings) -> None:
    with open_context(store_settings) as ctx:
        for name in ("Ana", "Ben"):
            add_athlete(ctx, data={"name": name})
        a = log_once(ctx, athlete="Ana", kind="cramp", data=BODY, now=FIXED_NOW, key="same")
        b = log_once(ctx, athlete="Ben", kind="cramp", data=BODY, now=FIXED_NOW, key="same")
        replay = log_once(ctx, athlete="Ana", kind="cramp", data=BODY, now=FIXED_NOW, key="same")
        assert a.created and b.created and not replay.created
        assert replay.record == a.record
        assert len(load_history(ctx, athlete="Ana").cramps) == 1
        assert len(load_history(ctx, athlete="Ben").cramps) == 1
        with pytest.raises(InvalidInput, match="different cramp"):
            log_once(
                ctx, athlete="Ana", kind="cramp", data={**BODY, "side": "left"}, now=FIXED_NOW, key="same"
            )
