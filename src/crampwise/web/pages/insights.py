"""Insights (`/insights`): the forest plot of factors with intervals and the plain-words summary."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.services.insights import CONTESTED_CAVEAT, LABELS
from crampwise.services.insights_page import insights_page
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

VERDICTS = {
    "likely_trigger": "likely trigger",
    "possible_trigger": "possible trigger",
    "protective": "fewer cramps",
    "no_clear_link": "no clear link",
    "not_enough_data": "too few data",
}


@router.get("/insights")
def insights(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    view = insights_page(ctx, athlete=athlete, now=now)
    context = {
        "p": view,
        "i": view.insights,
        "labels": LABELS,
        "verdicts": VERDICTS,
        "caveat": CONTESTED_CAVEAT,
        "active": "/insights",
    }
    return page(request, "insights.html.j2", context)
