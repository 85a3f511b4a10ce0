"""Cross-site request forgery: server mode's tokens, and local mode's same-origin rule.

Server mode has accounts, so its forms carry tokens: derived, not stored, so every worker can
check them.

A signed-in browser's token is HMAC-SHA256(secret, session token's hash): it changes with each
session and dies with it. A form shown before sign-in (the login page) is bound instead to a
random "pre-session" cookie, so a third-party site cannot sign a browser into its own account
(login CSRF) either. The token travels in the form field `csrf_token` or the `X-CSRF-Token`
header (the offline outbox and the passkey scripts use the header). Requests with a bearer
token carry no ambient credential and need none.

Local mode (no accounts, loopback only) has no session to bind a token to, yet a page on any
site the athlete visits could post a form to http://127.0.0.1:8000. There an unsafe request
(`UNSAFE`) is refused when its `Origin` header is present and is not the server's own origin
(the scheme, host and port the request was sent to), or, with no `Origin`, when its `Referer`
is present and from another origin (`cross_site`). `Origin: null` (a sandboxed frame, a
`data:` page) is refused. A request with neither header (curl, scripts, the CLI's tests) is
not a browser's cross-site request and stays allowed; browsers send `Origin` on every POST,
and the app's pages use `Referrer-Policy: same-origin` so that their own forms send their
true origin rather than `null` (web.headers).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

FIELD: Final = "csrf_token"
HEADER: Final = "X-CSRF-Token"
UNSAFE: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def for_session(secret: str, session_token: str) -> str:
    digest = hashlib.sha256(session_token.encode("utf-8")).hexdigest()
    return _mac(secret, f"session|{digest}")


def for_presession(secret: str, presession: str) -> str:
    return _mac(secret, f"pre|{presession}")


def matches(given: str | None, expected: list[str]) -> bool:
    """True if `given` equals one of the tokens this request may carry (constant-time)."""
    if not given:
        return False
    return any(hmac.compare_digest(given.encode("utf-8"), e.encode("utf-8")) for e in expected)


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, default port filled in; None if it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def cross_site(method: str, headers: Mapping[str, str], own_origin: str) -> str | None:
    """Why an unsafe request must be refused as sent by another site (the header that says so,
    as received), or None. `own_origin` is the server's as the request addressed it
    (`http://127.0.0.1:8000`); `headers` are looked up by lower-case name."""
    if method.upper() not in UNSAFE:
        return None
    own = origin_of(own_origin)
    origin = headers.get("origin")
    if origin is not None:
        return None if own is not None and origin_of(origin) == own else f"Origin: {origin}"
    referer = headers.get("referer")
    if referer is not None and (own is None or origin_of(referer) != own):
        return f"Referer: {referer}"
    return None
