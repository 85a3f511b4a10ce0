"""Today (`/`): the next session's plan and cramp risk, the latest red flag, and the big
"Cramping now" button; `/more` lists the other pages; `/offline` is the service worker's page
for what needs the network."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.errors import NotFound, NotSetUp
from crampwise.services.today import today
from crampwise.web.auth import public
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/")
def today_page(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    try:
        view = today(ctx, athlete=athlete, now=now)
    except NotFound as exc:  # a first run, or several athletes and no default one
        message = "" if isinstance(exc, NotSetUp) else str(exc)
        return page(request, "welcome.html.j2", {"message": message, "active": "/"})
    return page(request, "today.html.j2", {"t": view, "units": view.athlete.units.value, "active": "/"})


@router.get("/more")
def more(request: Request) -> Response:
    return page(request, "more.html.j2", {"active": "/more"})


@router.get("/offline")
@public
def offline(request: Request) -> Response:
    return page(request, "offline.html.j2", {})
