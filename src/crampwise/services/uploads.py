"""Files uploaded through the web (`/import`, `POST /api/v1/imports`): bundles and wearable files.

The result is the document of `crampwise import --json` (CONTRACTS.md section 5). In server
mode, a large upload (or one whose client asks for it) is imported by a background job
instead (`services.import_jobs`): `receive` answers with the queued job, whose status shows
the same document once it is done. A bundle
(recognised by its content) goes through the bundle service, whole or not at all; everything
else (FIT, GPX, TCX, gzip, zip archives, Strava and Garmin exports) through the wearable
pipeline, one transaction per file. One bad file never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.importers.detect import detect_format
from crampwise.services import import_jobs
from crampwise.services.bundles import import_bundle
from crampwise.services.context import AppContext
from crampwise.services.import_jobs import JobStatus
from crampwise.services.imports import import_uploads
from crampwise.services.journal import get_athlete


def bundle_entry(
    ctx: AppContext, athlete: str | None, name: str, data: bytes, now: datetime
) -> dict[str, Any]:
    """Import one uploaded bundle (whole or not at all); its entry of the result document."""
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
            slots[i].append(bundle_entry(ctx, athlete, name, data, now))
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


@dataclass(frozen=True)
class Received:
    """What became of an upload: imported now (`result`), or queued as a background `job`."""

    result: dict[str, Any] | None = None
    job: JobStatus | None = None


def receive(
    ctx: AppContext,
    *,
    athlete: str | None,
    files: Sequence[tuple[str, bytes]],
    now: datetime,
    background: bool = False,
) -> Received:
    """Import an upload now, or queue it when it is large (or `background`) in server mode."""
    if import_jobs.should_queue(ctx, files, asked=background):
        return Received(job=import_jobs.submit(ctx, athlete=athlete, files=files, now=now))
    return Received(result=import_files(ctx, athlete=athlete, files=files, now=now))
