"""Which number to call: the emergency number of the athlete's country, from their time zone.

Advice text says "call {emergency}" and "{urgent_care}"; `Contacts.fill` turns that into
"call 112" for an athlete in Europe/Madrid, "call 999" (and "NHS 111") in Europe/London,
"call 911" in America/New_York or America/Toronto, and "call your local emergency number"
wherever crampwise cannot be sure (UTC, an unlisted country, an unknown zone). A UK number is
never shown outside the UK.

The country of a zone comes from the time-zone database itself (`zone.tab` of the `tzdata`
package, or the system's copy), with its backward-compatible links (`GB`, `US/Eastern`,
`Europe/Belfast`) read from `tzdata.zi`. Standard library only and cached, because
`crampwise now` uses it on its fast path (knowledge/relief.py explains the budget).
"""

from __future__ import annotations

import os

from crampwise.knowledge.frozen import Frozen
from crampwise.knowledge.toml_cache import read_cached_toml

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

EMERGENCY_FILE = "emergency.toml"
SYSTEM_ZONEINFO = "/usr/share/zoneinfo"
PLACEHOLDERS = ("{emergency}", "{urgent_care}")


class Contacts(Frozen):
    """The numbers for one place; `emergency` None means "your local emergency number"."""

    __slots__ = ("country", "emergency", "generic_emergency", "generic_urgent", "sources", "urgent", "where")
    country: str | None
    where: str | None
    emergency: str | None
    urgent: str | None
    generic_emergency: str
    generic_urgent: str
    sources: tuple[str, ...]

    def __init__(
        self,
        *,
        country: str | None,
        where: str | None,
        emergency: str | None,
        urgent: str | None,
        generic_emergency: str,
        generic_urgent: str,
        sources: tuple[str, ...],
    ) -> None:
        self._set(
            country=country,
            where=where,
            emergency=emergency,
            urgent=urgent,
            generic_emergency=generic_emergency,
            generic_urgent=generic_urgent,
            sources=sources,
        )

    @property
    def emergency_text(self) -> str:
        """`112`, or `your local emergency number`."""
        return self.emergency or self.generic_emergency

    @property
    def urgent_text(self) -> str:
        """`NHS 111, your doctor or an urgent-care service`, or just the last two."""
        return f"{self.urgent}, {self.generic_urgent}" if self.urgent else self.generic_urgent

    def fill(self, text: str) -> str:
        """`text` with `{emergency}` and `{urgent_care}` replaced (other braces untouched)."""
        return text.replace("{emergency}", self.emergency_text).replace("{urgent_care}", self.urgent_text)


_CACHE: dict[str, Any] = {}


def _knowledge_path(name: str) -> str:
    return os.path.join(os.path.dirname(__file__), name)


def _book() -> Mapping[str, Any]:
    if "book" not in _CACHE:
        _CACHE["book"] = read_cached_toml(_knowledge_path(EMERGENCY_FILE))
    book: Mapping[str, Any] = _CACHE["book"]
    return book


def _zoneinfo_dirs() -> list[str]:
    dirs = []
    try:
        import tzdata  # type: ignore[import-untyped]  # data only, no stubs

        dirs.append(os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo"))
    except ImportError:  # pragma: no cover - tzdata is a dependency; the system copy is the fallback
        pass
    dirs.append(SYSTEM_ZONEINFO)
    return dirs


def _read_first(name: str) -> str:
    for folder in _zoneinfo_dirs():
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                return handle.read()
        except OSError:
            continue
    return ""


def zone_countries() -> dict[str, str]:
    """IANA zone name -> ISO country code, from zone.tab (cached)."""
    if "zones" not in _CACHE:
        zones: dict[str, str] = {}
        for line in _read_first("zone.tab").splitlines():
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                zones[parts[2]] = parts[0]
        _CACHE["zones"] = zones
    zones_out: dict[str, str] = _CACHE["zones"]
    return zones_out


def _links() -> dict[str, str]:
    """Backward-compatible zone names -> their target (`GB` -> `Europe/London`), from tzdata.zi."""
    if "links" not in _CACHE:
        links: dict[str, str] = {}
        for line in _read_first("tzdata.zi").splitlines():
            if line.startswith("L "):
                parts = line.split()
                if len(parts) == 3:
                    links[parts[2]] = parts[1]
        _CACHE["links"] = links
    links_out: dict[str, str] = _CACHE["links"]
    return links_out


def country_of_zone(zone_name: str | None) -> str | None:
    """The ISO country code of an IANA zone, following links; None for UTC/Etc or unknown."""
    if not zone_name:
        return None
    zones = zone_countries()
    name = zone_name.strip().lstrip(":")
    for _ in range(4):  # links can chain (rarely); stop after a few hops
        if name in zones:
            return zones[name]
        target = _links().get(name)
        if target is None:
            return None
        name = target
    return None


def contacts_for_zone(zone_name: str | None) -> Contacts:
    """The contacts for the country of `zone_name`, or the generic words when unsure."""
    book = _book()
    country = country_of_zone(zone_name)
    generic = {
        "generic_emergency": str(book["generic_emergency"]),
        "generic_urgent": str(book["generic_urgent"]),
    }
    for entry in book["country"]:
        if country is not None and country in entry["codes"]:
            return Contacts(
                country=country,
                where=str(entry["name"]),
                emergency=str(entry["emergency"]),
                urgent=str(entry["urgent"]) if entry.get("urgent") else None,
                sources=tuple(str(s) for s in entry["sources"]),
                **generic,
            )
    return Contacts(
        country=country,
        where=None,
        emergency=None,
        urgent=None,
        sources=tuple(str(s) for s in book["urgent_sources"]),
        **generic,
    )


def local_zone_name(environ: Mapping[str, str] | None = None) -> str | None:
    """This computer's IANA zone name (TZ, /etc/localtime, /etc/timezone), or None.

    For `crampwise now --plain`, which must answer before any store is opened: the computer's
    clock is the best cheap guess of where the athlete is right now.
    """
    env = os.environ if environ is None else environ
    tz = env.get("TZ", "").strip().lstrip(":")
    if tz:
        return tz if "/" in tz or tz in zone_countries() or tz in _links() else None
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            return target.split(marker, 1)[1]
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            return handle.read().strip() or None
    except OSError:
        return None
