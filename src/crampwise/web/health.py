"""`GET /healthz`: is this web process up? For a load balancer's or a supervisor's probe.

It touches no store, no template and no session: it answers from the process alone, so it also
serves as the floor of the web load benchmark (benchmarks/web_load_bench.py): the cost of the
framework and the server, against which the Today page and the API are measured. Open without
signing in in server mode; it says nothing about anyone.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from crampwise.web.auth import public

router = APIRouter(include_in_schema=False)


@router.get("/healthz", response_class=PlainTextResponse)
@public
async def healthz() -> str:
    return "ok\n"
