"""Plan (`/plan`): the form, the plan with its drinking schedule, and the `.ics` download.

The form's text is read by `services.plan_input`, as the CLI's `plan` options are (a bare
temperature in the athlete's units, a bare duration in minutes); without a body mass the page
asks for it in Settings instead of failing. The athlete's products (`/settings/products`)
appear in the form as "how many will you carry" (`carry:NAME` fields), and a plan with a start
time can be saved as a planned session.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.plan_calendar import schedule_ics
from crampwise.services.plan_input import FIELDS, plan_from_text, plan_page
from crampwise.services.products import Shelf, product_shelf
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState
from crampwise.web.pages.journal import CHOICES
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

CARRY_PREFIX = "carry:"
LABELS = {
    "sport": "Sport",
    "duration": "Duration",
    "temperature": "Temperature",
    "rpe": "Effort (RPE)",
    "date": "Start",
    "carry": "What you will carry",
    "form": "Form",
}


def _values(request: Request) -> dict[str, str]:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    values.update({k: v for k, v in request.query_params.items() if k.startswith(CARRY_PREFIX)})
    return values


def shelf_of(ctx: Ctx, athlete: str | None) -> Shelf:
    """The athlete's products, or none on a store without an athlete yet."""
    try:
        return product_shelf(ctx, athlete=athlete)
    except NotFound:
        return Shelf([], UnitSystem.METRIC)


@router.get("/plan")
def plan(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = _values(request)
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
        "products": shelf_of(ctx, athlete).products,
        "carry_prefix": CARRY_PREFIX,
        "active": "/more",
    }
    return page(request, "plan.html.j2", context, status_code=status)


@router.get("/plan.ics")
def plan_ics(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    result = plan_from_text(ctx, athlete=athlete, raw=_values(request), now=now)
    body = schedule_ics(result, now=now)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crampwise-drinks.ics"'},
    )
