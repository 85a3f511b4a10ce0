"""What every route receives: the app's store context, the athlete it acts for, and "now".

Local mode (no login) acts for the store's athlete as the CLI picks it: `--athlete` given to
`crampwise serve` (`settings.athlete`), else the only (or default) athlete. Server mode acts
for the signed-in account's own journal, and for nothing else: a coach, clinician or admin
keeps no journal, so journal routes answer 404 for them. Routes only ever ask for the athlete
through `Depends(current_athlete)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from crampwise.domain.errors import NotFound
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity
from crampwise.web.auth import GoTo, NotSignedIn, identity_dependency


def app_context(request: Request) -> AppContext:
    """The store context the app was built with (one per app; engines are thread-safe)."""
    return cast(AppContext, request.app.state.ctx)


def current_athlete(
    request: Request, identity: Annotated[Identity | None, Depends(identity_dependency)]
) -> str | None:
    """The athlete this request acts for; None (local mode) picks the store's only athlete."""
    ctx = cast(AppContext, request.app.state.ctx)
    if not ctx.settings.multi_user:
        return ctx.settings.athlete
    if identity is None or not identity.complete:
        raise NotSignedIn("not signed in: sign in on /login, or send Authorization: Bearer <token>")
    if identity.athlete_name is None:
        if request.method == "GET" and request.url.path == "/":
            raise GoTo("/coach" if identity.account.role.can_be_granted else "/more")
        raise NotFound(
            f"athlete: this {identity.account.role.value} account keeps no journal of its own"
            + ("; athletes who share with you are on /coach" if identity.account.role.can_be_granted else "")
        )
    return identity.athlete_name


def guest_or_athlete(
    request: Request, identity: Annotated[Identity | None, Depends(identity_dependency)]
) -> str | None:
    """The athlete of a page that needs no sign-in (the relief guide): in server mode the
    signed-in athlete, else None (a guest); in local mode as `current_athlete`."""
    ctx = cast(AppContext, request.app.state.ctx)
    if not ctx.settings.multi_user:
        return ctx.settings.athlete
    if identity is None or not identity.complete:
        return None
    return identity.athlete_name


def signed_in(identity: Annotated[Identity | None, Depends(identity_dependency)]) -> Identity:
    """The signed-in account (server-mode routes only)."""
    if identity is None or not identity.complete:
        raise NotSignedIn("not signed in: sign in on /login, or send Authorization: Bearer <token>")
    return identity


def now(request: Request) -> datetime:
    """The app's clock (aware UTC); tests give the app a fixed one."""
    clock = cast(Callable[[], datetime], request.app.state.clock)
    return clock()


def system_clock() -> datetime:
    return datetime.now(UTC)


Ctx = Annotated[AppContext, Depends(app_context)]
Athlete = Annotated[str | None, Depends(current_athlete)]
GuestOrAthlete = Annotated[str | None, Depends(guest_or_athlete)]
Me = Annotated[Identity, Depends(signed_in)]
Now = Annotated[datetime, Depends(now)]
