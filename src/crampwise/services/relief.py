"""Relief for a cramp happening now: the protocol, and logging the episode afterwards.

Light on purpose: `crampwise now` imports this on its fast path, so only the standard library
and the knowledge base are imported at module level. The store (SQLAlchemy, Pydantic, the
migrations) is imported inside `log_episode`, after the relief has been given.
"""

from __future__ import annotations

from crampwise.knowledge.emergency import Contacts, contacts_for_zone, local_zone_name
from crampwise.knowledge.frozen import Frozen
from crampwise.knowledge.relief import Protocol, Relief, load_relief

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from crampwise.config import Settings


def relief_knowledge() -> Relief:
    """The relief protocols and the cautions that apply to all of them."""
    return load_relief()


def contacts_here(zone_name: str | None = None) -> Contacts:
    """The emergency contacts for `zone_name` (the athlete's zone), else this computer's zone.

    The relief text says "call {emergency}"; `Contacts.fill` turns it into "call 112" in
    Madrid, "call 999" in London, or "your local emergency number" when crampwise cannot tell.
    """
    return contacts_for_zone(zone_name or local_zone_name())


def protocol_for(muscle: str) -> Protocol:
    """The protocol of one muscle; `KeyError` listing the known muscles otherwise."""
    return load_relief().protocol(muscle)


class Episode(Frozen):
    """What the guided relief measured and asked: one cramp, ready to be logged.

    `duration_s` is measured from the start of the guide to the moment the athlete said the
    cramp had let go (or the guide ended); `relief` holds `domain.enums.Relief` values; `at`
    is an aware time (shown and stored in the athlete's zone, like `log cramp`).
    """

    __slots__ = ("at", "context", "duration_s", "muscle", "relief", "relief_worked", "severity", "side")
    muscle: str
    at: datetime
    duration_s: int
    relief: tuple[str, ...]
    relief_worked: bool | None
    severity: int | None
    context: str
    side: str | None

    def __init__(
        self,
        *,
        muscle: str,
        at: datetime,
        duration_s: int,
        relief: tuple[str, ...],
        relief_worked: bool | None,
        severity: int | None,
        context: str,
        side: str | None = None,
    ) -> None:
        self._set(
            muscle=muscle,
            at=at,
            duration_s=duration_s,
            relief=relief,
            relief_worked=relief_worked,
            severity=severity,
            context=context,
            side=side,
        )

    def as_record_data(self, zone: tzinfo | None = None) -> dict[str, object]:
        """The fields of a cramp record (bundle names) for `services.journal.log_cramp`.

        `zone` is the athlete's time zone: `at` carries its offset, as `log cramp` stores it.
        """
        data: dict[str, object] = {
            "at": self.at.astimezone(zone),
            "muscle": self.muscle,
            "context": self.context,
            "duration_s": max(1, self.duration_s),
            "relief": list(self.relief),
            "relief_worked": self.relief_worked,
            "severity": self.severity,
            "notes": "logged by crampwise now",
        }
        if self.side is not None:
            data["side"] = self.side
        return data

    def log_later_command(self, zone: tzinfo | None = None) -> str:
        """The `crampwise log cramp` line that records this episode by hand.

        The time carries the offset of `zone` (the athlete's), or of this computer's local time
        when the athlete's zone is unknown: never a bare UTC offset for a local event.
        """
        parts = [
            "crampwise log cramp",
            f"--muscle {self.muscle}",
            f"--context {self.context}",
            f"--duration {max(1, self.duration_s)}s",
            f"--at {self.at.astimezone(zone).replace(microsecond=0).isoformat()}",
        ]
        if self.side is not None:
            parts.append(f"--side {self.side}")
        if self.severity is not None:
            parts.append(f"--severity {self.severity}")
        if self.relief:
            parts.append(f"--relief {','.join(self.relief)}")
        if self.relief_worked is not None:
            parts.append(f"--relief-worked {'yes' if self.relief_worked else 'no'}")
        return " ".join(parts)


NIGHT_FROM_H = 22  # crampwise_convention: a cramp from 22:00 ...
NIGHT_UNTIL_H = 7  # ... to 07:00 (local time) most likely struck in sleep


def night_context(at: datetime) -> str:
    """The likely context of a cramp at `at` (local time): `sleep` from 22:00 to 07:00, else
    `exercise`; only the default of the question the guide asks (a crampwise convention)."""
    return "sleep" if at.hour >= NIGHT_FROM_H or at.hour < NIGHT_UNTIL_H else "exercise"


def number_line(contacts: Contacts) -> str:
    """Which emergency number the relief text uses, and why (so a traveller can correct it)."""
    if contacts.emergency is None:
        return (
            "Emergency number: your local emergency number (crampwise cannot tell which country you are in)."
        )
    return (
        f"Emergency number: {contacts.emergency} ({contacts.where}, from the time zone); abroad, use the "
        "local number."
    )


class NowAthlete(Frozen):
    """Who a `crampwise now` episode will be logged for (resolved before the guide starts)."""

    __slots__ = ("name", "zone")
    name: str
    zone: tzinfo

    def __init__(self, *, name: str, zone: tzinfo) -> None:
        self._set(name=name, zone=zone)


def resolve_now_athlete(settings: Settings) -> NowAthlete:
    """The athlete `crampwise now` logs for: `settings.athlete`, the only or the default one.

    Raises the journal's errors (`NotFound` for a missing store or no athlete to pick,
    `StoreError`): the guide shows them at once and still gives the relief.
    """
    from crampwise.services import journal
    from crampwise.services.context import open_context

    with open_context(settings) as ctx:
        who = journal.get_athlete(ctx, athlete=settings.athlete)
    return NowAthlete(name=who.name, zone=who.zone)


def log_episode(settings: Settings, *, episode: Episode, now: datetime, athlete: str | None = None) -> str:
    """Store the episode as a cramp of `athlete` (default: `settings.athlete`, the only or the
    default athlete); its new id. The same cramp logged twice is stored anyway: the guide ran.

    Raises the journal's errors (`NotFound` without an athlete, `StoreError`, `InvalidInput`):
    the caller decides how to tell the user, who has had the relief already.
    """
    from crampwise.services import journal
    from crampwise.services.context import open_context

    name = athlete if athlete is not None else settings.athlete
    with open_context(settings) as ctx:
        zone = journal.get_athlete(ctx, athlete=name).zone
        data = episode.as_record_data(zone)
        cramp = journal.log_cramp(ctx, athlete=name, data=data, now=now, link_session=True, confirmed=True)
    return str(cramp.id)
