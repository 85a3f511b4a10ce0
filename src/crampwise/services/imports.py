"""The wearable import pipeline: `crampwise import PATH...` and `POST /api/v1/imports`.

Paths (files, folders walked recursively, zip archives, Strava and Garmin exports) are listed
as members first (cheap: names and sizes, so the progress bar and the summary count the same
files); members are parsed in worker processes across the machine's cores (parsing is pure:
`importers` take bytes and return records; workers read and inflate archive members
themselves); each parsed file is then written by this process, in its own transaction, in
input order, so one bad file never stops the others and a killed import leaves only whole
files behind (re-running finishes the job: stored files are recognised by hash and skipped).

Idempotence: a file whose SHA-256 was imported before is a `duplicate` without being parsed;
an activity whose fingerprint (start within a minute, duration or distance close) matches an
imported session is a `duplicate` too (the same ride as FIT and GPX), and what its export's
index adds (a Strava name, description, gear, perceived exertion) is merged into the stored
session where unknown. An activity matching a session logged by hand attaches its series to
that session and fills the fields left unknown; a FIT file matching a session recorded from a
GPX or TCX replaces that poorer recording.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection

from crampwise.domain.errors import CrampwiseError
from crampwise.importers.archives import Member, expand
from crampwise.processes import worker_pool
from crampwise.services.context import AppContext
from crampwise.services.import_worker import Parsed, init_worker, parse_one
from crampwise.services.imported_sessions import store_activities
from crampwise.services.journal import resolve_athlete
from crampwise.services.wellness_days import DaysFilled, store_nights
from crampwise.storage import repository as repo
from crampwise.storage import series as store

IN_FLIGHT_PER_WORKER: Final = 4
WORKER_MODULE: Final = "crampwise.services.import_worker"


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
    notes: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()  # fields an export's index added to an already stored session
    days: DaysFilled | None = None  # what a wellness file filled in the athlete's days (issue 16)

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
        if self.notes:
            out["notes"] = list(self.notes)
        if self.merged:
            out["merged"] = list(self.merged)
        if self.days is not None:
            out["days"] = self.days.to_json()
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


def list_members(paths: Iterable[str | os.PathLike[str]], scratch: str | None = None) -> list[Member]:
    """Every file the import will report, in input order (archive members by name, not content)."""
    members: list[Member] = []
    for path in paths:
        if not Path(path).exists():
            members.append(Member(str(path), problem="no such file or folder"))
            continue
        members.extend(expand(path, scratch))
    return members


def _parsed_stream(
    members: Sequence[Member], known: frozenset[str], workers: int
) -> Generator[Parsed, None, None]:
    """Parsed members in input order, parsed `workers` at a time (in-process when 1)."""
    if workers <= 1:
        for member in members:
            yield parse_one(member, known)
        return
    with worker_pool(workers, initializer=init_worker, initargs=(known,), preload=[WORKER_MODULE]) as pool:
        window: list[tuple[Member, Future[Parsed]]] = []
        for member in members:
            window.append((member, pool.submit(parse_one, member)))
            if len(window) >= workers * IN_FLIGHT_PER_WORKER:
                yield _result(*window.pop(0), known)
        while window:
            yield _result(*window.pop(0), known)


def _result(member: Member, future: Future[Parsed], known: frozenset[str]) -> Parsed:
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
    with tempfile.TemporaryDirectory(prefix="crampwise-import-") as scratch:
        return _run(ctx, athlete, list_members(paths, scratch), now, progress, workers)


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

    members = [member for name, data in uploads for member in expand_bytes(name, data)]
    return _run(ctx, athlete, members, now, progress, workers, sink)


def _run(
    ctx: AppContext,
    athlete: str | None,
    members: list[Member],
    now: datetime,
    progress: Progress | None,
    workers: int | None,
    sink: FileSink | None = None,
) -> ImportReport:
    with ctx.read() as conn:
        athlete_pk, who = resolve_athlete(ctx, conn, athlete)
        known = frozenset(store.known_hashes(conn=conn, athlete_pk=athlete_pk))
    total = len(members)
    workers = default_workers() if workers is None else workers
    workers = 1 if total <= 2 else min(workers, total)
    report = ImportReport()
    with contextlib.closing(_parsed_stream(members, known, workers)) as stream:
        for parsed in stream:
            result = _write(ctx, athlete_pk, who.zone, parsed, now, sink, len(report.files))
            report.files.append(result)
            if progress is not None:
                progress(len(report.files), total, result)
    return report


def _sunk(ctx: AppContext, sink: FileSink | None, index: int, result: FileResult) -> FileResult:
    """Hand a result that stored nothing to `sink`, in a transaction of its own."""
    if sink is not None:
        with ctx.begin() as conn:
            sink(conn, index, result)
    return result


def _write(
    ctx: AppContext,
    athlete_pk: int,
    zone: tzinfo,
    parsed: Parsed,
    now: datetime,
    sink: FileSink | None = None,
    index: int = 0,
) -> FileResult:
    """Store one parsed file in its own transaction (all its activities or none)."""
    base = FileResult(
        parsed.display,
        "error",
        format=parsed.format,
        decoder=parsed.decoder,
        warning=parsed.warning,
        notes=_notes(parsed, zone),
    )
    if parsed.status == "duplicate" and parsed.sha256:
        with ctx.read() as conn:
            earlier_ids = store.imported_hash(conn=conn, athlete_pk=athlete_pk, sha256=parsed.sha256) or []
        return _sunk(
            ctx, sink, index, replace(base, status="duplicate", session_ids=tuple(earlier_ids), notes=())
        )
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
                    result = replace(base, status="duplicate", session_ids=tuple(alive), notes=())
                    if sink is not None:
                        sink(conn, index, result)
                    return result
                store.forget_file(conn=conn, athlete_pk=athlete_pk, sha256=parsed.sha256, session_ids=earlier)
            outcomes = store_activities(conn, athlete_pk, zone, parsed)
            days = (
                store_nights(conn, athlete_pk=athlete_pk, nights=parsed.wellness) if parsed.wellness else None
            )
            ids = tuple(dict.fromkeys(outcome.session_id for outcome in outcomes))
            store.remember_file(
                conn=conn,
                athlete_pk=athlete_pk,
                sha256=parsed.sha256,
                path=parsed.display,
                fmt=parsed.format or "unknown",
                session_ids=ids,
                now=now,
            )
            new = any(outcome.new for outcome in outcomes) or (days is not None and days.changed)
            status = "imported" if new else "duplicate"
            merged = tuple(dict.fromkeys(name for outcome in outcomes for name in outcome.merged))
            notes = base.notes if status == "imported" else ()  # how it was read matters for what was stored
            result = replace(base, status=status, session_ids=ids, merged=merged, notes=notes, days=days)
            if sink is not None:
                sink(conn, index, result)
    except CrampwiseError as exc:
        return _sunk(ctx, sink, index, replace(base, error=str(exc)))
    return result


def _notes(parsed: Parsed, zone: tzinfo) -> tuple[str, ...]:
    """What the file report says about how the activities were read (beyond a warning)."""
    notes: list[str] = []
    activities = [a for a, _blob, _n in parsed.activities]
    if any(a.date_inferred for a in activities):
        notes.append(
            "date inferred: the device clock was never set; its local time is read in the "
            f"athlete's time zone ({zone})"
        )
    if any(a.recovered for a in activities):
        notes.append(
            "recovered: no session summary in the file (truncated or still recording); built from its records"
        )
    events = {a.event for a in activities if a.event is not None}
    for event in sorted(events):
        legs = [a.sport.value for a in activities if a.event == event]
        if len(legs) > 1:
            notes.append(f"multisport: {len(legs)} legs ({', '.join(legs)}) linked as one event")
    return tuple(notes)
