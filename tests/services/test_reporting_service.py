"""Report use-cases on a real store: HTML, PDF and FHIR files, written whole or not at all."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.reports.fhir import validate_fhir
from crampwise.services import journal, reporting
from crampwise.services.context import AppContext


@pytest.fixture
def ana(ctx: AppContext, now: datetime) -> AppContext:
    journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    session = journal.log_session(
        ctx,
        athlete=None,
        data={
            "start": now - timedelta(days=10),
            "sport": "run",
            "duration_s": 5400,
            "pre_mass_kg": 62,
            "post_mass_kg": 61,
            "fluid_ml": 500,
        },
        now=now,
    )
    journal.log_cramp(
        ctx,
        athlete=None,
        data={
            "at": now - timedelta(days=10) + timedelta(hours=1),
            "muscle": "calf",
            "side": "left",
            "severity": 7,
            "duration_s": 90,
            "context": "exercise",
            "session_id": session.id,
        },
        now=now,
    )
    journal.log_cramp(
        ctx,
        athlete=None,
        data={"at": now - timedelta(days=100), "muscle": "hamstring", "side": "right", "context": "sleep"},
        now=now,
    )
    journal.log_medication(
        ctx, athlete=None, data={"name": "atorvastatin", "kind": "statin", "started": "2026-01-10"}, now=now
    )
    return ctx


def test_the_fhir_file_validates_and_since_limits_the_episodes(
    ana: AppContext, now: datetime, tmp_path: Path
) -> None:
    out = reporting.write_report(ana, athlete=None, fmt="fhir", out=tmp_path / "cramps.json", now=now)
    document = json.loads(out.read_text(encoding="utf-8"))
    validate_fhir(document)
    assert sum(1 for e in document["entry"] if e["resource"]["resourceType"] == "Observation") == 2
    recent = reporting.render_report(ana, athlete=None, fmt="fhir", now=now, since=now - timedelta(days=30))
    assert sum(1 for e in json.loads(recent)["entry"] if e["resource"]["resourceType"] == "Observation") == 1


def test_the_html_report_has_the_journal_in_it(ana: AppContext, now: datetime, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = reporting.write_report(ana, athlete="Ana", fmt="html", out=folder / "r.html", now=now)
    html = out.read_text(encoding="utf-8")
    assert "Cramp report: Ana" in html and "atorvastatin" in html and "Not a diagnosis." in html
    assert "1 sweat test(s)" in html
    assert list(folder.iterdir()) == [out]  # no temporary file left behind


@pytest.mark.slow
def test_the_pdf_report_is_a_pdf(ana: AppContext, now: datetime, tmp_path: Path) -> None:
    out = reporting.write_report(ana, athlete=None, fmt="pdf", out=tmp_path / "r.pdf", now=now)
    assert out.read_bytes().startswith(b"%PDF")


def test_a_bad_format_or_folder_writes_nothing(ana: AppContext, now: datetime, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(
        InvalidInput, match=re.escape("format: unknown format 'docx'; expected html|pdf|fhir")
    ):
        reporting.write_report(ana, athlete=None, fmt="docx", out=folder / "r.docx", now=now)
    with pytest.raises(OSError) as info:
        reporting.write_report(ana, athlete=None, fmt="html", out=folder / "missing" / "r.html", now=now)
    assert info.value.filename == str(folder / "missing" / "r.html")  # the user's path, not a temp name
    with pytest.raises(IsADirectoryError) as dir_info:
        reporting.write_report(ana, athlete=None, fmt="html", out=folder, now=now)
    assert dir_info.value.filename == str(folder)
    assert list(folder.iterdir()) == []


def test_the_trigger_summary_comes_from_the_insights_service(ana: AppContext, now: datetime) -> None:
    from crampwise.services.insights import compute_insights
    from crampwise.services.journal import load_history

    summary = reporting.trigger_summary(load_history(ana, athlete=None), now=now)
    assert summary == list(compute_insights(ana, athlete=None, now=now).summary)
    html = reporting.render_report(ana, athlete=None, fmt="html", now=now).decode()
    assert "Personal trigger summary" in html


def test_a_report_reads_the_journal_once_and_runs_the_analysis_once(
    ana: AppContext, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary comes from the journal loaded for the report, not from a second load."""
    from crampwise.services import analysis_cache, insights
    from crampwise.storage import repository

    reads: list[str] = []
    real_list = repository.list_records
    analyses: list[object] = []
    real_analyse = insights.analyse

    def counting_list(**kwargs):  # type: ignore[no-untyped-def]
        reads.append(kwargs["kind"].table.name)
        return real_list(**kwargs)

    def counting_analyse(*args, **kwargs):  # type: ignore[no-untyped-def]
        analyses.append(args)
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(repository, "list_records", counting_list)
    monkeypatch.setattr(insights, "analyse", counting_analyse)
    analysis_cache.ANALYSES.clear()
    html = reporting.render_report(ana, athlete=None, fmt="html", now=now).decode()
    assert "Personal trigger summary" in html
    assert sorted(reads) == ["cramps", "days", "medications", "sessions"]
    assert len(analyses) == 1
