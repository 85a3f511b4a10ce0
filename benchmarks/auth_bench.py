"""What server mode's checks cost per request, against the same request in local mode.

In process (Starlette's TestClient, SQLite in a temp folder, the demo athlete): the median time
of `GET /api/v1/cramps?last=10` in local mode is the floor; server mode answers the same route
for the same athlete with a bearer token, with a session cookie, and a coach reads it through a
grant (`/api/v1/athletes/{athlete}/cramps`, one access-log row written per read). A password
sign-in (`POST /api/v1/token`, one argon2id verification) is reported against the floor too.

    python benchmarks/auth_bench.py          # 200 requests per case, medians
    python benchmarks/auth_bench.py -n 50    # quick look
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crampwise.config import ServerSettings, Settings
from crampwise.domain.accounts import Role
from crampwise.services.accounts import add_user, get_user
from crampwise.services.api_tokens import issue_token
from crampwise.services.context import open_context
from crampwise.services.demo import create_demo
from crampwise.services.grants import grant
from crampwise.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SECRET = "bench-" + "Kq3v9Zt1Rw8YpL2mXc7NbH4sJd6Gf0Ae"
PASSWORD = "bench-password-long"


def _median_ms(call: Callable[[], Any], n: int) -> float:
    call()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    n = parser.parse_args().n
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        local = Settings(database_url=url, data_dir=Path(folder))
        server = Settings(database_url=url, data_dir=Path(folder), server=ServerSettings(secret_key=SECRET))
        with open_context(local) as ctx:
            athlete = create_demo(ctx, now=now).athlete
        with open_context(server) as ctx:
            ana = add_user(
                ctx, username="ana", role=Role.ATHLETE, password=PASSWORD, athlete=athlete, now=now
            )
            lee = add_user(ctx, username="lee", role=Role.COACH, password=PASSWORD, now=now)
            grant(ctx, owner=ana, grantee="lee", until=None, now=now)
            ana_token = issue_token(ctx, account=get_user(ctx, username="ana"), now=now)[0]
            lee_token = issue_token(ctx, account=lee, now=now)[0]
        with TestClient(create_app(local)) as plain, TestClient(create_app(server)) as club:
            floor = _median_ms(lambda: plain.get("/api/v1/cramps?last=10"), n)
            page = club.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert token is not None
            club.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token.group(1)})
            cases = {
                "server, bearer token": lambda: club.get(
                    "/api/v1/cramps?last=10", headers={"Authorization": f"Bearer {ana_token}"}, cookies={}
                ),
                "server, session cookie": lambda: club.get("/api/v1/cramps?last=10"),
                "coach through a grant (logged)": lambda: club.get(
                    "/api/v1/athletes/ana/cramps", headers={"Authorization": f"Bearer {lee_token}"}
                ),
            }
            print(f"floor: local mode GET /api/v1/cramps?last=10  {floor:7.2f} ms  (1.00x)")
            for name, call in cases.items():
                ms = _median_ms(call, n)
                print(f"{name:38s} {ms:7.2f} ms  ({ms / floor:.2f}x)")
            sign_in = _median_ms(
                lambda: club.post("/api/v1/token", data={"username": "lee", "password": PASSWORD}),
                max(5, n // 20),
            )
            print(f"{'password sign-in (argon2id + token)':38s} {sign_in:7.2f} ms  ({sign_in / floor:.2f}x)")


if __name__ == "__main__":
    main()
