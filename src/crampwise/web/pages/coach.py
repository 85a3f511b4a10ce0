"""The coach's pages (server mode): `/coach` (the roster of athletes who share with them),
`/coach/athletes/{athlete}` (one athlete's summary) and `/coach/plan` (the squad plan for an
event, printable, and as CSV at `/coach/plan.csv`). Every read is in the athletes' access logs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.insights import LABELS
from crampwise.services.plan_input import FIELDS
from crampwise.services.shared_reads import athlete_summary, roster
from crampwise.services.squad_plan import squad_plan_from_form
from crampwise.web.deps import Ctx, Me, Now
from crampwise.web.forms import FormState
from crampwise.web.pages.journal import CHOICES
from crampwise.web.pages.planning import LABELS as PLAN_LABELS
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/coach")
def roster_page(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    rows = roster(ctx, reader=me.account, now=now)
    return page(request, "coach.html.j2", {"rows": rows, "active": "/coach"})


@router.get("/coach/athletes/{athlete}")
def athlete_page(request: Request, ctx: Ctx, me: Me, now: Now, athlete: str) -> Response:
    row, insights = athlete_summary(ctx, reader=me, athlete=athlete, now=now)
    context = {"row": row, "insights": insights, "labels": LABELS, "active": "/coach"}
    return page(request, "coach_athlete.html.j2", context)


@router.get("/coach/plan")
def plan_page(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    form = FormState(values=values, fields=PLAN_LABELS)
    result, status = None, 200
    if any(values.values()):
        try:
            result = squad_plan_from_form(ctx, reader=me.account, raw=values, now=now)
        except InvalidInput as exc:
            form.fail(exc)
            status = 422
    else:
        form.values["sport"] = "run"
    context = {
        "form": form,
        "result": result,
        "query": request.url.query,
        "sports": CHOICES["sports"],
        "active": "/coach/plan",
    }
    return page(request, "coach_plan.html.j2", context, status_code=status)


@router.get("/coach/plan.csv")
def plan_csv(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    result = squad_plan_from_form(ctx, reader=me.account, raw=values, now=now)
    return Response(
        result.to_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crampwise-squad-plan.csv"'},
    )
