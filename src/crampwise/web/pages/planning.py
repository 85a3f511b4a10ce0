"""Plan (`/plan`): the form, the plan with its drinking schedule, and the `.ics` download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.plan_input import plan_from_form
from crampwise.services.planning import schedule_ics
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState
from crampwise.web.pages.journal import CHOICES
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

FIELDS = ("sport", "duration", "temperature", "rpe", "date")
LABELS = {
    "sport": "Sport",
    "duration": "Duration",
    "temperature": "Temperature",
    "rpe": "Effort (RPE)",
    "date": "Start",
    "form": "Form",
}


@router.get("/plan")
def plan(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    form = FormState(values=values or {"sport": "run"}, fields=LABELS)
    result = None
    status = 200
    if any(values.values()):
        try:
            result = plan_from_form(ctx, athlete=athlete, raw=values, now=now)
        except InvalidInput as exc:
            form.fail(exc)
            status = 422
    else:
        form.values["sport"] = "run"
    query = request.url.query
    context = {"form": form, "result": result, "query": query, "sports": CHOICES["sports"], "active": "/more"}
    return page(request, "plan.html.j2", context, status_code=status)


@router.get("/plan.ics")
def plan_ics(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    result = plan_from_form(ctx, athlete=athlete, raw=values, now=now)
    body = schedule_ics(result, now=now)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crampwise-drinks.ics"'},
    )
