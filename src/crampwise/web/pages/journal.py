"""The log forms: `/log/cramp` (three taps for the common case), `/log/session`, `/log/day`.

A form posts text per bundle field; `services.journal_forms` reads it in the athlete's units and
logs it (once per Idempotency-Key: the offline queue sends one). A rejected form comes back
with 422, every value as typed and the message beside its field; an unusual value (the same
cramp twice, 135 kg for a 61 kg athlete) comes back with "Yes, this is right" to tick.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.enums import Relief, Sport, Symptom
from crampwise.domain.errors import InvalidInput
from crampwise.services.journal_forms import LIST_FIELDS, athlete_units, form_factors, log_from_form
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.forms import FormState, confirmed, form_values, wants_key
from crampwise.web.pages.relief import CONTEXTS, SCALE, SIDES
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

LABELS: Final = {
    "cramp": {
        "muscle": "Muscle",
        "side": "Side",
        "severity": "Severity",
        "duration_s": "Duration",
        "context": "Context",
        "at": "When",
        "relief": "What did you do?",
        "relief_worked": "Did it help?",
        "symptoms": "Other signs",
        "notes": "Notes",
        "form": "Form",
    },
    "session": {
        "sport": "Sport",
        "duration_s": "Duration",
        "start": "Start",
        "distance_m": "Distance",
        "rpe": "Effort (RPE)",
        "temperature_c": "Temperature",
        "avg_hr": "Average heart rate",
        "max_hr": "Maximum heart rate",
        "warmup_min": "Warm-up",
        "cooldown_min": "Cool-down",
        "pre_mass_kg": "Body mass before",
        "post_mass_kg": "Body mass after",
        "fluid_ml": "Fluid drunk",
        "sodium_mg": "Sodium taken",
        "urine_ml": "Urine passed",
        "tags": "Your factors",
        "notes": "Notes",
        "form": "Form",
    },
    "day": {
        "date": "Date",
        "sleep_h": "Sleep",
        "fluid_ml": "Fluid over the day",
        "alcohol_units": "Alcohol (units)",
        "fatigue": "Fatigue (0-10)",
        "sleep_quality": "Sleep quality (0-10)",
        "resting_hr": "Resting heart rate",
        "hrv_ms": "Heart rate variability",
        "tags": "Your factors",
        "notes": "Notes",
        "form": "Form",
    },
}
RELIEF_WORDS: Final = {"pickle_juice": "Pickle juice"}
CHOICES: Final = {
    "sides": SIDES,
    "contexts": CONTEXTS,
    "scale": SCALE,
    "relief_options": [(r.value, RELIEF_WORDS.get(r.value, r.value.capitalize())) for r in Relief],
    "symptom_options": [(s.value, s.value.replace("_", " ").capitalize()) for s in Symptom],
    "sports": [(s.value, s.value.replace("_", " ").capitalize()) for s in Sport],
    "yes_no": [("yes", "Yes"), ("no", "No")],
}
DEFAULTS: Final[dict[str, dict[str, Any]]] = {
    "cramp": {"context": "exercise"},
    "session": {"sport": "run"},
    "day": {},
}


def _form(
    request: Request,
    kind: str,
    form: FormState,
    units: str,
    status: int = 200,
    saved: str | None = None,
    own_factors: list[Any] | None = None,
) -> Response:
    context = {
        "form": form,
        "units": units,
        "active": "/log/cramp",
        "saved": saved,
        "own_factors": own_factors or [],
        **CHOICES,
    }
    return page(request, f"log_{kind}.html.j2", context, status_code=status)


def _routes(kind: str) -> None:
    @router.get(f"/log/{kind}", name=f"log_{kind}")
    def show(request: Request, ctx: Ctx, athlete: Athlete, saved: str | None = None) -> Response:
        units = "metric" if kind == "cramp" else athlete_units(ctx, athlete=athlete).value
        own = form_factors(ctx, athlete=athlete, kind=kind)
        form = FormState(values=dict(DEFAULTS[kind]), fields=LABELS[kind])
        return _form(request, kind, form, units, saved=saved, own_factors=own)

    @router.post(f"/log/{kind}", name=f"save_{kind}")
    async def save(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
        values = await form_values(request, multi=LIST_FIELDS)
        try:
            logged = log_from_form(
                ctx,
                athlete=athlete,
                kind=kind,
                fields=values,
                now=now,
                key=wants_key(request),
                confirmed=confirmed(values),
            )
        except InvalidInput as exc:
            units = athlete_units(ctx, athlete=athlete).value
            own = form_factors(ctx, athlete=athlete, kind=kind)
            form = FormState(values=values, fields=LABELS[kind]).fail(exc)
            return _form(request, kind, form, units, status=422, own_factors=own)
        record: Any = logged.record
        if kind == "cramp":
            return RedirectResponse(f"/history?saved={record.id}", status_code=303)
        saved = record.id if kind == "session" else record.date.isoformat()
        return RedirectResponse(f"/log/{kind}?saved={saved}", status_code=303)


for _kind in ("cramp", "session", "day"):
    _routes(_kind)


@router.get("/log")
def log_index() -> Response:
    return RedirectResponse("/log/cramp", status_code=303)
