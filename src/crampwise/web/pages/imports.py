"""Import (`/import`): upload files or archives (with upload progress) and see each file's result.

In server mode a large upload becomes a background job: the form answers 303 to the job's page
(`/import/jobs/{id}`), which shows its progress: it refreshes itself without JavaScript
(`<noscript>` refresh) and polls `GET /api/v1/imports/{id}` with it, then shows the result.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from crampwise.domain.errors import InvalidInput
from crampwise.services import import_jobs
from crampwise.services.uploads import receive
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
        received = receive(ctx, athlete=athlete, files=files, now=now)
    except InvalidInput as exc:
        return page(
            request, "import.html.j2", {"result": None, "error": str(exc), "active": "/more"}, status_code=422
        )
    if received.job is not None:
        return RedirectResponse(f"/import/jobs/{received.job.id}", status_code=303)
    return page(request, "import.html.j2", {"result": received.result, "error": None, "active": "/more"})


@router.get("/import/jobs/{job_id}")
def import_job(request: Request, ctx: Ctx, athlete: Athlete, job_id: str) -> Response:
    job = import_jobs.status(ctx, athlete=athlete, job_id=job_id)
    return page(request, "import_job.html.j2", {"job": job, "result": job.result, "active": "/more"})
