"""The wearable import pipeline: `crampwise import PATH...` and `POST /api/v1/imports`.

Paths (files, folders walked recursively, zip archives, Strava and Garmin exports) expand to
members; members are parsed in a process pool across the machine's cores (parsing is pure:
`importers` take bytes and return records); each parsed file is then written in its own
transaction, in input order, so one bad file never stops the others and a killed import
leaves only whole files behind (re-running finishes the job).

Idempotence: a file whose SHA-256 was imported before is a `duplicate` without being parsed;
an activity whose fingerprint (start within a minute, duration or distance close) matches an
imported session is a `duplicate` too (the same ride as FIT and GPX). An activity matching a
session logged by hand attaches its series to that session and fills the fields left unknown;
a FIT file matching a session recorded from a GPX or TCX replaces that poorer recording.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection

from crampwise.domain.errors import CrampwiseError, InvalidInput
from crampwise.domain.records import Session, validate_record
from crampwise.domain.series import Series
from crampwise.domain.storable import check_storable
from crampwise.importers.archives import Member, expand
from crampwise.importers.model import (
    FINGERPRINT_START_TOLERANCE_S,
    Fingerprint,
    ImportedActivity,
    ImportProblem,
)
from crampwise.importers.registry import parse_member
from crampwise.services.context import AppContext
from crampwise.services.journal import resolve_athlete
from crampwise.storage import repository as repo
from crampwise.storage import series as store

IN_FLIGHT_PER_WORKER: Final = 4
MAX_FILE_BYTES: Final = 512 * 1024 * 1024  # as for archive members: a day at 1 Hz is ~10 MB
FILLABLE: Final = ("distance_m", "elevation_gain_m", "avg_hr", "max_hr", "temperature_c", "rpe")


@dataclass(frozen=True)
class FileResult:
    """The outcome of one file, as in CONTRACTS.md section 5 (`import --json`)."""

    path: str
    status: str  # imported | duplicate | skipped | error
    error: str | None = None
    session_ids: tuple[str, ...] = ()
    format: str | None = None
    decoder: str | None = None
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "session_id": self.session_ids[0] if self.session_ids else None,
        }
        if len(self.session_ids) > 1:
            out["session_ids"] = list(self.session_ids)
        if self.format:
            out["format"] = self.format
        if self.warning:
            out["warning"] = self.warning
        return out


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "imported": self.count("imported"),
            "duplicates": self.count("duplicate"),
            "skipped": self.count("skipped"),
            "errors": self.count("error"),
        }


Progress = Callable[[int, int, FileResult], None]
# Called once per file with (transaction, index of the file in the report, its result), inside
# the transaction that stores the file's sessions (or a transaction of its own when nothing is
# stored), so what it records commits exactly when the file does (background import jobs).
FileSink = Callable[[Connection, int, FileResult], None]


@dataclass(frozen=True)
class _Parsed:
    """What a worker sends back: the file's hash and its activities (series as blobs) or a problem."""

    display: str
    sha256: str | None
    status: str | None = None  # set when nothing is to be written: duplicate | skipped | error
    reason: str | None = None
    format: str | None = None
    decoder: str | None = None
    warning: str | None = None
    activities: tuple[tuple[ImportedActivity, bytes, int], ...] = ()


_KNOWN_HASHES: frozenset[str] = frozenset()


def _init_worker(known: frozenset[str]) -> None:
    global _KNOWN_HASHES
    _KNOWN_HASHES = known


def parse_one(member: Member, known: frozenset[str] | None = None) -> _Parsed:
    """Read, hash and parse one member (runs in a worker process); never raises."""
    known = _KNOWN_HASHES if known is None else known
    try:
        if member.problem:
            return _Parsed(member.display, None, "error", member.problem)
        if member.data is None:
            assert member.path is not None
            size = Path(member.path).stat().st_size
            if size > MAX_FILE_BYTES:
                return _Parsed(
                    member.display, None, "error", f"file of {size} bytes is too large for an activity"
                )
            member = replace(member, data=Path(member.path).read_bytes())
        assert member.data is not None
        digest = hashlib.sha256(member.data).hexdigest()
        if digest in known:
            return _Parsed(member.display, digest, "duplicate")
        parsed = parse_member(member)
        packed = tuple(
            (replace(a, series=Series.empty()), store.encode_series(a.series), len(a.series))
            for a in parsed.activities
        )
        return _Parsed(
            member.display, digest, None, None, parsed.format, parsed.decoder, parsed.warning, packed
        )
    except ImportProblem as problem:
        return _Parsed(member.display, None, problem.status, problem.reason)
    except OSError as exc:
        return _Parsed(member.display, None, "error", f"cannot read: {exc.strerror or exc}")
    except MemoryError:
        return _Parsed(member.display, None, "error", "file too large to read in memory")
    except Exception as exc:  # one bad file never stops the others
        return _Parsed(
            member.display, None, "error", f"unexpected failure reading the file: {type(exc).__name__}: {exc}"
        )


