"""Guards shared by the XML importers (GPX, TCX).

Activity XML never needs a DTD: a file declaring one (entity expansion, external entities) is
refused before any parser sees it, so "billion laughs" and XXE cannot reach lxml or gpxpy.
"""

from __future__ import annotations

from crampwise.importers.model import damaged

BOM = b"\xef\xbb\xbf"


def xml_text(data: bytes, kind: str) -> bytes:
    """The document without a UTF-8 BOM, refusing DTDs and empty files."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    if not body.strip():
        raise damaged(f"empty {kind} file")
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        raise damaged(f"{kind} file declares a DTD or entities, which activity files never need")
    return body
