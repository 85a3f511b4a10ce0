"""The relief guide's closing questions, from the web page's form, logged as one cramp.

The page sends what the guide measured and asked: when it started (`started`, ISO with the
phone's offset), how long until the cramp let go (`duration_s`), which kinds of relief were
used (`relief`), "did it help?" (`relief_worked`, yes/no), the worst severity (0-10), where it
started (context; the page proposes sleep at night) and which side, as `crampwise now` asks. The record is built by `services.relief.Episode`, as for
`crampwise now` in a terminal, and logged once per client key (`services.sync`).

Without JavaScript the page cannot measure the duration: the time from `started` (the page's
render time) to the answer is used, unless it is over an hour (a page left open), when the
duration is left unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Final

from crampwise.domain.enums import CrampContext, Relief, Side, choices
from crampwise.domain.errors import FieldError, InvalidInput, NotFound, StoreError
from crampwise.knowledge.emergency import Contacts, contacts_for_zone
from crampwise.knowledge.relief import Caution, Mistake, Protocol
from crampwise.knowledge.relief import Relief as ReliefKnowledge
from crampwise.services.context import AppContext
from crampwise.services.journal import get_athlete, localize
from crampwise.services.relief import (
    NIGHT_FROM_H,
    NIGHT_UNTIL_H,
    Episode,
    contacts_here,
    night_context,
    number_line,
    protocol_for,
    relief_knowledge,
)
from crampwise.services.sync import Logged, log_once

UNMEASURED_MAX_S: Final = 3600  # crampwise_convention: longer means the page was left open
FIELDS: Final = (
    "started",
    "duration_s",
    "relief",
    "relief_worked",
    "severity",
    "side",
    "context",
    "client_time",
)


@dataclass(frozen=True)
class GuidePage:
    """What the relief page shows for one muscle: the protocol, the shared cautions and the
    emergency contacts that fill the texts' `{emergency}`/`{urgent_care}` (`fill`).

    `context_default` is the answer "where did it start?" starts with (sleep at night, in the
    athlete's local time); the page's script re-checks it with the phone's clock, between
    `night_from_h` and `night_until_h`, because an offline copy of the page can be hours old.
    """

    protocol: Protocol
    relief: ReliefKnowledge
    contacts: Contacts
    context_default: str
    night_from_h: int = NIGHT_FROM_H
    night_until_h: int = NIGHT_UNTIL_H

    def fill(self, text: str) -> str:
        """`text` with the emergency number and urgent-care words of the athlete's country."""
        return self.contacts.fill(text)

    @property
    def number_line(self) -> str:
        return number_line(self.contacts)

    def cautions(self, kind: str) -> tuple[Caution, ...]:
        """`first` (before anything: water safety), `stop`, `never` or `note`."""
        return self.relief.cautions_of(kind)

    @property
    def mistakes(self) -> tuple[Mistake, ...]:
        return (*self.protocol.mistakes, *self.relief.mistakes)


def guide_contacts(ctx: AppContext, *, athlete: str | None) -> tuple[Contacts, tzinfo | None]:
    """The emergency contacts of the athlete's time zone, and that zone.

    The relief page must answer without a store or an athlete (a first visit, no network):
    then this computer's zone picks the number in local mode, and the generic "your local
    emergency number" in server mode, where the server's zone says nothing about the athlete.
    """
    if ctx.settings.multi_user and athlete is None:  # a guest of server mode: no zone to go by
        return contacts_for_zone(None), None
    try:
        who = get_athlete(ctx, athlete=athlete)
    except (NotFound, StoreError):
        if ctx.settings.multi_user:
            return contacts_for_zone(None), None
        return contacts_here(None), None
    return contacts_for_zone(who.timezone), who.zone


def guide_page(ctx: AppContext, *, athlete: str | None, muscle: str, now: datetime) -> GuidePage:
    """The relief page of `muscle` (`NotFound` for an unknown one) for this athlete."""
    try:
        protocol = protocol_for(muscle)
    except KeyError:
        raise NotFound(f"muscle: no relief guide for {muscle!r}; see /now for the muscles") from None
    contacts, zone = guide_contacts(ctx, athlete=athlete)
    return GuidePage(
        protocol=protocol,
        relief=relief_knowledge(),
        contacts=contacts,
        context_default=night_context(now.astimezone(zone)),
    )


def _text(form: Mapping[str, str], name: str) -> str:
    return str(form.get(name) or "").strip()


def _read(form: Mapping[str, str], errors: list[FieldError]) -> dict[str, object]:
    out: dict[str, object] = {}
    worked = _text(form, "relief_worked").lower()
    if worked:
        if worked not in ("yes", "no"):
            errors.append(FieldError("relief_worked", f"cannot read {worked!r}; expected yes or no"))
        out["relief_worked"] = worked == "yes"
    severity = _text(form, "severity")
    if severity:
        if not severity.isdigit() or int(severity) > 10:
            errors.append(FieldError("severity", f"cannot read {severity!r}; expected a whole number 0-10"))
        else:
            out["severity"] = int(severity)
    for name, enum in (("side", Side), ("context", CrampContext)):
        value = _text(form, name)
        if value and value not in {m.value for m in enum}:
            errors.append(FieldError(name, f"unknown value {value!r}; expected {choices(enum)}"))
        elif value:
            out[name] = value
    relief = [r.strip() for r in _text(form, "relief").split(",") if r.strip()]
    bad = [r for r in relief if r not in {m.value for m in Relief}]
    if bad:
        errors.append(FieldError("relief", f"unknown value {bad[0]!r}; expected {choices(Relief)}"))
    out["relief"] = tuple(relief)
    for name in ("started", "client_time"):
        value = _text(form, name)
        if value:
            try:
                out[name] = datetime.fromisoformat(value)
            except ValueError:
                errors.append(FieldError(name, f"cannot read {value!r}; expected an ISO time"))
    duration = _text(form, "duration_s")
    if duration:
        try:
            out["duration_s"] = round(float(duration))
        except ValueError:
            errors.append(FieldError("duration_s", f"cannot read {duration!r}; expected seconds"))
    return out


def log_guided_episode(
    ctx: AppContext,
    *,
    athlete: str | None,
    muscle: str,
    form: Mapping[str, str],
    now: datetime,
    key: str | None = None,
) -> Logged:
    """Log the guide's episode for `muscle` (`NotFound` for an unknown one), once per `key`."""
    if muscle not in relief_knowledge().muscles:
        raise NotFound(
            f"muscle: unknown muscle {muscle!r}; known muscles: {', '.join(relief_knowledge().muscles)}"
        )
    errors: list[FieldError] = []
    values = _read(form, errors)
    if errors:
        raise InvalidInput(errors)
    zone = get_athlete(ctx, athlete=athlete).zone
    raw_start = values.get("started") or values.get("client_time") or now
    assert isinstance(raw_start, datetime)
    started = localize(raw_start, zone)
    measured = values.get("duration_s")
    elapsed = round((now - started).total_seconds())
    duration = measured if isinstance(measured, int) else elapsed
    episode = Episode(
        muscle=muscle,
        at=started,
        duration_s=max(1, int(duration)),
        relief=values["relief"] or ("stretch",),  # type: ignore[arg-type]
        relief_worked=values.get("relief_worked"),  # type: ignore[arg-type]
        severity=values.get("severity"),  # type: ignore[arg-type]
        context=str(values.get("context") or CrampContext.EXERCISE.value),
        side=values.get("side"),  # type: ignore[arg-type]
    )
    data = episode.as_record_data(zone)
    data["notes"] = "logged by the crampwise relief guide"
    if not isinstance(measured, int) and not 0 < elapsed <= UNMEASURED_MAX_S:
        data.pop("duration_s")
    if started > now + timedelta(minutes=5):
        raise InvalidInput.single("started", "is in the future; check the phone's clock")
    given = {name: _text(form, name) for name in FIELDS if name != "client_time"}
    # The guide ran: the episode is stored even next to a similar one (as `crampwise now` does).
    return log_once(
        ctx,
        athlete=athlete,
        kind="cramp",
        data=data,
        now=now,
        key=key,
        digest_of={"muscle": muscle, **given},
        confirmed=True,
    )
