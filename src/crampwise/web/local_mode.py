"""What keeps other web sites out of local mode (no accounts, `crampwise serve` on loopback).

Listening on loopback keeps other computers out, not other sites: any page the athlete visits
runs in a browser on this computer. Two checks close that door, for every request of a
local-mode app:

- **DNS rebinding** (`LoopbackHostOnly`): a page on `evil.example` whose name is then made to
  resolve to 127.0.0.1 reaches the server as its own origin, so it could read the journal. Its
  requests still say `Host: evil.example`: every request whose `Host` is not a loopback name or
  address (`localhost`, 127.0.0.0/8, `[::1]`, any port) answers 400. `serve` listens only on
  such an address, so the `--host` it was started with is always among them. A request with no
  `Host` at all (HTTP/1.0) is not a browser's and is let through.
- **Cross-site requests** (`same_origin_only`, a dependency of every route): a form on another
  site posting to http://127.0.0.1:8000 is refused with 403 by the rule in `web.csrf`
  (`Origin`, else `Referer`, must be this server's own origin when present).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from crampwise.config import is_loopback_host
from crampwise.domain.errors import CrampwiseError
from crampwise.web import csrf

HOST_HINT: Final = (
    "open crampwise at http://127.0.0.1:PORT/ or http://localhost:PORT/, as `crampwise serve` printed"
)


class CrossSiteRefused(CrampwiseError):
    """An unsafe request another site sent (HTTP 403)."""


def host_refusal(host: str | None) -> str | None:
    """Why a request with this `Host` header is refused in local mode, or None."""
    if host is None:
        return None
    try:
        if any(c in host for c in "@/\\?# \t"):
            raise ValueError(host)
        parts = urlsplit(f"//{host}")
        name, _port = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError:
        name = None
    if name and is_loopback_host(name):
        return None
    return (
        f"Host: {host[:100]!r} is not this computer; crampwise without accounts answers only requests "
        f"addressed to localhost, 127.0.0.1 or [::1]: {HOST_HINT}"
    )


class LoopbackHostOnly:
    """ASGI middleware: 400 for a request whose `Host` is not a loopback name or address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            hosts = [value for key, value in scope["headers"] if key == b"host"]
            refusal = host_refusal(hosts[0].decode("latin-1") if hosts else None)
            if refusal is not None:
                response: Response
                if str(scope.get("path", "")).startswith("/api/"):
                    response = JSONResponse({"detail": refusal}, status_code=400)
                else:
                    response = PlainTextResponse(refusal, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def same_origin_only(request: Request) -> None:
    """Every local-mode route: an unsafe request from another site's page is refused (403)."""
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    why = csrf.cross_site(request.method, request.headers, own)
    if why is not None:
        raise CrossSiteRefused(
            f"refused: this request came from another site ({why[:200]}), not from crampwise at {own}; "
            "without accounts crampwise accepts changes only from its own pages (or from scripts that "
            "send no Origin)"
        )


SameOriginOnly = Depends(same_origin_only)
