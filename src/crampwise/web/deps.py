"""What every route receives: the app's store context, the athlete it acts for, and "now".

Local mode (no login) acts for the store's athlete as the CLI picks it: `--athlete` given to
`crampwise serve` (`settings.athlete`), else the only (or default) athlete. Server mode will
replace `current_athlete` with the signed-in account's athlete; routes only ever ask for it
through `Depends(current_athlete)`, so no route needs to change for that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from crampwise.services.context import AppContext


def app_context(request: Request) -> AppContext:
    """The store context the app was built with (one per app; engines are thread-safe)."""
    return cast(AppContext, request.app.state.ctx)


def current_athlete(request: Request) -> str | None:
    """The athlete this request acts for; None picks the store's only (or default) athlete."""
    return cast(str | None, request.app.state.ctx.settings.athlete)


def now(request: Request) -> datetime:
    """The app's clock (aware UTC); tests give the app a fixed one."""
    clock = cast(Callable[[], datetime], request.app.state.clock)
    return clock()


def system_clock() -> datetime:
    return datetime.now(UTC)


Ctx = Annotated[AppContext, Depends(app_context)]
Athlete = Annotated[str | None, Depends(current_athlete)]
Now = Annotated[datetime, Depends(now)]
