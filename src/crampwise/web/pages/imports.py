"""Import (`/import`): upload files or archives (with upload progress) and see each file's result."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from crampwise.domain.errors import InvalidInput
from crampwise.services.uploads import import_files
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/import")
def import_page(request: Request) -> Response:
    return page(request, "import.html.j2", {"result": None, "error": None, "active": "/more"})


@router.post("/import")
async def upload(request: Request, ctx: Ctx, athlete: Athlete, now: Now) -> Response:
    form = await request.form()
    files = [
        (f.filename or "upload", await f.read())
        for f in form.getlist("files")
        if isinstance(f, UploadFile) and f.filename
    ]
    try:
        result = import_files(ctx, athlete=athlete, files=files, now=now)
    except InvalidInput as exc:
        return page(
            request, "import.html.j2", {"result": None, "error": str(exc), "active": "/more"}, status_code=422
        )
    return page(request, "import.html.j2", {"result": result, "error": None, "active": "/more"})
