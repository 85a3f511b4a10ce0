"""Plan (`/plan`): the form, the plan with its drinking schedule, and the `.ics` download.

The form's text is read by `services.plan_input`, as the CLI's `plan` options are (a bare
temperature in the athlete's units, a bare duration in minutes); without a body mass the page
asks for it in Settings instead of failing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.plan_input import FIELDS, plan_from_text, plan_page
from crampwise.services.planning import schedule_ics
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState
from crampwise.web.pages.journal import CHOICES
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

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
    form = FormState(values={**values, "sport": values["sport"] or "run"}, fields=LABELS)
    status = 200
    try:
        view = plan_page(ctx, athlete=athlete, raw=values, now=now)
    except InvalidInput as exc:
        form.fail(exc)
        status = 422
        view = plan_page(ctx, athlete=athlete, raw={}, now=now)
    context = {
        "form": form,
        "view": view,
        "result": view.result,
        "units": view.units.value,
        "query": request.url.query,
        "sports": CHOICES["sports"],
        "active": "/more",
    }
    return page(request, "plan.html.j2", context, status_code=status)


@router.get("/plan.ics")
def plan_ics(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    result = plan_from_text(ctx, athlete=athlete, raw=values, now=now)
    body = schedule_ics(result, now=now)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crampwise-drinks.ics"'},
    )
