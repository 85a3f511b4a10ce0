"""CSRF tokens of server mode: derived, not stored, so every worker can check them.

A signed-in browser's token is HMAC-SHA256(secret, session token's hash): it changes with each
session and dies with it. A form shown before sign-in (the login page) is bound instead to a
random "pre-session" cookie, so a third-party site cannot sign a browser into its own account
(login CSRF) either. The token travels in the form field `csrf_token` or the `X-CSRF-Token`
header (the offline outbox and the passkey scripts use the header). Requests with a bearer
token carry no ambient credential and need none.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

FIELD: Final = "csrf_token"
HEADER: Final = "X-CSRF-Token"


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
