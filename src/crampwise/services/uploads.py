"""Files uploaded through the web (`/import`, `POST /api/v1/imports`): bundles and wearable files.

The result is the document of `crampwise import --json` (CONTRACTS.md section 5). A bundle
(recognised by its content) goes through the bundle service, whole or not at all; everything
else (FIT, GPX, TCX, gzip, zip archives, Strava and Garmin exports) through the wearable
pipeline, one transaction per file. One bad file never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.importers.detect import detect_format
from crampwise.services.bundles import import_bundle
from crampwise.services.context import AppContext
from crampwise.services.imports import import_uploads
from crampwise.services.journal import get_athlete


def _bundle_entry(
    ctx: AppContext, athlete: str | None, name: str, data: bytes, now: datetime
) -> dict[str, Any]:
    try:
        document = json.loads(data)
        named = document.get("athlete", {}).get("name") if isinstance(document, dict) else None
        try:
            current = get_athlete(ctx, athlete=athlete).name
        except NotFound:
            current = None
        if current is not None and isinstance(named, str) and named.strip() != current:
            raise InvalidInput.single(
                "athlete", f"this bundle holds {named.strip()!r}'s record, not {current!r}'s"
            )
        summary = import_bundle(ctx, data=document, now=now)
    except (ValueError, InvalidInput, NotFound) as exc:
        return {"path": name, "status": "error", "error": str(exc), "session_id": None, "kind": "bundle"}
    return {
        "path": name,
        "status": "imported" if summary.changed else "duplicate",
        "error": None,
        "session_id": None,
        "kind": "bundle",
        "bundle": summary.to_json(),
        "message": summary.describe(),
    }


def import_files(
    ctx: AppContext, *, athlete: str | None, files: Sequence[tuple[str, bytes]], now: datetime
) -> dict[str, Any]:
    """Import uploaded (name, bytes) pairs; the `import --json` document, files in upload order."""
    if not files:
        raise InvalidInput.single("files", "choose at least one file to import")
    slots: list[list[dict[str, Any]]] = [[] for _ in files]
    wearable = [
        (i, name, data) for i, (name, data) in enumerate(files) if detect_format(data[:4096]) != "bundle"
    ]
    for i, (name, data) in enumerate(files):
        if detect_format(data[:4096]) == "bundle":
            slots[i].append(_bundle_entry(ctx, athlete, name, data, now))
    if wearable:
        report = import_uploads(
            ctx, athlete=athlete, uploads=[(n, d) for _i, n, d in wearable], now=now, workers=1
        )
        for result in report.files:
            owner = next((i for i, n, _d in reversed(wearable) if result.path.startswith(n)), wearable[-1][0])
            slots[owner].append(result.to_json())
    entries = [entry for slot in slots for entry in slot]
    return {
        "files": entries,
        "imported": sum(e["status"] == "imported" for e in entries),
        "duplicates": sum(e["status"] == "duplicate" for e in entries),
        "skipped": sum(e["status"] == "skipped" for e in entries),
        "errors": sum(e["status"] == "error" for e in entries),
    }
