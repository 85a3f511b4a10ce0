"""`/api/v1/insights`, `/check`, `/plan` and `/export`: the documents of CONTRACTS.md section 5."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from crampwise.services.bundles import export_bundle
from crampwise.services.insights import compute_insights
from crampwise.services.planning import plan_session
from crampwise.services.triage import check
from crampwise.web.deps import Athlete, Ctx, Now

router = APIRouter()


@router.get("/insights", summary="Which factors go with the athlete's cramps")
def insights(ctx: Ctx, athlete: Athlete, now: Now) -> dict[str, Any]:
    return compute_insights(ctx, athlete=athlete, now=now).to_json()


@router.get("/check", summary="Red-flag review")
def red_flags(ctx: Ctx, athlete: Athlete, now: Now) -> dict[str, Any]:
    return check(ctx, athlete=athlete, now=now).to_json()


@router.get("/plan", summary="Hydration and prevention plan for a planned session")
def plan(
    ctx: Ctx,
    athlete: Athlete,
    now: Now,
    sport: Annotated[str, Query(description="run|ride|swim|triathlon|walk|hike|strength|team_sport|other")],
    duration_s: Annotated[float, Query(gt=0, le=48 * 3600, description="Planned duration, seconds")],
    temperature_c: Annotated[
        float, Query(ge=-40, le=60, description="Expected temperature, degrees Celsius")
    ],
    rpe: Annotated[float | None, Query(ge=0, le=10, description="Planned effort, CR-10")] = None,
) -> dict[str, Any]:
    result = plan_session(
        ctx,
        athlete=athlete,
        sport=sport,
        duration_s=duration_s,
        temperature_c=temperature_c,
        rpe=rpe,
        now=now,
    )
    return result.as_json()


@router.get("/export", summary="The athlete's whole record as a crampwise-bundle v1")
def export(ctx: Ctx, athlete: Athlete) -> dict[str, Any]:
    return export_bundle(ctx, athlete=athlete)
