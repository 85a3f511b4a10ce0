"""The WebAuthn relying party of this request: its id (a host name) and its origin.

`CRAMPWISE_PUBLIC_URL` fixes both (set it behind a proxy); without it they come from the
request's own URL, which is right for a server reached directly (e.g. http://localhost:8000).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from crampwise.web.auth import server_of


def relying_party(request: Request) -> tuple[str, str]:
    """(rp_id, origin) for WebAuthn ceremonies on this request."""
    base = server_of(request).public_url or f"{request.url.scheme}://{request.url.netloc}"
    parts = urlsplit(base)
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"
