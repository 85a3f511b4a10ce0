"""`POST /api/v1/imports`: files or archives as a multipart upload (field `files`, repeatable);
the answer is the document of `crampwise import --json`.

In server mode a large upload (or any upload sent with `Prefer: respond-async`, RFC 7240) is
imported by a background job: the answer is then 202 with the job's status and its address in
`Location`; `GET /api/v1/imports/{id}` follows it, and holds the same document once done.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Header, Response, UploadFile

from crampwise.services import import_jobs
from crampwise.services.uploads import receive
from crampwise.web.deps import Athlete, Ctx, Now

router = APIRouter()


@router.post(
    "/imports",
    summary="Import wearable files, archives and bundles",
    responses={202: {"description": "Queued as a background import (server mode); see Location"}},
)
async def imports(
    ctx: Ctx,
    athlete: Athlete,
    now: Now,
    response: Response,
    files: Annotated[list[UploadFile], File()],
    prefer: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    uploads = [(f.filename or "upload", await f.read()) for f in files]
    asked = "respond-async" in (prefer or "").lower()
    received = receive(ctx, athlete=athlete, files=uploads, now=now, background=asked)
    if received.job is not None:
        response.status_code = 202
        response.headers["Location"] = f"/api/v1/imports/{received.job.id}"
        return received.job.to_json()
    assert received.result is not None
    return received.result


@router.get("/imports/{job_id}", summary="A background import's progress, and its result once done")
def import_job(ctx: Ctx, athlete: Athlete, job_id: str) -> dict[str, Any]:
    return import_jobs.status(ctx, athlete=athlete, job_id=job_id).to_json()
