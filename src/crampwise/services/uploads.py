"""Files uploaded through the web (`/import`, `POST /api/v1/imports`): bundles and wearable files.

The result is the document of `crampwise import --json` (CONTRACTS.md section 5). In server
mode, a large upload (or one whose client asks for it) is imported by a background job
instead (`services.import_jobs`): `receive` answers with the queued job, whose status shows
the same document once it is done. The dispatch (bundles by content through the bundle service,
everything else through the wearable pipeline) is `services.import_sources`, as for
`crampwise import`; an uploaded bundle must be the signed-in (or local) athlete's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services import import_jobs
from crampwise.services.context import AppContext
from crampwise.services.import_jobs import JobStatus
from crampwise.services.import_sources import Upload, import_bundle_source, import_document, import_sources
from crampwise.services.imports import import_uploads
from crampwise.services.journal import get_athlete


def bundle_entry(
    ctx: AppContext, athlete: str | None, name: str, data: bytes, now: datetime
) -> dict[str, Any]:
    """Import one uploaded bundle (whole or not at all) for the athlete of the request: a bundle
    of anyone else is refused. Its entry of the result document."""
    return import_bundle_source(ctx, (name, data), owner=_current_name(ctx, athlete), now=now)


def _current_name(ctx: AppContext, athlete: str | None) -> str | None:
    try:
        return get_athlete(ctx, athlete=athlete).name
    except NotFound:
        return None  # a first upload may bring the athlete


def import_files(
    ctx: AppContext, *, athlete: str | None, files: Sequence[tuple[str, bytes]], now: datetime
) -> dict[str, Any]:
    """Import uploaded (name, bytes) pairs; the `import --json` document, files in upload order."""
    if not files:
        raise InvalidInput.single("files", "choose at least one file to import")

    def wearables(uploads: list[Upload]) -> list[dict[str, Any]]:
        report = import_uploads(ctx, athlete=athlete, uploads=uploads, now=now, workers=1)
        return [result.to_json() for result in report.files]

    entries = import_sources(
        ctx, sources=list(files), owner=_current_name(ctx, athlete), now=now, wearables=wearables
    )
    return import_document(entries)


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
