"""Planned sessions (`/planned`) and session mode (`/session`, `/session/{id}`).

Session mode keeps the screen awake and beeps and vibrates at each drink (static/session.js).
`/session` is the page the service worker keeps for use without a network: it shows the
schedules this phone kept (localStorage) when a planned session was opened online.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.planned import PlannedSessionRecord
from crampwise.services.planned import (
    add_planned_from_text,
    list_planned,
    planned_title,
    remove_planned,
    session_mode,
)
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState, form_values
from crampwise.web.pages.journal import CHOICES
from crampwise.web.pages.planning import CARRY_PREFIX, LABELS, shelf_of
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


def _listing(ctx: Ctx, athlete: str | None, now: Now) -> list[tuple[PlannedSessionRecord, str]]:
    try:
        shelf = shelf_of(ctx, athlete)
        return [(p, planned_title(p, shelf.units)) for p in list_planned(ctx, athlete=athlete, now=now)]
    except NotFound:
        return []


def _render(
    request: Request, ctx: Ctx, athlete: str | None, now: Now, form: FormState, saved: str | None, status: int
) -> Response:
    shelf = shelf_of(ctx, athlete)
    context = {
        "form": form,
        "planned": _listing(ctx, athlete, now),
        "saved": saved,
        "sports": CHOICES["sports"],
        "products": shelf.products,
        "units": shelf.units.value,
        "carry_prefix": CARRY_PREFIX,
        "active": "/more",
    }
    return page(request, "planned.html.j2", context, status_code=status)


@router.get("/planned")
def planned_page(
    request: Request, ctx: Ctx, athlete: Athlete, now: Now, saved: str | None = None
) -> Response:
    form = FormState(values={"sport": "run"}, fields=LABELS)
    return _render(request, ctx, athlete, now, form, saved, 200)


@router.post("/planned")
async def add(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    try:
        record = add_planned_from_text(ctx, athlete=athlete, raw=values)
    except InvalidInput as exc:
        form = FormState(values=values, fields=LABELS).fail(exc)
        return _render(request, ctx, athlete, now, form, None, 422)
    return RedirectResponse(f"/planned?saved={record.id}", status_code=303)


@router.post("/planned/{planned_id}/remove")
def remove(planned_id: str, ctx: Ctx, athlete: Athlete) -> Response:
    remove_planned(ctx, athlete=athlete, planned_id=planned_id)
    return RedirectResponse("/planned", status_code=303)


@router.get("/session")
def session_shell(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    """The offline page: the schedules kept on this phone, and the planned sessions (online)."""
    return page(
        request,
        "session_mode.html.j2",
        {"mode": None, "planned": _listing(ctx, athlete, now), "active": "/more"},
    )


@router.get("/session/{planned_id}")
def session_page(request: Request, planned_id: str, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    mode = session_mode(ctx, athlete=athlete, planned_id=planned_id, now=now)
    return page(request, "session_mode.html.j2", {"mode": mode, "planned": [], "active": "/more"})
