"""Consent of server mode: who may read an athlete's journal, and who did (pure records).

A grant lets one coach or clinician read (never write) one athlete's records from the moment
it is given until it is revoked or its last day ends in the athlete's time zone. Every read of
another person's records is an `AccessEntry` the athlete can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Grant:
    athlete: str  # the athlete's user name
    grantee: str  # the coach's or clinician's user name
    grantee_role: str
    granted_at: datetime
    until: date | None  # last day of access (inclusive), in the athlete's time zone
    ends_at: datetime | None  # the instant access ends (UTC): midnight after `until`
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.ends_at is None or now < self.ends_at)

    def to_json(self, now: datetime) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "grantee": self.grantee,
            "grantee_role": self.grantee_role,
            "granted_at": self.granted_at.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
            "revoked_at": None if self.revoked_at is None else self.revoked_at.isoformat(),
            "active": self.active(now),
        }


@dataclass(frozen=True)
class AccessEntry:
    """One read of an athlete's records by someone else: who, when, what, through which face."""

    at: datetime
    reader: str
    reader_role: str
    what: str  # "cramps", "sessions", "insights", "check", "roster", "squad plan", "athlete page"
    via: str  # "api" or "page"

    def to_json(self) -> dict[str, str]:
        return {
            "at": self.at.isoformat(),
            "reader": self.reader,
            "reader_role": self.reader_role,
            "what": self.what,
            "via": self.via,
        }
