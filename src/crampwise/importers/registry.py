"""One entry point for every wearable format: bytes in, `ParsedFile` out.

`parse_bytes` detects the format from the content, unwraps gzip members (Strava exports
gzip each activity) under a size cap, and calls the format's importer. Archives and bundles
are not handled here: `archives.expand` turns an archive into members first, and bundles go
through the bundle service.
"""

from __future__ import annotations

import io
import json
import math
import zlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import BinaryIO, Final

from crampwise.domain.enums import Sport
from crampwise.importers.archives import Member, open_member, read_member
from crampwise.importers.detect import detect_format
from crampwise.importers.fit import parse_fit
from crampwise.importers.gpx import parse_gpx
from crampwise.importers.model import ImportedActivity, ParsedFile, damaged, not_an_activity
from crampwise.importers.strava import STRAVA_TYPES, manual_activity
from crampwise.importers.tcx import parse_tcx

Importer = Callable[[BinaryIO], ParsedFile]

IMPORTERS: Final[dict[str, Importer]] = {"fit": parse_fit, "gpx": parse_gpx, "tcx": parse_tcx}
MAX_MEMBER_BYTES: Final = 512 * 1024 * 1024  # a day-long second-by-second FIT is ~10 MB
MAX_RATIO: Final = 200  # activity files compress 3-20x; far more is a zip bomb


def gunzip(data: bytes, *, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """Decompress a gzip file, refusing more than `limit` bytes or an absurd ratio."""
    cap = min(limit, max(len(data) * MAX_RATIO, 1 << 20))
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise damaged(f"damaged gzip data: {exc}") from None
    if len(out) > cap:
        raise damaged(f"gzip member expands beyond {cap} bytes (compression bomb?)")
    if not inflater.eof:
        raise damaged("truncated gzip data")
    return out


def parse_bytes(data: bytes) -> ParsedFile:
    """Parse one wearable file given as bytes (gzip layers unwrapped), or raise ImportProblem."""
    kind = detect_format(data[:4096])
    depth = 0
    while kind == "gzip":
        depth += 1
        if depth > 2:
            raise damaged("gzip nested more than twice")
        data = gunzip(data)
        kind = detect_format(data[:4096])
    if kind == "empty":
        raise damaged("empty file (zero bytes or only whitespace)")
    if kind == "zip":
        raise not_an_activity("a zip archive inside an archive member is not read")
    if kind == "bundle":
        raise not_an_activity("a crampwise bundle; import it on its own with crampwise import FILE.json")
    if kind == "json":
        from crampwise.importers.wellness import garmin_wellness

        try:
            document = json.loads(data)
        except ValueError as exc:  # a damaged file is an error, whatever it was meant to be
            raise damaged(f"damaged JSON: {exc}") from None
        found = garmin_wellness(document)
        if found is not None and any(night.values() for night in found[1]):
            return ParsedFile(found[0], (), decoder="json", wellness=found[1])
        if found is not None:
            raise not_an_activity(
                f"JSON data, not an activity recording: a {found[0]} file without sleep or recovery values"
            )
        raise not_an_activity(
            "JSON data, not an activity recording or a sleep and recovery file "
            "(an account export's settings or summary file)"
        )
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise damaged("not a FIT, GPX or TCX file (content not recognised)")
    return importer(io.BytesIO(data))


def with_meta(activity: ImportedActivity, meta: Mapping[str, str]) -> ImportedActivity:
    """Complete an activity with what an export's index says (name, sport, perceived exertion,
    description, gear)."""
    if not meta:
        return activity
    changes: dict[str, object] = {}
    if meta.get("name"):
        changes["name"] = meta["name"][:200]
    sport = STRAVA_TYPES.get(meta.get("strava_type", "").strip().lower())
    if sport is not None and activity.sport in (Sport.OTHER, sport):
        changes["sport"] = sport
    try:
        rpe = float(meta.get("rpe", ""))
    except ValueError:
        rpe = math.nan
    if 0 <= rpe <= 10:
        changes["rpe"] = rpe
    if meta.get("notes"):
        changes["description"] = meta["notes"][:4000]
    if meta.get("gear"):
        changes["gear"] = meta["gear"][:200]
    return replace(activity, **changes)  # type: ignore[arg-type]


def named_parse(data: bytes, name: str) -> ParsedFile:
    """`parse_bytes`, where a file named like a Garmin wellness file that is not one is an error.

    The content decides the format; the name only turns "skipped: JSON data" into an error
    for a file that should have been sleep or recovery data (another format, or a broken one).
    """
    from crampwise.importers.model import ImportProblem
    from crampwise.importers.wellness import garmin_name_hint

    try:
        return parse_bytes(data)
    except ImportProblem as problem:
        hint = garmin_name_hint(name)
        if problem.status == "skipped" and hint is not None and detect_format(data[:4096]) == "json":
            raise damaged(f"named like {hint}, but its content is not one (another format?)") from None
        raise


def parse_member(member: Member) -> ParsedFile:
    """Parse one expanded member (from memory, disk or an archive), or raise ImportProblem."""
    if member.skipped:
        raise not_an_activity(member.skipped)
    if member.kind == "apple-health":
        from crampwise.importers.apple_health import read_workouts, with_heart_rate
        from crampwise.importers.wellness import AppleWellness

        wellness = AppleWellness()
        with open_member(member) as stream:
            workouts = read_workouts(stream, wellness)
        with open_member(member) as stream:
            return with_heart_rate(stream, workouts, wellness)
    data = read_member(member)
    if member.kind == "strava-manual":
        return ParsedFile("strava", (manual_activity(member.meta),), decoder="csv")
    parsed = named_parse(data, member.display)
    if member.meta:
        parsed = replace(parsed, activities=tuple(with_meta(a, member.meta) for a in parsed.activities))
    return parsed
