"""The squad plan: one event (day, duration, expected temperature) planned for every athlete
who shares with the coach: who is at elevated cramp risk, and each one's fluid and sodium
targets from their own sweat history (services.planning, the same plan each athlete sees).

Printable (the page) and as CSV; every athlete's journal read is logged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from crampwise.domain.accounts import Account
from crampwise.domain.enums import Sport
from crampwise.domain.errors import InvalidInput
from crampwise.science.triage import review
from crampwise.science.triage_flags import Review
from crampwise.services.context import AppContext
from crampwise.services.plan_input import PlanRequest, read_plan_request
from crampwise.services.planning import PlanResult, plan_for_history
from crampwise.services.shared_reads import shared_journals

ELEVATED: Final = ("elevated", "high")
RISK_RANK: Final = {"high": 2, "elevated": 1, "low": 0}
CSV_COLUMNS: Final = (
    "athlete",
    "name",
    "risk",
    "risk_probability",
    "risk_drivers",
    "fluid_ml_per_h_low",
    "fluid_ml_per_h_high",
    "fluid_ml_per_h_max",
    "sodium_mg_per_h_low",
    "sodium_mg_per_h_high",
    "sweat_rate_basis",
    "expected_mass_loss_pct",
    "red_flag_level",
    "not_planned_because",
)


@dataclass(frozen=True)
class SquadRow:
    username: str
    plan: PlanResult
    review: Review

    @property
    def risk_level(self) -> str:
        return str((self.plan.risk or {}).get("level", "low"))

    @property
    def elevated(self) -> bool:
        return self.risk_level in ELEVATED

    def to_json(self) -> dict[str, Any]:
        p = self.plan.as_json()
        risk = self.plan.risk or {}
        return {
            "athlete": self.username,
            "name": self.plan.athlete,
            "elevated_risk": self.elevated,
            "risk": {
                "level": self.risk_level,
                "probability": risk.get("probability"),
                "drivers": risk.get("drivers", []),
            },
            "fluid_ml_per_h": p["fluid_ml_per_h"],
            "fluid_ml_per_h_max": p["fluid_ml_per_h_max"],
            "sodium_mg_per_h": p["sodium_mg_per_h"],
            "sweat_rate_l_per_h": p["sweat_rate_l_per_h"],
            "expected_mass_loss_pct": p["expected_mass_loss_pct"],
            "red_flag_level": self.review.level.value,
            "sources": p["sources"],
        }


@dataclass(frozen=True)
class NotPlanned:
    """An athlete whose plan cannot be made (body mass unknown, say), and why."""

    username: str
    name: str
    reason: str


@dataclass(frozen=True)
class SquadPlan:
    event: PlanRequest
    rows: tuple[SquadRow, ...]
    not_planned: tuple[NotPlanned, ...] = ()

    @property
    def elevated(self) -> tuple[SquadRow, ...]:
        return tuple(r for r in self.rows if r.elevated)

    def to_json(self) -> dict[str, Any]:
        when = self.event.when
        return {
            "event": {
                "sport": self.event.sport,
                "duration_s": self.event.duration_s,
                "temperature_c": self.event.temperature_c,
                "rpe": self.event.rpe,
                "date": None if when is None else when.isoformat(),
            },
            "athletes": [r.to_json() for r in self.rows],
            "elevated_risk": [r.username for r in self.elevated],
            "not_planned": [
                {"athlete": n.username, "name": n.name, "reason": n.reason} for n in self.not_planned
            ],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in self.rows:
            doc = r.to_json()
            writer.writerow(
                [
                    _cell(r.username),
                    _cell(r.plan.athlete),
                    r.risk_level,
                    doc["risk"]["probability"],
                    " ".join(doc["risk"]["drivers"] or []),
                    *doc["fluid_ml_per_h"],
                    doc["fluid_ml_per_h_max"],
                    *doc["sodium_mg_per_h"],
                    doc["sweat_rate_l_per_h"].get("basis", ""),
                    doc["expected_mass_loss_pct"],
                    r.review.level.value,
                    "",
                ]
            )
        for n in self.not_planned:
            writer.writerow(
                [_cell(n.username), _cell(n.name), *[""] * (len(CSV_COLUMNS) - 3), _cell(n.reason)]
            )
        return out.getvalue()


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (names are typed by athletes)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def squad_plan_from_form(
    ctx: AppContext, *, reader: Account, raw: Mapping[str, str], now: datetime
) -> SquadPlan:
    """The event read from the form's text (`InvalidInput` names a bad field), planned for everyone."""
    return squad_plan(ctx, reader=reader, event=read_plan_request(raw), now=now, via="page")


def squad_plan(
    ctx: AppContext, *, reader: Account, event: PlanRequest, now: datetime, via: str = "api"
) -> SquadPlan:
    """The event planned for every athlete who shares with `reader`, most at risk first."""
    rows: list[SquadRow] = []
    gaps: list[NotPlanned] = []
    for username, _until, history in shared_journals(ctx, reader=reader, what="squad plan", via=via, now=now):
        try:
            plan = plan_for_history(
                history,
                sport=Sport(event.sport),
                duration_s=event.duration_s,
                temperature_c=event.temperature_c,
                rpe=event.rpe,
                when=event.when,
                now=now,
            )
        except InvalidInput as exc:  # what this athlete's journal lacks (the event itself was read)
            gaps.append(NotPlanned(username, history.athlete.name, "; ".join(e.message for e in exc.errors)))
            continue
        rows.append(SquadRow(username=username, plan=plan, review=review(history, now)))
    rows.sort(
        key=lambda r: (
            -RISK_RANK.get(r.risk_level, 0),
            -float(str((r.plan.risk or {}).get("probability") or 0)),
            r.username,
        )
    )
    return SquadPlan(event=event, rows=tuple(rows), not_planned=tuple(gaps))
