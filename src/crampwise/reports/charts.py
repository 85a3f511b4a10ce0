"""Hand-written SVG charts for the clinician report: episode calendar, body map, trend.

No plotting library: a few hundred bytes of SVG each, the same in HTML, PDF (WeasyPrint draws
SVG) and the web app. Every chart has a `<title>` and text labels, so it reads without colour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

from crampwise.domain.enums import Muscle, Side

INK = "#222"
MUTED = "#888"
GRID = "#e4e4e4"
# Light to dark by count of cramps that day (1, 2, 3+); severity is shown by an outline.
SHADES = ("#fde0c5", "#f59e62", "#c2410c")
SEVERE_OUTLINE = "#7f1d1d"


def _svg(width: int, height: int, title: str, body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="9">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, label: str, *, anchor: str = "start", size: int = 9, fill: str = INK) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{escape(label)}</text>'


def calendar(days: Sequence[tuple[date, int, int]], start: date, end: date) -> str:
    """A week-by-week calendar of cramp days between `start` and `end` (inclusive).

    `days` holds (local date, number of cramps, highest severity or -1). Columns are weeks
    (Monday first), rows weekdays; a dark outline marks a day with severity 8 or more.
    """
    by_day = {d: (n, sev) for d, n, sev in days}
    first = start - timedelta(days=start.weekday())
    n_weeks = (end - first).days // 7 + 1
    cell, gap, left, top = 11, 2, 24, 16
    width = left + n_weeks * (cell + gap) + 4
    height = top + 7 * (cell + gap) + 20
    body = [
        _text(2, top + i * (cell + gap) + 9, name, fill=MUTED)
        for i, name in ((0, "Mon"), (3, "Thu"), (6, "Sun"))
    ]
    last_month, last_label_week = None, -9
    for week in range(n_weeks):
        monday = first + timedelta(weeks=week)
        x = left + week * (cell + gap)
        if monday.month != last_month:
            if week - last_label_week >= 3:  # a label needs about three columns of room
                body.append(_text(x, top - 5, monday.strftime("%b"), fill=MUTED))
                last_label_week = week
            last_month = monday.month
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day < start or day > end:
                continue
            y = top + weekday * (cell + gap)
            count, severity = by_day.get(day, (0, -1))
            fill = SHADES[min(count, 3) - 1] if count else "#f4f4f4"
            stroke = f' stroke="{SEVERE_OUTLINE}" stroke-width="1.5"' if severity >= 8 else ""
            tip = f"{day.isoformat()}: {count} cramp(s)" + (
                f", max severity {severity}" if severity >= 0 else ""
            )
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{fill}"{stroke}><title>{escape(tip)}</title></rect>'
            )
    legend_y = height - 6
    body.append(_text(left, legend_y, "cramps that day:", fill=MUTED))
    for i, label in enumerate(("1", "2", "3+")):
        x = left + 80 + i * 34
        body.append(f'<rect x="{x}" y="{legend_y - 8}" width="9" height="9" fill="{SHADES[i]}"/>')
        body.append(_text(x + 12, legend_y, label))
    x = left + 190
    body.append(
        f'<rect x="{x}" y="{legend_y - 8}" width="9" height="9" fill="#f4f4f4" stroke="{SEVERE_OUTLINE}" stroke-width="1.5"/>'
    )
    body.append(_text(x + 12, legend_y, "severity 8-10"))
    return _svg(max(width, left + 290), height, f"Calendar of cramp episodes {start} to {end}", body)


# Site centres on a 60 x 190 leg drawn hip (top) to toes (bottom), per view.
FRONT_SITES = {
    Muscle.HIP_FLEXOR: (30, 18),
    Muscle.QUADRICEPS: (30, 55),
    Muscle.ADDUCTOR: (44, 62),
    Muscle.SHIN: (30, 120),
    Muscle.FOOT: (30, 172),
    Muscle.TOES: (30, 184),
}
BACK_SITES = {Muscle.GLUTE: (30, 14), Muscle.HAMSTRING: (30, 58), Muscle.CALF: (30, 118)}
LEG_PATH = "M12 0 H48 L46 85 L42 100 L40 160 L44 178 L50 186 L10 186 L18 178 L20 160 L18 100 L14 85 Z"


def body_map(sites: Counter[tuple[Muscle, Side | None]]) -> str:
    """Front and back views of both legs with a dot per cramp site, sized by count.

    `sites` counts episodes by (muscle, side); `both` counts on each leg, unknown side is
    drawn between the legs. Muscle `other` is listed under the drawing.
    """
    views = (("Front", FRONT_SITES, 10), ("Back", BACK_SITES, 190))
    body: list[str] = []
    biggest = max(sites.values(), default=1)
    for name, positions, x0 in views:
        body.append(_text(x0 + 70, 12, name, anchor="middle", size=10))
        # Front view: the athlete's right leg is on the viewer's left; back view the reverse.
        legs = (("R", x0), ("L", x0 + 80)) if name == "Front" else (("L", x0), ("R", x0 + 80))
        for label, lx in legs:
            body.append(
                f'<path d="{LEG_PATH}" transform="translate({lx},22)" fill="#f3efe9" stroke="{MUTED}"/>'
            )
            body.append(_text(lx + 30, 222, label, anchor="middle", fill=MUTED))
        for (muscle, side), count in sorted(sites.items(), key=lambda kv: (kv[0][0].value, str(kv[0][1]))):
            if muscle not in positions:
                continue
            px, py = positions[muscle]
            r = 4 + 6 * (count / biggest) ** 0.5
            targets = (
                {Side.LEFT: ["L"], Side.RIGHT: ["R"], Side.BOTH: ["L", "R"]}.get(side, []) if side else []
            )
            xs = [lx + px for lbl, lx in legs if lbl in targets] or [x0 + 70]
            for cx in xs:
                tip = f"{muscle.value} {side.value if side else 'side unknown'}: {count}"
                body.append(
                    f'<circle cx="{cx}" cy="{py + 22}" r="{r:.1f}" fill="{SHADES[2]}" fill-opacity="0.75">'
                    f"<title>{escape(tip)}</title></circle>"
                )
                body.append(_text(cx, py + 25, str(count), anchor="middle", size=8, fill="#fff"))
    other = sum(n for (m, _), n in sites.items() if m == Muscle.OTHER)
    if other:
        body.append(_text(10, 238, f"Other sites (not drawn): {other}", fill=MUTED))
    return _svg(360, 244, "Body map of cramp sites and sides", body)


def trend(counts: Sequence[tuple[str, int]], *, label: str = "cramps per month") -> str:
    """Bars of counts per period (e.g. months), oldest left, with the count over each bar."""
    width, height, left, bottom = 360, 120, 24, 20
    top_count = max((n for _, n in counts), default=0) or 1
    n = max(len(counts), 1)
    slot = (width - left - 6) / n
    bar = max(min(slot * 0.7, 28), 2)
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{GRID}"/>'
    ]
    body.append(_text(left, 10, label, fill=MUTED))
    for i, (period, count) in enumerate(counts):
        h = (height - bottom - 24) * count / top_count
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{SHADES[1]}"/>')
        if count:
            body.append(_text(x + bar / 2, y - 2, str(count), anchor="middle", size=8))
        if n <= 7 or i % ((n + 6) // 7) == 0:  # at most about seven labels, so they never overlap
            body.append(_text(x + bar / 2, height - 6, period, anchor="middle", size=7, fill=MUTED))
    return _svg(width, height, f"Trend: {label}", body)