def _members(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Member]:
    for path in paths:
        if not Path(path).exists():
            yield Member(str(path), problem="no such file or folder")
            continue
        yield from expand(path)


def _parsed_stream(members: Iterator[Member], known: frozenset[str], workers: int) -> Iterator[_Parsed]:
    """Parsed members in input order, parsed `workers` at a time (in-process when 1)."""
    if workers <= 1:
        for member in members:
            yield parse_one(member, known)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(known,)) as pool:
        window: list[tuple[Member, Future[_Parsed]]] = []
        for member in members:
            window.append((member, pool.submit(parse_one, member)))
            if len(window) >= workers * IN_FLIGHT_PER_WORKER:
                yield _result(*window.pop(0), known)
        while window:
            yield _result(*window.pop(0), known)


def _result(member: Member, future: Future[_Parsed], known: frozenset[str]) -> _Parsed:
    try:
        return future.result()
    except Exception:  # a worker died (out of memory, killed): read this one here
        return parse_one(member, known)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def import_paths(
    ctx: AppContext,
    *,
    athlete: str | None,
    paths: Sequence[str | os.PathLike[str]],
    now: datetime,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every activity file under `paths` for one athlete; one result per file."""
    total = sum(_count(p) for p in paths)
    return _run(ctx, athlete, _members(paths), total, now, progress, workers)


def import_uploads(
    ctx: AppContext,
    *,
    athlete: str | None,
    uploads: Sequence[tuple[str, bytes]],
    now: datetime,
    progress: Progress | None = None,
    workers: int | None = None,
    sink: FileSink | None = None,
) -> ImportReport:
    """Like `import_paths` for files received in memory as (name, bytes) (`POST /api/v1/imports`)."""
    from crampwise.importers.archives import expand_bytes

    members = (member for name, data in uploads for member in expand_bytes(name, data))
    return _run(ctx, athlete, members, len(uploads), now, progress, workers, sink)


def _run(
    ctx: AppContext,
    athlete: str | None,
    members: Iterator[Member],
    total: int,
    now: datetime,
    progress: Progress | None,
    workers: int | None,
    sink: FileSink | None = None,
) -> ImportReport:
    with ctx.read() as conn:
        athlete_pk, who = resolve_athlete(ctx, conn, athlete)
        known = frozenset(store.known_hashes(conn=conn, athlete_pk=athlete_pk))
    workers = default_workers() if workers is None else workers
    workers = 1 if total <= 2 else min(workers, total)
    report = ImportReport()
    for parsed in _parsed_stream(members, known, workers):
        result = _write(ctx, athlete_pk, who.zone, parsed, now, sink, len(report.files))
        report.files.append(result)
        if progress is not None:
            progress(len(report.files), max(total, len(report.files)), result)
    return report


def _count(path: str | os.PathLike[str]) -> int:
    from crampwise.importers.archives import count

    return count(path)


def _sunk(ctx: AppContext, sink: FileSink | None, index: int, result: FileResult) -> FileResult:
    """Hand a result that stored nothing to `sink`, in a transaction of its own."""
    if sink is not None:
        with ctx.begin() as conn:
            sink(conn, index, result)
    return result


def _write(
    ctx: AppContext,
    athlete_pk: int,
    zone: Any,
    parsed: _Parsed,
    now: datetime,
    sink: FileSink | None = None,
    index: int = 0,
) -> FileResult:
    """Store one parsed file in its own transaction (all its activities or none)."""
    base = FileResult(
        parsed.display, "error", format=parsed.format, decoder=parsed.decoder, warning=parsed.warning
    )
    if parsed.status == "duplicate" and parsed.sha256:
        with ctx.read() as conn:
            earlier_ids = store.imported_hash(conn=conn, athlete_pk=athlete_pk, sha256=parsed.sha256) or []
        return _sunk(ctx, sink, index, replace(base, status="duplicate", session_ids=tuple(earlier_ids)))
    if parsed.status is not None:
        return _sunk(ctx, sink, index, replace(base, status=parsed.status, error=parsed.reason))
    assert parsed.sha256 is not None
    try:
        with ctx.begin() as conn:
            earlier = store.imported_hash(conn=conn, athlete_pk=athlete_pk, sha256=parsed.sha256)
            if earlier is not None:
                alive = [
                    i
                    for i in earlier
                    if repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=i)
                ]
                if alive or not earlier:
                    result = replace(base, status="duplicate", session_ids=tuple(alive))
                    if sink is not None:
                        sink(conn, index, result)
                    return result
                store.forget_file(conn=conn, athlete_pk=athlete_pk, sha256=parsed.sha256, session_ids=earlier)
            outcomes = [_store_activity(conn, athlete_pk, zone, parsed, item) for item in parsed.activities]
            ids = tuple(session_id for session_id, _new in outcomes)
            store.remember_file(
                conn=conn,
                athlete_pk=athlete_pk,
                sha256=parsed.sha256,
                path=parsed.display,
                fmt=parsed.format or "unknown",
                session_ids=ids,
                now=now,
            )
            status = "imported" if any(new for _id, new in outcomes) else "duplicate"
            result = replace(base, status=status, session_ids=ids)
            if sink is not None:
                sink(conn, index, result)
    except CrampwiseError as exc:
        return _sunk(ctx, sink, index, replace(base, error=str(exc)))
    return result


def _store_activity(
    conn: Connection, athlete_pk: int, zone: Any, parsed: _Parsed, item: tuple[ImportedActivity, bytes, int]
) -> tuple[str, bool]:
    """Store one activity; returns (session id, whether anything new was stored)."""
    activity, blob, n_samples = item
    mine = activity.fingerprint
    existing: Session | None = None
    for session_id, start, duration_s, distance_m, series_format in store.sessions_near(
        conn=conn, athlete_pk=athlete_pk, start=activity.start, window_s=FINGERPRINT_START_TOLERANCE_S
    ):
        if not mine.matches(Fingerprint(start.timestamp(), duration_s, distance_m)):
            continue
        if series_format is not None and not (parsed.format == "fit" and series_format != "fit"):
            return session_id, False  # already recorded (a FIT is richer than a GPX/TCX: it replaces one)
        existing = repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=session_id)
    if existing is not None and existing.id is not None:
        # a session logged by hand, or recorded from a GPX/TCX: the file fills what is unknown
        filled = {name: getattr(activity, name) for name in FILLABLE if getattr(existing, name) is None}
        merged = _session({**existing.model_dump(), **{k: v for k, v in filled.items() if v is not None}})
        repo.update_record(
            conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=existing.id, record=merged
        )
        session_id = existing.id
    else:
        session_id = repo.next_record_id(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk)
        notes = "\n".join(part for part in (activity.name, activity.notes) if part)
        max_hr = activity.max_hr
        if max_hr is not None and activity.avg_hr is not None and max_hr < activity.avg_hr:
            max_hr = None
        record = _session(
            {
                "id": session_id,
                "start": activity.start.astimezone(zone),
                "sport": activity.sport,
                "duration_s": round(activity.duration_s, 3),
                "distance_m": activity.distance_m,
                "elevation_gain_m": activity.elevation_gain_m,
                "avg_hr": activity.avg_hr,
                "max_hr": max_hr,
                "rpe": activity.rpe,
                "temperature_c": activity.temperature_c,
                "notes": notes[:4000],
                "source": f"{parsed.format}:{parsed.display}"[-500:],
            }
        )
        repo.insert_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, record=record)
    store.store_series(
        conn=conn,
        athlete_pk=athlete_pk,
        session_id=session_id,
        blob=blob,
        n_samples=n_samples,
        start=activity.start,
        duration_s=activity.duration_s,
        distance_m=activity.distance_m,
        source_format=parsed.format or "unknown",
    )
    return session_id, True


def _session(values: dict[str, Any]) -> Session:
    try:
        return check_storable(validate_record(Session, values))
    except InvalidInput as exc:
        raise InvalidInput.single("", f"the file's session is not valid: {exc}") from None


def is_bundle_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a file whose content is a JSON document (a crampwise bundle)."""
    from crampwise.importers.detect import detect_format

    try:
        with open(path, "rb") as handle:
            return Path(path).is_file() and detect_format(handle.read(4096)) == "bundle"
    except OSError:
        return False
