"""Sources (`/sources`): the full reference of each source a page cites (`?cite=a,b`), or all.

Pages show their citations as a small link ("3 sources") so that a phone screen holds advice,
not reference lists; the link opens this page with those ids.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.services.citations import STRENGTH_WORDS, citations
from crampwise.web.auth import public
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/sources")
@public  # the evidence base, no one's records: the relief guide (open to all) links here
def sources_page(request: Request, cite: str = "") -> Response:
    found = citations(cite.split(","))
    return page(request, "sources.html.j2", {"c": found, "strength": STRENGTH_WORDS, "active": "/more"})
