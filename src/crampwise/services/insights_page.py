"""Insights as a picture: the trigger analysis (`services.insights`) with its forest plot.

Session-level factors first, then day-level ones (cramps at rest or in sleep), each labelled in
words; the plot is the same hand-written SVG style as the clinician report's charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crampwise.reports.forest import ForestRow, forest_plot
from crampwise.services.context import AppContext
from crampwise.services.insights import Insights, compute_insights


@dataclass(frozen=True)
class InsightsPage:
    insights: Insights
    forest_svg: str


def insights_page(ctx: AppContext, *, athlete: str | None, now: datetime) -> InsightsPage:
    result = compute_insights(ctx, athlete=athlete, now=now)
    rows = [
        ForestRow(
            label=f.factor.replace("_", " ") + ("" if f.level == "session" else " (day)"),
            odds_ratio=f.odds_ratio,
            low=None if f.ci95 is None else f.ci95[0],
            high=None if f.ci95 is None else f.ci95[1],
            verdict=f.verdict,
        )
        for f in sorted(result.factors, key=lambda f: (f.level != "session", f.factor))
    ]
    return InsightsPage(result, forest_plot(rows))
