"""The relief guide: `/now` (which muscle?) and `/now/{muscle}` (timer, pictures, stop signs,
and the two questions that log the episode). Both work with no store and no network."""

from __future__ import annotations

from datetime import UTC

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.enums import CrampContext, Side
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.episodes import log_guided_episode
from crampwise.services.illustrations import illustration_texts
from crampwise.services.relief import protocol_for, relief_knowledge
from crampwise.web.auth import public
from crampwise.web.deps import Athlete, Ctx, Now
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
    "side": "Side",
    "context": "Context",
    "form": "Form",
}


@router.get("/now")
@public
def now_index(request: Request) -> Response:
    return page(request, "now_index.html.j2", {"active": "/now"})


def _guide(request: Request, muscle: str, form: FormState, status: int = 200) -> Response:
    try:
        protocol = protocol_for(muscle)
    except KeyError:
        raise NotFound(f"muscle: no relief guide for {muscle!r}; see /now for the muscles") from None
    relief = relief_knowledge()
    context = {
        "protocol": protocol,
        "relief": relief,
        "mistakes": (*protocol.mistakes, *relief.mistakes),
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
def now_muscle(request: Request, muscle: str, now: Now) -> Response:
    started = now.astimezone(UTC).replace(microsecond=0).isoformat()
    return _guide(
        request, muscle, FormState(values={"started": started, "context": "exercise"}, fields=LABELS)
    )


@router.post("/now/{muscle}")
async def log_episode(request: Request, muscle: str, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    try:
        logged = log_guided_episode(
            ctx, athlete=athlete, muscle=muscle, form=values, now=now, key=wants_key(request)
        )
    except InvalidInput as exc:
        return _guide(request, muscle, FormState(values=values, fields=LABELS).fail(exc), status=422)
    return RedirectResponse(f"/history?saved={logged.record.id}", status_code=303)  # type: ignore[attr-defined]


__all__ = ["CONTEXTS", "SIDES", "CrampContext", "router"]
