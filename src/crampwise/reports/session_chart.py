"""A session's heart rate and pace over time, with the moment of each cramp marked (SVG).

Hand-written SVG like `charts.py`: two stacked panels (heart rate above, pace below; faster
pace is higher), at most `MAX_POINTS` points each, a red rule and label at every cramp. A
session without a recording is drawn as a timeline bar with the cramps placed on it, so every
cramp has a picture of when it struck.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from crampwise.domain.series import Series
from crampwise.reports.charts import GRID, INK, MUTED, SHADES, _svg, _text

MAX_POINTS = 240
CRAMP_INK = "#b91c1c"
WIDTH, LEFT, RIGHT = 360, 38, 8


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}"


def _pace_label(s_per_km: float) -> str:
    minutes, seconds = divmod(round(s_per_km), 60)
    return f"{minutes}:{seconds:02d}"


def _points(xs: Sequence[float], ys: Sequence[float]) -> list[tuple[float, float]]:
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if not math.isnan(y)]
    step = max(1, len(pairs) // MAX_POINTS)
    return pairs[::step]


def _x(elapsed_s: float, duration_s: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * min(max(elapsed_s / duration_s, 0.0), 1.0)


def _panel(
    points: list[tuple[float, float]],
    duration_s: float,
    top: float,
    height: float,
    label: str,
    fmt: object,
    invert: bool,
) -> list[str]:
    if not points:
        return [_text(LEFT, top + height / 2, f"{label}: not recorded", fill=MUTED)]
    low = min(y for _x0, y in points)
    high = max(y for _x0, y in points)
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        share = (value - low) / span
        return top + height * (share if invert else 1 - share)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{_x(x, duration_s):.1f} {y_of(y):.1f}" for i, (x, y) in enumerate(points)
    )
    text_of = fmt if callable(fmt) else str
    return [
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{height}" fill="none" stroke="{GRID}"/>',
        f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="1.4"/>',
        _text(LEFT - 3, top + 8, text_of(low if invert else high), anchor="end", size=8, fill=MUTED),
        _text(LEFT - 3, top + height, text_of(high if invert else low), anchor="end", size=8, fill=MUTED),
        _text(LEFT + 3, top + 9, label, size=8, fill=MUTED),
    ]


def session_chart(
    series: Series, duration_s: float, cramps: Sequence[tuple[str, float]], *, title: str
) -> str:
    """Heart rate and pace panels over `duration_s`, cramps as (label, elapsed seconds)."""
    duration_s = max(duration_s, 1.0)
    hr = _points(series.elapsed_s, series.heart_rate)
    speed = [(x, 1000.0 / v) for x, v in _points(series.elapsed_s, series.speed_m_s) if v > 0.5]
    body: list[str] = []
    body += _panel(hr, duration_s, 8, 62, "heart rate (bpm)", lambda v: f"{v:.0f}", invert=False)
    body += _panel(speed, duration_s, 82, 62, "pace (min/km)", _pace_label, invert=True)
    body += _cramp_marks(cramps, duration_s, 6, 140)
    body += _axis(duration_s, 160)
    return _svg(WIDTH, 176, title, body)


def timeline_chart(duration_s: float, cramps: Sequence[tuple[str, float]], *, title: str) -> str:
    """A session without a recording: a bar from start to end with the cramps placed on it."""
    duration_s = max(duration_s, 1.0)
    body = [f'<rect x="{LEFT}" y="20" width="{WIDTH - LEFT - RIGHT}" height="16" rx="4" fill="{SHADES[0]}"/>']
    body.append(_text(LEFT, 14, "session (no heart-rate recording)", size=8, fill=MUTED))
    body += _cramp_marks(cramps, duration_s, 16, 24)
    body += _axis(duration_s, 58)
    return _svg(WIDTH, 74, title, body)


def _cramp_marks(
    cramps: Sequence[tuple[str, float]], duration_s: float, top: float, height: float
) -> list[str]:
    out = []
    for label, elapsed in cramps:
        x = _x(elapsed, duration_s)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + height}" stroke="{CRAMP_INK}" stroke-width="2">'
            f"<title>{escape(label)} at {_minutes(elapsed)} min</title></line>"
        )
        out.append(_text(min(x + 2, WIDTH - 40), top + height + 10, label, size=8, fill=CRAMP_INK))
    return out


def _axis(duration_s: float, y: float) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{GRID}"/>']
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = LEFT + (WIDTH - LEFT - RIGHT) * share
        out.append(_text(x, y + 10, _minutes(duration_s * share), anchor="middle", size=8, fill=MUTED))
    out.append(_text(LEFT - 3, y + 10, "min", anchor="end", size=8, fill=MUTED))
    return out
