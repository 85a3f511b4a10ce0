"""Jinja2 templates of the pages, with the filters that print numbers in the athlete's units.

Numbers are shown as people read them (`17.8 °C`, `1.2–1.5 L`: `domain.units.display_*`);
`typed_temperature` gives the form a user would type (`17.8C`), for links that fill a form.

Templates are shipped in the package (`web/templates`); autoescaping is on for `.j2` files.
`page()` renders one with the shared globals (asset version for cache-busting, navigation).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from crampwise.domain import units
from crampwise.domain.enums import UnitSystem
from crampwise.knowledge.relief import load_relief

TEMPLATES_DIR = Path(__file__).with_name("templates")

NAV = (
    ("/", "Today"),
    ("/log/cramp", "Log"),
    ("/history", "History"),
    ("/insights", "Insights"),
    ("/more", "More"),
)


def muscle_names() -> dict[str, str]:
    """Display names of the muscles ("Calf", "Adductor (inner thigh)"), in the relief's order."""
    relief = load_relief()
    return {m: relief.protocol(m).name for m in relief.muscles}


def _unit_system(value: Any) -> UnitSystem:
    return value if isinstance(value, UnitSystem) else UnitSystem(str(value or "metric"))


def _when(value: datetime | date | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.strftime("%a %-d %b %Y")
    return value.strftime(fmt)


def _maybe(fn: Any) -> Any:
    def apply(value: Any, *args: Any) -> str:
        return "" if value is None else str(fn(value, *args))

    return apply


def build_templates(*, asset_version: str) -> Jinja2Templates:
    """The page templates with crampwise's filters and globals."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    names = muscle_names()
    env.filters.update(
        when=_when,
        duration=_maybe(units.display_duration),
        mass=_maybe(lambda kg, u="metric": units.display_mass(kg, _unit_system(u))),
        volume=_maybe(lambda ml, u="metric": units.display_volume(ml, _unit_system(u))),
        volume_range=lambda pair, u="metric": units.display_volume_range(pair[0], pair[1], _unit_system(u)),
        temperature=_maybe(lambda c, u="metric": units.display_temperature(c, _unit_system(u))),
        distance=_maybe(lambda m, u="metric": units.display_distance(m, _unit_system(u))),
        typed_temperature=_maybe(lambda c, u="metric": units.format_temperature(c, _unit_system(u))),
        muscle=lambda m: names.get(str(m), str(m).replace("_", " ")),
        words=lambda v: "" if v is None else str(v).replace("_", " "),
        num=_maybe(lambda v, digits=1: f"{float(v):.{digits}f}".rstrip("0").rstrip(".")),
    )
    env.globals.update(v=asset_version, nav=NAV, muscle_names=names)
    return Jinja2Templates(env=env)


COACH_NAV = (
    ("/coach", "Roster"),
    ("/coach/plan", "Squad plan"),
    ("/now", "Relief"),
    ("/more", "More"),
)
ADMIN_NAV = (("/now", "Relief"), ("/more", "More"))


def _server_context(request: Request) -> dict[str, Any]:
    """What the templates need in server mode: the CSRF token, the account, its navigation."""
    from crampwise.web import auth

    ctx = request.app.state.ctx
    if not ctx.settings.multi_user:
        return {"server": False, "csrf_token": None, "identity": None}
    identity = getattr(request.state, "identity", None)
    extra: dict[str, Any] = {"server": True, "csrf_token": auth.csrf_token(request), "identity": identity}
    if identity is not None and identity.athlete_name is None:
        extra["nav"] = COACH_NAV if identity.account.role.can_be_granted else ADMIN_NAV
    elif identity is None:
        extra["nav"] = (("/now", "Relief"), ("/login", "Sign in"))
    return extra


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render the page template `name` for this request (with a pre-session cookie if made now)."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, name, {**_server_context(request), **(context or {})}, status_code=status_code
    )
    fresh = getattr(request.state, "new_presession", None)
    if fresh is not None:
        from crampwise.web import auth

        auth.set_cookie(response, request, auth.PRESESSION_COOKIE, fresh, None)
    return response
