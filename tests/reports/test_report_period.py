"""The report says what its period holds, rounds like a person, and links its sources (issue 13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from crampwise.domain.history import History
from crampwise.domain.records import Cramp, Session
from crampwise.reports.clinician import build_report, render_html, report_start
from crampwise.reports.fhir import fhir_bundle
from crampwise.science.triage import review
from tests.reports.sample import NOW, sample_history


def _with_old_years(history: History) -> History:
    """Three years of swims and one cramp, long before the report's year."""
    old_sessions = tuple(
        Session(id=f"old-{i}", start=NOW - timedelta(days=800 + i), sport="swim", duration_s=1800)
        for i in range(300)
    )
    old_cramp = Cramp(id="c-old", at=NOW - timedelta(days=700), muscle="calf", context="rest")
    return replace(
        history, sessions=history.sessions + old_sessions, cramps=(old_cramp, *history.cramps), _sorted=False
    )


def test_the_header_and_the_fhir_export_cover_the_same_period() -> None:
    history = _with_old_years(sample_history())
    report = build_report(history, review(history, NOW), now=NOW)
    assert "swim" not in report.athlete_line  # 300 swims before the period are not its sports
    assert "run (" in report.athlete_line
    start = report_start(history, NOW, None)
    fhir = fhir_bundle(history, now=NOW, since=start)
    episodes = [e for e in fhir["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(episodes) == report.n_cramps == len(history.cramps) - 1  # the old one is out of both


def test_temperatures_are_rounded_and_source_links_are_clickable() -> None:
    history = sample_history()
    hot = history.sessions[-1].model_copy(
        update={"temperature_c": 27.7777778, "pre_mass_kg": 62.0, "post_mass_kg": 61.0, "fluid_ml": 500}
    )
    history = replace(history, sessions=(*history.sessions[:-1], hot), _sorted=False)
    html = render_html(build_report(history, review(history, NOW), now=NOW))
    assert "27.7778" not in html and "27.8 °C" in html
    assert '<a href="https://' in html
