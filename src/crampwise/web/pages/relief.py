"""The relief guide: `/now` (which muscle?) and `/now/{muscle}` (timer, pictures, a stop sign
on every step, the checks before pressure and warmth, and the closing questions that log the
episode). Both work with no store and no network; with an athlete, the emergency numbers are
those of the athlete's time zone (`services.episodes.guide_page`)."""

from __future__ import annotations

from datetime import UTC

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.enums import CrampContext, Side
from crampwise.domain.errors import InvalidInput
from crampwise.services.episodes import GuidePage, guide_page, log_guided_episode
from crampwise.services.illustrations import illustration_texts
from crampwise.web.auth import public
from crampwise.web.deps import Athlete, Ctx, GuestOrAthlete, Now
from crampwise.web.forms import FormState, form_values, wants_key
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

SIDES = [(s.value, s.value.capitalize()) for s in Side]
CONTEXTS = [
    ("exercise", "Exercise"),
    ("after_exercise", "After exercise"),
    ("rest", "At rest"),
    ("sleep", "In sleep"),
]
SCALE = [(str(n), str(n)) for n in range(11)]
LABELS = {
    "relief_worked": "Did it help?",
    "severity": "How bad was it?",
    "context": "Where did it start?",
    "side": "Which side?",
    "form": "Form",
}


@router.get("/now")
@public
def now_index(request: Request) -> Response:
    return page(request, "now_index.html.j2", {"active": "/now"})


def _guide(request: Request, guide: GuidePage, form: FormState, status: int = 200) -> Response:
    context = {
        "g": guide,
        "protocol": guide.protocol,
        "relief": guide.relief,
        "fill": guide.fill,
        "illustrations": illustration_texts(),
        "form": form,
        "sides": SIDES,
        "contexts": CONTEXTS,
        "scale": SCALE,
        "active": "/now",
    }
    return page(request, "now_muscle.html.j2", context, status_code=status)


@router.get("/now/{muscle}")
@public
def now_muscle(request: Request, muscle: str, ctx: Ctx, athlete: GuestOrAthlete, now: Now) -> Response:
    guide = guide_page(ctx, athlete=athlete, muscle=muscle, now=now)
    started = now.astimezone(UTC).replace(microsecond=0).isoformat()
    values = {"started": started, "context": guide.context_default}
    return _guide(request, guide, FormState(values=values, fields=LABELS))


@router.post("/now/{muscle}")
async def log_episode(request: Request, muscle: str, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    try:
        logged = log_guided_episode(
            ctx, athlete=athlete, muscle=muscle, form=values, now=now, key=wants_key(request)
        )
    except InvalidInput as exc:
        guide = guide_page(ctx, athlete=athlete, muscle=muscle, now=now)
        return _guide(request, guide, FormState(values=values, fields=LABELS).fail(exc), status=422)
    return RedirectResponse(f"/history?saved={logged.record.id}", status_code=303)  # type: ignore[attr-defined]


__all__ = ["CONTEXTS", "SIDES", "CrampContext", "router"]
