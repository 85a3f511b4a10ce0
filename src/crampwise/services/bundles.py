"""Bundle import and export (`crampwise-bundle` v1, CONTRACTS.md section 3); CSV export is in
`services/csv_export.py`.

Import validates the whole document first (`parse_bundle` reports every bad field path), then
upserts the athlete and every record by id in ONE transaction: a bad bundle imports nothing,
and importing the same bundle twice changes nothing. Fields present in the bundle replace the
stored ones; fields absent from it (e.g. a session's `source` in a bundle written by another
tool) keep their stored value. Records in the store but not in the bundle are kept.

Export writes the stored records back in time order with every field present, so
export -> import -> export is byte-for-byte stable.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from crampwise.domain.bundles import bundle_to_json_dict, parse_bundle, split_unknown_fields
from crampwise.domain.errors import FieldError, InvalidInput, NotFound, StoreError
from crampwise.domain.factors import Factor, merged_factors
from crampwise.domain.recordings import RECORDINGS_KEY, Recording
from crampwise.domain.records import (
    Athlete,
    Bundle,
    Medication,
    Record,
    validate_record,
)
from crampwise.domain.storable import storable_errors
from crampwise.services import journal
from crampwise.services.context import AppContext
from crampwise.storage import repository as repo
from crampwise.storage import series as store_series

RECORD_KINDS = ("sessions", "cramps", "days", "medications")
_BUNDLE_KINDS: tuple[tuple[str, repo.RecordKind[Any]], ...] = (
    ("sessions", repo.SESSION),
    ("cramps", repo.CRAMP),
    ("days", repo.DAY),
    ("medications", repo.MEDICATION),
)


@dataclass
class KindCount:
    """What an import did to one kind of record."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def to_json(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportSummary:
    """The outcome of one bundle import."""

    athlete: str
    athlete_created: bool = False
    athlete_updated: bool = False
    counts: dict[str, KindCount] = field(default_factory=lambda: {kind: KindCount() for kind in RECORD_KINDS})
    ignored_fields: list[str] = field(default_factory=list)  # fields this version does not know
    recordings: KindCount = field(default_factory=KindCount)

    @property
    def changed(self) -> bool:
        """False when the import changed nothing (the same bundle imported again)."""
        return (
            self.athlete_created
            or self.athlete_updated
            or any(c.added or c.updated for c in self.counts.values())
            or bool(self.recordings.added)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "athlete_created": self.athlete_created,
            "athlete_updated": self.athlete_updated,
            "changed": self.changed,
            **{kind: count.to_json() for kind, count in self.counts.items()},
            "recordings": self.recordings.to_json(),
            "ignored_fields": list(self.ignored_fields),
        }

    def describe(self) -> str:
        """One human line: `Ana: sessions 2 added, 1 updated; cramps 3 unchanged`."""
        parts = []
        for kind, count in self.counts.items():
            bits = [f"{n} {label}" for n, label in ((count.added, "added"), (count.updated, "updated")) if n]
            if count.unchanged:
                bits.append(f"{count.unchanged} unchanged")
            if bits:
                parts.append(f"{kind} {', '.join(bits)}")
        if self.recordings.added:
            parts.append(f"recordings {self.recordings.added} added")
        who = f"{self.athlete} (new athlete)" if self.athlete_created else self.athlete
        ignored = f"; ignored unknown fields: {', '.join(self.ignored_fields)}" if self.ignored_fields else ""
        return (
            f"{who}: {'; '.join(parts) if parts else 'no records'}"
            + ("" if self.changed else " (nothing changed)")
            + ignored
        )


