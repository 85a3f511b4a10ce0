"""Report (`/report`): the clinician report as HTML, and PDF and FHIR downloads."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.reporting import ReportFormat, parse_format, render_report
from crampwise.web.deps import Athlete, Ctx, Now
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

# The report is a self-contained document with its own inline styles.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
DOWNLOADS = {
    ReportFormat.PDF: ("application/pdf", "crampwise-report.pdf"),
    ReportFormat.FHIR: ("application/fhir+json", "crampwise-fhir.json"),
    ReportFormat.HTML: ("text/html; charset=utf-8", "crampwise-report.html"),
}


def _since(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput.single("since", f"cannot read {text!r}; expected a date YYYY-MM-DD") from None


@router.get("/report")
def report_page(request: Request, since: str | None = None) -> Response:
    return page(request, "report.html.j2", {"since": since or "", "active": "/more"})


@router.get("/report/view")
def report_view(ctx: Ctx, athlete: Athlete, now: Now, since: str | None = None) -> Response:
    body = render_report(ctx, athlete=athlete, fmt=ReportFormat.HTML, now=now, since=_since(since))
    return Response(
        body, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": REPORT_CSP}
    )


@router.get("/report/download")
def report_download(
    ctx: Ctx, athlete: Athlete, now: Now, format: str = "pdf", since: str | None = None
) -> Response:
    fmt = parse_format(format)
    body = render_report(ctx, athlete=athlete, fmt=fmt, now=now, since=_since(since))
    media_type, filename = DOWNLOADS[fmt]
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
