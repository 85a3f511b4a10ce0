"""`GET /healthz` answers from the process alone: no store, no athlete needed."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import TestClient


def test_healthz_answers_without_a_store(empty_client: TestClient, tmp_path: Path) -> None:
    answer = empty_client.get("/healthz")
    assert answer.status_code == 200
    assert answer.text == "ok\n"
    assert answer.headers["content-type"].startswith("text/plain")
    assert not (tmp_path / "crampwise.db").exists()  # the store was never opened, let alone created
    assert "/healthz" not in empty_client.get("/openapi.json").json()["paths"]
