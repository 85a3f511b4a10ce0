"""Reminders: the settings page (`/settings/reminders`), the calendar feed (`/feeds/{token}.ics`)
and the push subscription API (`/api/v1/push/...`).

The feed needs no sign-in (calendar apps cannot sign in): its address's secret token is the
key, so in server mode it is `@public` like the relief guide, and an unknown token is 404 like
any other missing page. Everything else acts for the athlete of the request
(`deps.current_athlete`); the push API is called by static/reminders.js with a same-origin
fetch that carries the page's CSRF token in server mode.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.push import subscribe, subscription_count, unsubscribe, vapid_public_key
from crampwise.services.reminders import (
    feed_ics,
    feed_path,
    new_feed_token,
    parse_checkin_time,
    reminder_status,
    set_checkin,
    stop_feed,
)
from crampwise.web import auth
from crampwise.web.deps import Athlete, Ctx, Now, app_context
from crampwise.web.forms import FormState, form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/push", tags=["reminders"])

LABELS = {"checkin_time": "Daily check-in", "form": "Form"}


def _base(request: Request) -> str:
    """The server's address for links in the feed: server mode's public address when set
    (`CRAMPWISE_PUBLIC_URL`, as behind a proxy), else the one this request came to."""
    server = app_context(request).settings.server
    if server is not None and server.public_url:
        return server.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")


def _render(
    request: Request,
    ctx: Ctx,
    athlete: str | None,
    now: Now,
    *,
    form: FormState | None = None,
    feed_url: str | None = None,
    note: str | None = None,
    status: int = 200,
) -> Response:
    state = reminder_status(ctx, athlete=athlete)
    values = {"checkin_time": state.checkin_time or ""}
    context = {
        "state": state,
        "form": form or FormState(values=values, fields=LABELS),
        "feed_url": feed_url,
        "webcal_url": None if feed_url is None else "webcal://" + feed_url.split("://", 1)[1],
        "note": note,
        "vapid_key": vapid_public_key(ctx, now=now),
        "subscriptions": subscription_count(ctx, athlete=athlete),
        "active": "/more",
    }
    return page(request, "reminders.html.j2", context, status_code=status)


@router.get("/settings/reminders")
def reminders_page(request: Request, ctx: Ctx, athlete: Athlete, now: Now, saved: bool = False) -> Response:
    return _render(request, ctx, athlete, now, note="Saved." if saved else None)


@router.post("/settings/reminders/checkin")
async def save_checkin(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    values = await form_values(request)
    try:
        value = parse_checkin_time(str(values.get("checkin_time", "")))
    except InvalidInput as exc:
        form = FormState(values=values, fields=LABELS).fail(exc)
        return _render(request, ctx, athlete, now, form=form, status=422)
    set_checkin(ctx, athlete=athlete, checkin_time=value)
    return RedirectResponse("/settings/reminders?saved=true", status_code=303)


@router.post("/settings/reminders/feed")
async def feed_settings(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    """Make (or replace) the feed's address and show it once; or turn the feed off."""
    values = await form_values(request)
    if values.get("action") == "stop":
        stop_feed(ctx, athlete=athlete, now=now)
        return _render(request, ctx, athlete, now, note="Calendar feed turned off.")
    token = new_feed_token(ctx, athlete=athlete, now=now)
    return _render(request, ctx, athlete, now, feed_url=_base(request) + feed_path(token))


@router.get("/feeds/{name}")
@auth.public
def feed(name: str, request: Request, ctx: Ctx, now: Now) -> Response:
    if not name.endswith(".ics"):
        raise NotFound("feed: no such calendar feed")
    body = feed_ics(ctx, token=name.removesuffix(".ics"), base_url=_base(request), now=now)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="crampwise.ics"', "Cache-Control": "no-cache"},
    )


# --- the push API -----------------------------------------------------------------------------


@api.get("/key", summary="The server's VAPID public key (the browser's applicationServerKey)")
def push_key(ctx: Ctx, now: Now) -> dict[str, str]:
    return {"public_key": vapid_public_key(ctx, now=now)}


@api.post(
    "/subscriptions",
    status_code=201,
    summary="Keep this browser's push subscription (PushSubscription.toJSON()) for the daily check-in",
)
def push_subscribe(ctx: Ctx, athlete: Athlete, now: Now, body: Annotated[dict[str, Any], Body()]) -> Response:
    created = subscribe(ctx, athlete=athlete, body=body, now=now)
    return JSONResponse({"subscribed": True, "created": created}, status_code=201 if created else 200)


@api.delete("/subscriptions", status_code=204, summary="Forget this browser's push subscription")
def push_unsubscribe(ctx: Ctx, athlete: Athlete, body: Annotated[dict[str, Any], Body()]) -> Response:
    if not unsubscribe(ctx, athlete=athlete, endpoint=str(body.get("endpoint", ""))):
        raise NotFound("endpoint: no such subscription")
    return Response(status_code=204)
