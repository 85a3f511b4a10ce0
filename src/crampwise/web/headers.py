"""Security and caching headers on every response, as ordinary tested code.

A strict Content-Security-Policy (only this origin's scripts, styles and images; no inline
script), no MIME sniffing, a referrer sent to this origin only, no framing, a year of HSTS over
HTTPS. Pages are `no-cache`: the browser (and the service worker, which goes to the network
first) always asks the server, so a change to the data is never hidden by a stale copy. The clinician report, a self-contained document with
its own inline styles, sets its own policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import Request, Response

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HSTS: Final = "max-age=31536000"
DOCS_CSP: Final = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the
    # app's own form posts, which local mode must refuse (web.csrf); other sites still get none.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "no-cache")
    if request.url.scheme == "https":  # served over HTTPS (or a trusted proxy said so): keep it that way
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
