"""Settings (`/settings`): units, time zone, profile and sweat sodium; on a fresh store, the
form that creates the athlete (and the store itself: reading a page never creates one)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.athlete_form import FIELDS, current_athlete, save_athlete
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState, confirmed, form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

LABELS = {
    "name": "Name",
    "sex": "Sex",
    "birth_year": "Year of birth",
    "body_mass_kg": "Body mass",
    "max_hr": "Maximum heart rate",
    "timezone": "Time zone",
    "sweat_sodium_mmol_l": "Sweat sodium (mmol/L)",
    "units": "Units",
    "form": "Form",
}


def _render(
    request: Request, form: FormState, exists: bool, saved: bool = False, status: int = 200
) -> Response:
    context = {"form": form, "exists": exists, "saved": saved, "active": "/more"}
    return page(request, "settings.html.j2", context, status_code=status)


@router.get("/settings")
def settings_page(request: Request, ctx: Ctx, athlete: Athlete, saved: bool = False) -> Response:
    who = current_athlete(ctx, athlete=athlete)
    values = {"timezone": "UTC", "units": "metric"}
    if who is not None:
        values = {k: "" if v is None else str(v) for k, v in who.model_dump(mode="json").items()}
    return _render(request, FormState(values=values, fields=LABELS), who is not None, saved=saved)


@router.post("/settings")
async def save(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    try:
        save_athlete(
            ctx,
            athlete=athlete,
            form={k: values.get(k, "") for k in FIELDS},
            now=now,
            confirmed=confirmed(values),
        )
    except InvalidInput as exc:
        exists = current_athlete(ctx, athlete=athlete) is not None
        return _render(request, FormState(values=values, fields=LABELS).fail(exc), exists, status=422)
    return RedirectResponse("/settings?saved=true", status_code=303)
