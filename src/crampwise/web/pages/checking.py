"""Check (`/check`): the red-flag review, and the `check --ask` questions as a form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.science.triage_flags import Review
from crampwise.services.triage import answer_and_check, check, latest_cramp, questions
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

MEANING = {
    "emergency": "call emergency services or go to an emergency department now",
    "urgent": "seek medical care today",
    "soon": "book a doctor or physiotherapist visit within about two weeks",
    "mention": "raise it at your next routine visit",
    "none": "no warning signs found in what you logged",
}


def _render(
    request: Request, ctx: Ctx, athlete: Athlete, review: Review, recorded_on: str | None, answered: bool
) -> Response:
    context = {
        "review": review,
        "meaning": MEANING,
        "questions": questions(),
        "latest": latest_cramp(ctx, athlete=athlete),
        "answered": answered,
        "recorded_on": recorded_on,
        "hint": review.ask.sentence("the questions below ask") if review.ask is not None else "",
        "active": "/more",
    }
    return page(request, "check.html.j2", context)


@router.get("/check")
def check_page(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    return _render(request, ctx, athlete, check(ctx, athlete=athlete, now=now), None, answered=False)


@router.post("/check")
async def answer(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request, multi=("symptoms", "flags"))
    answered = answer_and_check(
        ctx, athlete=athlete, symptoms=values.get("symptoms", []), flags=values.get("flags", []), now=now
    )
    return _render(request, ctx, athlete, answered.review, answered.recorded_on, answered=True)
