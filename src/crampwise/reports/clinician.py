"""The clinician report: one or two pages a doctor can read in a minute (HTML; PDF in pdf.py).

`build_report` gathers the figures from a `History`, the red-flag `Review` and (when the
insights service exists) the trigger summary; `render_html` fills the Jinja2 template in
`reports/templates/`. Nothing here reads the clock or the store: the service passes `now`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from crampwise.domain.enums import CrampContext, Muscle, Side, UnitSystem
from crampwise.domain.history import History
from crampwise.domain.records import Cramp, Medication, Session
from crampwise.domain.units import display_mass, display_temperature, display_volume
from crampwise.knowledge.sources import Source, resolve
from crampwise.reports import charts
from crampwise.science.hydration import SweatTest, sweat_tests
from crampwise.science.triage_flags import Review

DEFAULT_PERIOD_DAYS = 365
MAX_SESSION_ROWS = 8
MAX_SWEAT_ROWS = 6
CONTEXT_LABEL = {
    CrampContext.EXERCISE: "During exercise",
    CrampContext.AFTER_EXERCISE: "After exercise",
    CrampContext.REST: "At rest",
    CrampContext.SLEEP: "In sleep",
}


@dataclass(frozen=True)
class ContextRow:
    label: str
    count: int
    median_severity: float | None
    median_duration_s: float | None


@dataclass(frozen=True)
class ClinicianReport:
    """Everything the template shows, already computed and formatted-ready."""

    athlete: str
    athlete_line: str
    start: date
    end: date
    generated: datetime
    n_cramps: int
    n_cramp_days: int
    n_recent: int
    recent_days: int
    rate_line: str
    contexts: list[ContextRow]
    sites: list[tuple[str, int]]
    sessions: list[tuple[Session, list[Cramp]]]
    sweat: list[SweatTest]
    sweat_line: str
    medications: list[Medication]
    review: Review
    trigger_summary: list[str] | None
    sources: list[Source]
    calendar_svg: str
    body_map_svg: str
    trend_svg: str
    extra: dict[str, Any] = field(default_factory=dict)
    units: UnitSystem = UnitSystem.METRIC  # the athlete's, for quantities in the text


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def report_start(history: History, now: datetime, since: datetime | None) -> datetime:
    """The start of the report's period: `since`, else a year back (not before a week ahead of
    the first cramp). The HTML/PDF report and the FHIR export cover the same period."""
    start_at = since or now - timedelta(days=DEFAULT_PERIOD_DAYS)
    if history.cramps and since is None:
        start_at = max(start_at, min(c.at for c in history.cramps) - timedelta(days=7))
    return start_at


def _athlete_line(history: History, now: datetime, in_period: Sequence[Session]) -> str:
    """Who the athlete is, and the sports of the report's period (not of their whole record)."""
    a = history.athlete
    parts = []
    if a.sex is not None:
        parts.append(a.sex.value)
    if a.birth_year is not None:
        parts.append(f"born {a.birth_year} (about {now.year - a.birth_year} y)")
    if a.body_mass_kg is not None:
        parts.append(f"body mass {display_mass(a.body_mass_kg, a.units)}")
    sports = Counter(s.sport.value for s in in_period)
    if sports:
        parts.append("sports: " + ", ".join(f"{sport} ({n})" for sport, n in sports.most_common(3)))
    return "; ".join(parts) or "no details recorded"


