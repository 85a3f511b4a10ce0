"""History (`/history`): calendar heatmap, body map, trend, the cramps and the latest sessions;
`/history/cramps/{id}`: one cramp on its session's heart-rate and pace chart;
`/history/sessions/{id}`: one session (or multisport event) with its cramps."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.services.history_pages import LIST_LIMIT, cramp_detail, history_page
from crampwise.services.sessions import session_page
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/history")
def history(
    request: Request, ctx: Ctx, athlete: Athlete, now: Now, saved: str | None = None, show: str | None = None
) -> Response:
    view = history_page(
        ctx, athlete=athlete, now=now, limit=None if show == "all" else LIST_LIMIT, saved=saved
    )
    return page(request, "history.html.j2", {"h": view, "saved": saved, "active": "/history"})


@router.get("/history/cramps/{cramp_id}")
def cramp(request: Request, cramp_id: str, ctx: Ctx, athlete: Athlete) -> Response:
    detail = cramp_detail(ctx, athlete=athlete, cramp_id=cramp_id)
    return page(request, "cramp.html.j2", {"d": detail, "active": "/history"})


@router.get("/history/sessions/{session_id}")
def session(request: Request, session_id: str, ctx: Ctx, athlete: Athlete) -> Response:
    view = session_page(ctx, athlete=athlete, session_id=session_id)
    return page(request, "session.html.j2", {"s": view, "active": "/history"})
