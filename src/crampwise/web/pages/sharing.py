"""Sharing (`/sharing`, athletes in server mode): grant and revoke read access, see the access log."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.grants import access_log, grant, grants_given, revoke
from crampwise.services.logins import Identity
from crampwise.web.deps import Athlete, Ctx, Me, Now
from crampwise.web.forms import FormState, form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)
LABELS = {"grantee": "Coach or clinician", "until": "Last day of access", "form": "Form"}


def read_until(text: str | None) -> date | None:
    """The optional last day (`YYYY-MM-DD`); `InvalidInput` naming `until` otherwise."""
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.single("until", f"cannot read {text!r}; expected a date YYYY-MM-DD") from None


def _render(
    request: Request,
    ctx: Ctx,
    me: Identity,
    now: datetime,
    form: FormState,
    saved: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "form": form,
        "grants": grants_given(ctx, owner=me.account),
        "log": access_log(ctx, owner=me.account),
        "now": now,
        "saved": saved,
        "active": "/more",
    }
    return page(request, "sharing.html.j2", context, status_code=status)


@router.get("/sharing")
def sharing(
    request: Request, ctx: Ctx, me: Me, _athlete: Athlete, now: Now, saved: str | None = None
) -> Response:
    return _render(request, ctx, me, now, FormState(fields=LABELS), saved=saved)


@router.post("/sharing")
async def share(request: Request, ctx: Ctx, me: Me, _athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    form = FormState(values=values, fields=LABELS)
    try:
        made = grant(
            ctx,
            owner=me.account,
            grantee=values.get("grantee", ""),
            until=read_until(values.get("until")),
            now=now,
        )
    except InvalidInput as exc:
        return _render(request, ctx, me, now, form.fail(exc), status=422)
    return RedirectResponse(
        "/sharing?" + urlencode({"saved": f"Shared with {made.grantee}"}), status_code=303
    )


@router.post("/sharing/{grantee}/revoke")
def stop(ctx: Ctx, me: Me, _athlete: Athlete, now: Now, grantee: str) -> Response:
    revoke(ctx, owner=me.account, grantee=grantee, now=now)
    return RedirectResponse(
        "/sharing?" + urlencode({"saved": f"Stopped sharing with {grantee}"}), status_code=303
    )
