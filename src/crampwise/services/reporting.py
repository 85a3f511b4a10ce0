"""Report use-cases: the clinician report (HTML or PDF) and the FHIR export, written atomically.

`render_report` returns the bytes of one format; `write_report` puts them in a file through a
temporary sibling and a rename, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from crampwise.domain.enums import choices
from crampwise.domain.errors import InvalidInput
from crampwise.domain.history import History
from crampwise.reports.clinician import build_report, render_html
from crampwise.science.triage import review
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    FHIR = "fhir"


def parse_format(value: str) -> ReportFormat:
    """A `ReportFormat` from its name; `InvalidInput` naming the accepted ones."""
    try:
        return ReportFormat(value.strip().lower())
    except ValueError:
        raise InvalidInput.single(
            "format", f"unknown format {value!r}; expected {choices(ReportFormat)}"
        ) from None


def trigger_summary(history: History, *, now: datetime) -> list[str]:
    """The insights service's plain-language summary of personal triggers, most important first,
    from the journal already loaded for the report (judged over the journal's span, as
    `crampwise insights` judges it; the analysis is computed once per change of the data)."""
    from crampwise.services.insights import insights_of

    return [str(line) for line in insights_of(history.judged(), now).summary]


def render_report(
    ctx: AppContext,
    *,
    athlete: str | None,
    fmt: ReportFormat | str,
    now: datetime,
    since: date | datetime | None = None,
) -> bytes:
    """The report in one format: HTML or PDF (clinician report) or FHIR R4 JSON.

    `since` as a bare date means the start of that day in the athlete's time zone.
    """
    fmt = parse_format(fmt) if isinstance(fmt, str) else fmt
    history = load_history(ctx, athlete=athlete)
    since = _aware(since, history)
    if fmt is ReportFormat.FHIR:  # the same period as the clinician report
        from crampwise.reports.clinician import report_start

        return fhir_json(history, now=now, since=report_start(history, now, since))
    html = clinician_html(history, now=now, since=since)
    if fmt is ReportFormat.HTML:
        return html.encode("utf-8")
    from crampwise.reports.pdf import html_to_pdf

    return html_to_pdf(html)


def _aware(since: date | datetime | None, history: History) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since.replace(tzinfo=history.athlete.zone) if since and since.tzinfo is None else since
    return datetime(since.year, since.month, since.day, tzinfo=history.athlete.zone)


def clinician_html(history: History, *, now: datetime, since: datetime | None) -> str:
    """The clinician report's HTML from a loaded journal (read once per report)."""
    summary = trigger_summary(history, now=now)
    report = build_report(
        history, review(history.judged(), now), now=now, since=since, trigger_summary=summary
    )
    return render_html(report)


def fhir_json(history: History, *, now: datetime, since: datetime | None = None) -> bytes:
    """The FHIR Bundle as UTF-8 JSON, validated before it leaves crampwise."""
    from crampwise.reports.fhir import fhir_bundle, validate_fhir

    document = fhir_bundle(history, now=now, since=since)
    validate_fhir(document)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_report(
    ctx: AppContext,
    *,
    athlete: str | None,
    fmt: ReportFormat | str,
    out: Path,
    now: datetime,
    since: date | datetime | None = None,
) -> Path:
    """Render and write the report to `out` atomically; returns the path written."""
    data = render_report(ctx, athlete=athlete, fmt=fmt, now=now, since=since)
    out = out.expanduser()
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as exc:
        raise naming_path(exc, out) from exc
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.replace(temp_name, out)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise naming_path(exc, out) from exc
        raise
    return out


def naming_path(exc: OSError, path: Path) -> OSError:
    """`exc` about `path`, the file the user asked for, rather than its temporary sibling.

    A missing folder says so (`r.html: folder /tmp/x does not exist`); the type (and so the
    exit code a face gives it) is kept.
    """
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError) and not path.parent.is_dir():
        reason = f"folder {path.parent} does not exist"
    return OSError(exc.errno, reason, str(path))
