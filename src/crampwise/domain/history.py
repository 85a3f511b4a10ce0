"""One athlete's whole journal as the pure core sees it.

Services load a `History` from the store (or build it from a bundle) and hand it to the
science modules together with "now"; the science never reads the clock or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from crampwise.domain.records import Athlete, Bundle, Cramp, Day, Medication, Session


@dataclass(frozen=True)
class History:
    athlete: Athlete
    sessions: tuple[Session, ...] = ()
    cramps: tuple[Cramp, ...] = ()
    days: tuple[Day, ...] = ()
    medications: tuple[Medication, ...] = ()
    # Ordered copies are made once in __post_init__: sessions by start, cramps by time, days by date.
    _sorted: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._sorted:
            object.__setattr__(self, "sessions", tuple(sorted(self.sessions, key=lambda s: s.start)))
            object.__setattr__(self, "cramps", tuple(sorted(self.cramps, key=lambda c: c.at)))
            object.__setattr__(self, "days", tuple(sorted(self.days, key=lambda d: d.date)))
            object.__setattr__(self, "medications", tuple(sorted(self.medications, key=lambda m: m.started)))
            object.__setattr__(self, "_sorted", True)

    @classmethod
    def from_bundle(cls, bundle: Bundle) -> History:
        return cls(
            athlete=bundle.athlete,
            sessions=tuple(bundle.sessions),
            cramps=tuple(bundle.cramps),
            days=tuple(bundle.days),
            medications=tuple(bundle.medications),
        )

    def to_bundle(self) -> Bundle:
        return Bundle(
            athlete=self.athlete,
            sessions=list(self.sessions),
            cramps=list(self.cramps),
            days=list(self.days),
            medications=list(self.medications),
        )

    @property
    def journal_start(self) -> date | None:
        """The first day whose cramps are known: the athlete's `journal_started`, or the day of an
        earlier logged cramp (a cramp back-logged from before it proves that day was watched).
        None: unknown, the whole record counts."""
        started = self.athlete.journal_started
        if started is None:
            return None
        if self.cramps:
            return min(started, self.cramps[0].at.astimezone(self.athlete.zone).date())
        return started

    def judged(self) -> History:
        """This record without the sessions and days from before the journal started.

        Time before the cramp journal began is unknown, not cramp-free: counting years of
        imported sessions as cramp-free inflates every rate ratio. The ONE place the analyses'
        input is trimmed (services load it through `journal.load_journal_history`).
        """
        start = self.journal_start
        if start is None:
            return self
        zone = self.athlete.zone
        return History(
            athlete=self.athlete,
            sessions=tuple(s for s in self.sessions if s.start.astimezone(zone).date() >= start),
            cramps=self.cramps,
            days=tuple(d for d in self.days if d.date >= start),
            medications=self.medications,
            _sorted=True,
        )

    def since(self, day: date) -> History:
        """The records from `day` on (the athlete's calendar): `list ... --since`."""
        zone = self.athlete.zone
        return History(
            athlete=self.athlete,
            sessions=tuple(s for s in self.sessions if s.start.astimezone(zone).date() >= day),
            cramps=tuple(c for c in self.cramps if c.at.astimezone(zone).date() >= day),
            days=tuple(d for d in self.days if d.date >= day),
            medications=tuple(m for m in self.medications if m.stopped is None or m.stopped >= day),
            _sorted=True,
        )

    @cached_property
    def sessions_by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions if s.id is not None}

    @cached_property
    def days_by_date(self) -> dict[date, Day]:
        return {d.date: d for d in self.days}

    def session_of(self, cramp: Cramp) -> Session | None:
        """The session a cramp is linked to, if any."""
        return self.sessions_by_id.get(cramp.session_id) if cramp.session_id else None
