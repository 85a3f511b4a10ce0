"""The clinician report: the sections a doctor needs, the charts, and a PDF that renders."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from crampwise.domain.enums import Muscle, Side
from crampwise.domain.history import History
from crampwise.reports import charts
from crampwise.reports.clinician import build_report, render_html
from crampwise.reports.pdf import html_to_pdf
from crampwise.science.triage import review
from tests.reports.sample import NOW, sample_history

SECTIONS = (
    "summary",
    "contexts",
    "red-flags",
    "calendar",
    "trend",
    "body-map",
    "sessions",
    "hydration",
    "medications",
    "sources",
)


@pytest.fixture(scope="module")
def html() -> str:
    history = sample_history()
    report = build_report(
        history, review(history, NOW), now=NOW, trigger_summary=["Long sessions go with your cramps."]
    )
    return render_html(report)


def test_the_html_has_every_section_and_says_it_is_not_a_diagnosis(html: str) -> None:
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    assert "Not a diagnosis." in html
    assert "Personal trigger summary" in html and "Long sessions go with your cramps." in html


def test_the_html_shows_the_figures_of_the_history(html: str) -> None:
    history = sample_history()
    assert f"<strong>{len(history.cramps)}</strong> cramp episode(s)" in html
    assert "hydrochlorothiazide" in html and "2026-04-20" in html
    assert "calf_swelling" not in html  # codes stay out of the prose; the message is shown instead
    assert "deep vein thrombosis" in html
    assert "nhlbi_dvt" in html  # the source of the raised flag is listed
    assert re.search(r"sweat test\(s\): sweat rate median \d\.\d\d L/h", html)


def test_without_an_insights_service_the_trigger_section_is_left_out() -> None:
    history = sample_history()
    html = render_html(build_report(history, review(history, NOW), now=NOW))
    assert "Personal trigger summary" not in html


def test_user_text_is_escaped() -> None:
    history = sample_history()
    hostile = History(
        athlete=history.athlete.model_copy(update={"name": "<script>x</script>"}), cramps=history.cramps
    )
    html = render_html(build_report(hostile, review(hostile, NOW), now=NOW))
    assert "<script>x" not in html and "&lt;script&gt;" in html


def test_an_empty_journal_still_renders() -> None:
    history = History(athlete=sample_history().athlete)
    html = render_html(build_report(history, review(history, NOW), now=NOW))
    assert "<strong>0</strong> cramp episode(s)" in html
    assert "no warning signs found" in html


@pytest.mark.parametrize(
    "svg",
    [
        charts.calendar(
            [(date(2026, 5, 3), 2, 9), (date(2026, 5, 4), 1, -1)], date(2026, 4, 1), date(2026, 6, 1)
        ),
        charts.body_map(
            Counter({(Muscle.CALF, Side.LEFT): 3, (Muscle.HAMSTRING, Side.BOTH): 1, (Muscle.OTHER, None): 2})
        ),
        charts.trend([("Apr", 1), ("May", 4), ("Jun", 0)]),
    ],
)
def test_charts_are_well_formed_svg_with_a_title(svg: str) -> None:
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_the_calendar_marks_severe_days_and_the_body_map_draws_both_legs() -> None:
    svg = charts.calendar([(date(2026, 5, 3), 2, 9)], date(2026, 5, 1), date(2026, 5, 31))
    assert "2026-05-03: 2 cramp(s), max severity 9" in svg and charts.SEVERE_OUTLINE in svg
    both = charts.body_map(Counter({(Muscle.HAMSTRING, Side.BOTH): 1}))
    assert both.count("<circle") == 2  # one on each leg in the back view
    assert "Other sites (not drawn): 2" in charts.body_map(Counter({(Muscle.OTHER, None): 2}))


@pytest.mark.slow
def test_the_pdf_renders_and_pdftoppm_gives_a_page(html: str, tmp_path: Path) -> None:
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    target = tmp_path / "report.pdf"
    target.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(target), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 2  # "one or two pages a doctor can read in a minute"
    assert pages[0].stat().st_size > 1000