def build_report(
    history: History,
    review: Review,
    *,
    now: datetime,
    since: datetime | None = None,
    trigger_summary: list[str] | None = None,
    recent_days: int = 28,
) -> ClinicianReport:
    """The report's figures for the period from `since` (default: a year) to `now`."""
    zone = history.athlete.zone
    start_at = report_start(history, now, since)
    start, end = start_at.astimezone(zone).date(), now.astimezone(zone).date()
    cramps = [c for c in history.cramps if start_at <= c.at <= now]

    def local(c: Cramp) -> date:
        return c.at.astimezone(zone).date()

    per_day: dict[date, list[Cramp]] = {}
    for c in cramps:
        per_day.setdefault(local(c), []).append(c)
    days = [
        (d, len(cs), max((c.severity for c in cs if c.severity is not None), default=-1))
        for d, cs in per_day.items()
    ]

    contexts = []
    for ctx, label in CONTEXT_LABEL.items():
        group = [c for c in cramps if c.context == ctx]
        contexts.append(
            ContextRow(
                label=label,
                count=len(group),
                median_severity=_median([float(c.severity) for c in group if c.severity is not None]),
                median_duration_s=_median([float(c.duration_s) for c in group if c.duration_s is not None]),
            )
        )
    site_counts: Counter[tuple[Muscle, Side | None]] = Counter((c.muscle, c.side) for c in cramps)
    sites = Counter(
        f"{m.value.replace('_', ' ')} ({s.value if s else 'side ?'})" for m, s in site_counts.elements()
    )

    month_counts = Counter((local(c).year, local(c).month) for c in cramps)
    months = _months(start, end)
    trend_counts = [
        (date(y, m, 1).strftime("%b %y" if len(months) > 12 else "%b"), month_counts[(y, m)])
        for y, m in months
    ]

    recent_since = now - timedelta(days=recent_days)
    n_recent = sum(1 for c in cramps if c.at >= recent_since)
    span_days = max((now - start_at).days, 1)
    earlier_days = span_days - recent_days
    if earlier_days >= recent_days:
        earlier_rate = (len(cramps) - n_recent) / earlier_days * recent_days
        rate_line = f"{n_recent} in the last {recent_days} days; {earlier_rate:.1f} per {recent_days} days on average before that."
    else:
        rate_line = f"{n_recent} in the last {recent_days} days (too short a journal for an earlier rate)."

    linked: dict[str, list[Cramp]] = {}
    for c in cramps:
        if c.session_id:
            linked.setdefault(c.session_id, []).append(c)
    sessions = [
        (history.sessions_by_id[sid], cs) for sid, cs in linked.items() if sid in history.sessions_by_id
    ]
    sessions.sort(key=lambda pair: pair[0].start, reverse=True)

    in_period = [s for s in history.sessions if start_at <= s.start <= now]
    tests = [t for t in sweat_tests(in_period, athlete_max_hr=history.athlete.max_hr) if t.usable]
    if tests:
        rates = [t.sweat_rate_l_per_h for t in tests]
        losses = [t.mass_loss_pct for t in tests]
        sweat_line = (
            f"{len(tests)} sweat test(s): sweat rate median {statistics.median(rates):.2f} L/h "
            f"(range {min(rates):.2f}-{max(rates):.2f}); body-mass loss median {statistics.median(losses):.1f} % "
            f"(max {max(losses):.1f} %; guidance keeps it under about 2 %)."
        )
    else:
        sweat_line = "No sweat tests (sessions weighed before and after) in this period."

    cited = dict.fromkeys(s for f in review.flags for s in f.sources)
    cited.update(dict.fromkeys(["baker2017", "sawka2007_acsm"] if tests else []))
    return ClinicianReport(
        athlete=history.athlete.name,
        athlete_line=_athlete_line(history, now, in_period),
        start=start,
        end=end,
        generated=now,
        n_cramps=len(cramps),
        n_cramp_days=len(per_day),
        n_recent=n_recent,
        recent_days=recent_days,
        rate_line=rate_line,
        contexts=contexts,
        sites=sites.most_common(),
        sessions=sessions[:MAX_SESSION_ROWS],
        sweat=tests[-MAX_SWEAT_ROWS:],
        sweat_line=sweat_line,
        medications=list(history.medications),
        review=review,
        trigger_summary=trigger_summary,
        sources=resolve(cited),
        calendar_svg=charts.calendar(days, start, end),
        body_map_svg=charts.body_map(site_counts),
        trend_svg=charts.trend(trend_counts),
        units=history.athlete.units,
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def render_html(report: ClinicianReport) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no network)."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("crampwise.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = _duration
    env.filters["temperature"] = lambda c: display_temperature(c, report.units)
    env.filters["volume"] = lambda ml: display_volume(ml, report.units)
    env.filters["svg"] = Markup  # our own generated SVG, its text already escaped
    return env.get_template("clinician.html.j2").render(r=report)
