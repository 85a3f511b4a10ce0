"""Server mode's consent API: an athlete's grants (`GET|POST /grants`,
`DELETE /grants/{grantee}`) and access log (`GET /access-log`); a grantee's reads of an
athlete's records (`GET /athletes/{athlete}/cramps|sessions|insights|check`), roster
(`GET /roster`) and squad plan (`GET /squad-plan`, `GET /squad-plan.csv`).

Records the caller may not see answer 404, never 403 (CONTRACTS.md section 6).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from crampwise.domain.records import Cramp, Session
from crampwise.services.grants import access_log, grant, grants_given, revoke
from crampwise.services.plan_input import PlanRequest
from crampwise.services.planning import parse_sport
from crampwise.services.shared_reads import read_shared, roster
from crampwise.services.squad_plan import squad_plan
from crampwise.web.deps import Athlete, Ctx, Me, Now

router = APIRouter()
HIDDEN: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid credentials"},
    404: {"description": "Nothing the caller may see"},
}
AthleteName = Annotated[str, "the athlete's user name"]


class GrantIn(BaseModel):
    grantee: str = Field(max_length=80, description="The coach's or clinician's user name")
    until: date | None = Field(
        default=None, description="Last day of access (inclusive), the athlete's time zone"
    )


class GrantOut(BaseModel):
    athlete: str
    grantee: str
    grantee_role: str
    granted_at: datetime
    until: date | None
    revoked_at: datetime | None
    active: bool


class AccessOut(BaseModel):
    at: datetime
    reader: str
    reader_role: str
    what: str
    via: str


@router.get("/grants", summary="Who the athlete lets read their records", responses=HIDDEN)
def grants(ctx: Ctx, me: Me, _athlete: Athlete, now: Now) -> list[GrantOut]:
    return [GrantOut.model_validate(g.to_json(now)) for g in grants_given(ctx, owner=me.account)]


@router.post(
    "/grants",
    status_code=201,
    summary="Let a coach or clinician read the athlete's records",
    responses=HIDDEN,
)
def give(ctx: Ctx, me: Me, _athlete: Athlete, now: Now, body: GrantIn) -> GrantOut:
    made = grant(ctx, owner=me.account, grantee=body.grantee, until=body.until, now=now)
    return GrantOut.model_validate(made.to_json(now))


@router.delete("/grants/{grantee}", status_code=204, summary="Take a grant back at once", responses=HIDDEN)
def take_back(ctx: Ctx, me: Me, _athlete: Athlete, now: Now, grantee: str) -> Response:
    revoke(ctx, owner=me.account, grantee=grantee, now=now)
    return Response(status_code=204)


@router.get("/access-log", summary="Every read of the athlete's records by someone else", responses=HIDDEN)
def log(ctx: Ctx, me: Me, _athlete: Athlete) -> list[AccessOut]:
    return [AccessOut.model_validate(e.to_json()) for e in access_log(ctx, owner=me.account, limit=None)]


def _reads(what: str, model: Any) -> None:
    @router.get(
        f"/athletes/{{athlete}}/{what}",
        summary=f"An athlete's {what}, for the athlete or a grantee (each read is logged)",
        responses={**HIDDEN, 200: {"model": model}},
        name=f"shared_{what}",
    )
    def read(ctx: Ctx, me: Me, now: Now, athlete: str) -> Any:
        return read_shared(ctx, reader=me, athlete=athlete, what=what, now=now)


_reads("cramps", list[Cramp])
_reads("sessions", list[Session])
_reads("insights", dict[str, Any])
_reads("check", dict[str, Any])


@router.get("/roster", summary="The athletes sharing with the caller (coach or clinician)", responses=HIDDEN)
def athletes(ctx: Ctx, me: Me, now: Now) -> list[dict[str, Any]]:
    return [row.to_json() for row in roster(ctx, reader=me.account, now=now, via="api")]


def _event(
    sport: str, duration_s: float, temperature_c: float, rpe: float | None, day: date | None
) -> PlanRequest:
    return PlanRequest(
        sport=parse_sport(sport).value, duration_s=duration_s, temperature_c=temperature_c, rpe=rpe, when=day
    )


Sport = Annotated[
    str, Query(max_length=40, description="run|ride|swim|triathlon|walk|hike|strength|team_sport|other")
]
Duration = Annotated[float, Query(gt=0, le=48 * 3600, description="Event duration, seconds")]
Temperature = Annotated[float, Query(ge=-40, le=60, description="Expected temperature, degrees Celsius")]
Rpe = Annotated[float | None, Query(ge=0, le=10, description="Expected effort, CR-10")]
Day = Annotated[date | None, Query(alias="date", description="Event day")]


@router.get(
    "/squad-plan", summary="An event planned for every athlete sharing with the caller", responses=HIDDEN
)
def plan(
    ctx: Ctx,
    me: Me,
    now: Now,
    sport: Sport,
    duration_s: Duration,
    temperature_c: Temperature,
    rpe: Rpe = None,
    day: Day = None,
) -> dict[str, Any]:
    return squad_plan(
        ctx, reader=me.account, event=_event(sport, duration_s, temperature_c, rpe, day), now=now
    ).to_json()


@router.get(
    "/squad-plan.csv",
    summary="The squad plan as CSV",
    response_class=Response,
    responses={**HIDDEN, 200: {"content": {"text/csv": {}}, "description": "One row per athlete"}},
)
def plan_csv(
    ctx: Ctx,
    me: Me,
    now: Now,
    sport: Sport,
    duration_s: Duration,
    temperature_c: Temperature,
    rpe: Rpe = None,
    day: Day = None,
) -> Response:
    result = squad_plan(
        ctx, reader=me.account, event=_event(sport, duration_s, temperature_c, rpe, day), now=now
    )
    return Response(result.to_csv(), media_type="text/csv; charset=utf-8")