def _dump(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _storable(bundle: Bundle) -> None:
    errors: list[FieldError] = storable_errors(bundle.athlete, "athlete")
    for kind, _ in _BUNDLE_KINDS:
        for index, record in enumerate(getattr(bundle, kind)):
            errors.extend(storable_errors(record, f"{kind}[{index}]"))
    if errors:
        raise InvalidInput(errors)


def _merged(kind: repo.RecordKind[Any], current: Record, incoming: Record, path: str) -> Record:
    """`current` with the fields the bundle gave replacing the stored ones."""
    given = incoming.model_dump(include=incoming.model_fields_set)
    merged: Record = validate_record(kind.model, {**current.model_dump(), **given}, prefix=path)
    return merged


def _import_athlete(conn: Connection, bundle: Bundle, summary: ImportSummary, *, make_default: bool) -> int:
    found = repo.athlete_by_name(conn=conn, name=bundle.athlete.name)
    if found is None:
        summary.athlete_created = True
        pk = repo.insert_athlete(conn=conn, athlete=bundle.athlete)
        if make_default and repo.default_athlete(conn=conn) is None:
            repo.set_default_athlete(conn=conn, athlete_pk=pk)
        return pk
    pk, current = found
    incoming = bundle.athlete
    given = incoming.model_dump(include=incoming.model_fields_set)
    # A bundle's factors add to the stored ones (as its records do): none is dropped.
    given["factors"] = [f.model_dump() for f in merged_factors(current.factors, incoming.factors)]
    merged = validate_record(Athlete, {**current.model_dump(), **given}, prefix="athlete")
    if _dump(merged) != _dump(current):
        repo.update_athlete(conn=conn, athlete_pk=pk, athlete=merged)
        summary.athlete_updated = True
    return pk


def _medication_key(conn: Connection, pk: int, med: Medication, stored: dict[Any, Record]) -> Medication:
    """A medication without an id matches a stored one by name and start date, or gets a new id."""
    if med.id is not None:
        return med
    for record in stored.values():
        assert isinstance(record, Medication)
        if record.name.casefold() == med.name.casefold() and record.started == med.started:
            return med.model_copy(update={"id": record.id})
    while True:  # skip ids taken by this bundle's records not yet written
        new_id = repo.next_record_id(conn=conn, kind=repo.MEDICATION, athlete_pk=pk)
        if new_id not in stored:
            return med.model_copy(update={"id": new_id})


def _import_records(
    conn: Connection,
    pk: int,
    name: str,
    kind: repo.RecordKind[Any],
    records: Sequence[Record],
    count: KindCount,
) -> None:
    """Upsert one kind: new records in one batch insert, changed ones updated, the rest left alone."""
    stored: dict[Any, Record] = {
        kind.key_of(r): r for r in repo.list_records(conn=conn, kind=kind, athlete_pk=pk)
    }
    if kind.prefix is not None:  # generated ids must skip the ones this bundle brings
        explicit = [str(rid) for r in records if (rid := getattr(r, "id", None)) is not None]
        repo.advance_counter(conn=conn, kind=kind, athlete_pk=pk, ids=explicit)
    new: list[Record] = []
    for index, incoming in enumerate(records):
        if isinstance(incoming, Medication):
            incoming = _medication_key(conn, pk, incoming, stored)
        key = kind.key_of(incoming)
        current = stored.get(key)
        if current is None:
            new.append(incoming)
            stored[key] = incoming
            count.added += 1
            continue
        stored_json = _dump(current)
        given = incoming.model_dump(mode="json", include=incoming.model_fields_set)
        if all(stored_json.get(field) == value for field, value in given.items()):
            count.unchanged += 1  # the common re-import case, without re-validating
            continue
        merged = _merged(kind, current, incoming, f"{name}[{index}]")
        if _dump(merged) == stored_json:
            count.unchanged += 1
        else:
            repo.update_record(conn=conn, kind=kind, athlete_pk=pk, key=key, record=merged)
            stored[key] = merged
            count.updated += 1
    repo.insert_records(conn=conn, kind=kind, athlete_pk=pk, records=new)


def _stored_session_ids(ctx: AppContext, data: object) -> tuple[set[str], list[Factor]]:
    """Session ids and own factors already stored for the bundle's athlete: a partial bundle may
    link to those sessions and tag with those factors."""
    athlete = data.get("athlete") if isinstance(data, dict) else None
    name = athlete.get("name") if isinstance(athlete, dict) else None
    if not isinstance(name, str):
        return set(), []
    with ctx.begin() as conn:
        found = repo.athlete_by_name(conn=conn, name=name.strip())
        if found is None:
            return set(), []
        sessions = repo.list_records(conn=conn, kind=repo.SESSION, athlete_pk=found[0])
        return {s.id for s in sessions if s.id}, list(found[1].factors)


def _parse_recordings(data: object, session_ids: set[str]) -> list[tuple[Recording, bytes]]:
    """The bundle's `recordings` (an optional v1 addition), each checked and decoded."""
    raw = data.get(RECORDINGS_KEY) if isinstance(data, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidInput.single(RECORDINGS_KEY, "expected a list of recordings")
    parsed: list[tuple[Recording, bytes]] = []
    errors: list[FieldError] = []
    for index, item in enumerate(raw):
        path = f"{RECORDINGS_KEY}[{index}]"
        try:
            recording = validate_record(Recording, item if isinstance(item, dict) else {}, prefix=path)
        except InvalidInput as exc:
            errors.extend(exc.errors)
            continue
        try:
            blob = base64.b64decode(recording.data, validate=True)
            store_series.decode_series(blob)
        except (ValueError, binascii.Error, zlib.error, struct.error):
            errors.append(
                FieldError(f"{path}.data", "not a readable cw1 recording (base64 of the store's block)")
            )
            continue
        if recording.session_id not in session_ids:
            errors.append(
                FieldError(f"{path}.session_id", f"no session {recording.session_id!r} to attach it to")
            )
            continue
        parsed.append((recording, blob))
    if errors:
        raise InvalidInput(errors)
    return parsed


def _import_recordings(
    conn: Connection, pk: int, recordings: Sequence[tuple[Recording, bytes]], count: KindCount
) -> None:
    stored = {r["session_id"]: r["data"] for r in store_series.recordings(conn=conn, athlete_pk=pk)}
    for recording, blob in recordings:
        if stored.get(recording.session_id) == blob:
            count.unchanged += 1
            continue
        store_series.store_series(
            conn=conn,
            athlete_pk=pk,
            session_id=recording.session_id,
            blob=blob,
            n_samples=recording.n_samples,
            start=recording.start,
            duration_s=recording.duration_s,
            distance_m=recording.distance_m,
            source_format=recording.source_format or "unknown",
        )
        count.added += 1


def import_bundle_in(
    conn: Connection,
    *,
    data: object,
    now: datetime,
    make_default: bool = True,
    stored_ids: set[str],
    stored_factors: Sequence[Factor] = (),
) -> ImportSummary:
    """`import_bundle` inside the caller's transaction (a restore imports many in one)."""
    bundle = parse_bundle(data, now=now, known_session_ids=stored_ids, known_factors=stored_factors)
    _storable(bundle)
    recordings = _parse_recordings(data, stored_ids | {s.id for s in bundle.sessions if s.id})
    summary = ImportSummary(athlete=bundle.athlete.name)
    if isinstance(data, dict):
        summary.ignored_fields = [f for f in split_unknown_fields(data)[1] if f != RECORDINGS_KEY]
    pk = _import_athlete(conn, bundle, summary, make_default=make_default)
    for name, kind in _BUNDLE_KINDS:
        _import_records(conn, pk, name, kind, getattr(bundle, name), summary.counts[name])
    _import_recordings(conn, pk, recordings, summary.recordings)
    return summary


def import_bundle(
    ctx: AppContext, *, data: object, now: datetime, make_default: bool = True
) -> ImportSummary:
    """Validate a bundle whole, then upsert it in one transaction (all or nothing, idempotent).

    A new athlete becomes the store's default when it has none (unless `make_default` is False).
    The bundle's `recordings` (if any) are attached to their sessions.
    """
    stored, stored_factors = _stored_session_ids(ctx, data)
    with ctx.begin() as conn:
        return import_bundle_in(
            conn,
            data=data,
            now=now,
            make_default=make_default,
            stored_ids=stored,
            stored_factors=stored_factors,
        )


def read_bundle_file(path: Path) -> object:
    """The JSON document in `path`: a missing file or bad JSON is bad input, an I/O failure a store error.

    Messages do not repeat the path: the caller reports them as `PATH: message`.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound("no such file") from None
    except IsADirectoryError:
        raise InvalidInput.single("", "is a directory; expected a bundle .json file") from None
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from exc
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.single("", f"not a JSON document ({exc}); expected a crampwise bundle") from None


def check_bundle_owner(document: object, owner: str | None, hint: str = "") -> None:
    """A bundle names its athlete; when the import is for a named athlete they must agree
    (`InvalidInput` naming `athlete`) rather than another athlete's record being added."""
    athlete = document.get("athlete") if isinstance(document, dict) else None
    named = athlete.get("name") if isinstance(athlete, dict) else None
    if owner is not None and isinstance(named, str) and named.strip() != owner:
        raise InvalidInput.single(
            "athlete",
            f"this bundle holds {named.strip()!r}'s record, not {owner!r}'s" + (f"; {hint}" if hint else ""),
        )


def import_bundle_file(
    ctx: AppContext, *, path: Path, now: datetime, athlete: str | None = None
) -> ImportSummary:
    """Read and import one bundle file (see `import_bundle`); `athlete`, when named, must be
    the bundle's (`check_bundle_owner`)."""
    data = read_bundle_file(path)
    check_bundle_owner(data, athlete, "leave out --athlete to import it")
    return import_bundle(ctx, data=data, now=now)


def export_bundle(ctx: AppContext, *, athlete: str | None, recordings: bool = False) -> dict[str, Any]:
    """One athlete's whole record as a `crampwise-bundle` v1 document (JSON-ready).

    With `recordings`, the imported sessions' recordings ride along under `recordings` (a
    documented v1 addition, docs/import.md), so another store can still `show cramp`.
    """
    history = journal.load_history(ctx, athlete=athlete)
    document = bundle_to_json_dict(history.to_bundle())
    if recordings:
        with ctx.read() as conn:
            pk, _who = journal.resolve_athlete(ctx, conn, history.athlete.name)
            rows = store_series.recordings(conn=conn, athlete_pk=pk)
        if rows:
            document[RECORDINGS_KEY] = [recording_json(row, history.athlete.zone) for row in rows]
    return document


def recording_json(row: dict[str, Any], zone: Any) -> dict[str, Any]:
    """One stored series as the bundle's `recordings[]` item (the blob as base64)."""
    return {
        "session_id": row["session_id"],
        "format": row["format"],
        "source_format": row["source_format"],
        "n_samples": row["n_samples"],
        "start": row["start_utc"].astimezone(zone).isoformat(),
        "duration_s": row["duration_s"],
        "distance_m": row["distance_m"],
        "data": base64.b64encode(row["data"]).decode("ascii"),
    }
