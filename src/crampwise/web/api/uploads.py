"""`POST /api/v1/imports`: files or archives as a multipart upload (field `files`, repeatable);
the answer is the document of `crampwise import --json`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from crampwise.services.uploads import import_files
from crampwise.web.deps import Athlete, Ctx, Now

router = APIRouter()


@router.post("/imports", summary="Import wearable files, archives and bundles")
async def imports(
    ctx: Ctx, athlete: Athlete, now: Now, files: Annotated[list[UploadFile], File()]
) -> dict[str, Any]:
    uploads = [(f.filename or "upload", await f.read()) for f in files]
    return import_files(ctx, athlete=athlete, files=uploads, now=now)
