"""A forest plot of the trigger analysis: each factor's odds ratio with its 95 % interval (SVG).

Log scale from 0.1 to 20 (as the terminal plot), a rule at 1 (no link), the estimate as a dot
whose colour follows the verdict; factors without an estimate are listed as "too few data".
Every row is labelled in words, so the plot reads without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.reports.charts import GRID, INK, MUTED, _svg, _text

LOW, HIGH = 0.1, 20.0
WIDTH, LEFT, RIGHT, ROW = 360, 150, 12, 22
VERDICT_INK = {
    "likely_trigger": "#b91c1c",
    "possible_trigger": "#b45309",
    "protective": "#166534",
    "no_clear_link": INK,
    "not_enough_data": MUTED,
}


@dataclass(frozen=True)
class ForestRow:
    label: str
    odds_ratio: float | None
    low: float | None
    high: float | None
    verdict: str


def _x(value: float) -> float:
    clipped = min(max(value, LOW), HIGH)
    share = (math.log(clipped) - math.log(LOW)) / (math.log(HIGH) - math.log(LOW))
    return LEFT + share * (WIDTH - LEFT - RIGHT)


def forest_plot(rows: Sequence[ForestRow], *, title: str = "Odds ratios with 95 % intervals") -> str:
    height = 30 + ROW * len(rows) + 24
    body = [
        f'<line x1="{_x(1.0):.1f}" y1="18" x2="{_x(1.0):.1f}" y2="{height - 22}" stroke="{MUTED}" stroke-dasharray="3 3"/>'
    ]
    for i, row in enumerate(rows):
        y = 30 + i * ROW
        ink = VERDICT_INK.get(row.verdict, INK)
        body.append(_text(LEFT - 6, y + 4, row.label, anchor="end", size=9, fill=INK))
        body.append(f'<line x1="{LEFT}" y1="{y + 10}" x2="{WIDTH - RIGHT}" y2="{y + 10}" stroke="{GRID}"/>')
        if row.odds_ratio is None or row.low is None or row.high is None:
            body.append(_text(_x(1.0) + 4, y + 4, "too few data", size=8, fill=MUTED))
            continue
        body.append(
            f'<line x1="{_x(row.low):.1f}" y1="{y}" x2="{_x(row.high):.1f}" y2="{y}" stroke="{ink}" stroke-width="2"/>'
        )
        body.append(
            f'<circle cx="{_x(row.odds_ratio):.1f}" cy="{y}" r="4" fill="{ink}"><title>{row.label}: '
            f"{row.odds_ratio:.2g} ({row.low:.2g} to {row.high:.2g})</title></circle>"
        )
    axis_y = height - 10
    for value, text in ((0.1, "0.1"), (0.5, "0.5"), (1.0, "1"), (2.0, "2"), (5.0, "5"), (20.0, "20")):
        body.append(_text(_x(value), axis_y, text, anchor="middle", size=8, fill=MUTED))
    body.append(_text(LEFT, 12, "fewer cramps", size=8, fill=MUTED))
    body.append(_text(WIDTH - RIGHT, 12, "more cramps", anchor="end", size=8, fill=MUTED))
    return _svg(WIDTH, height, title, body)
