"""`crampwise backup` and `crampwise restore`: everything in a store, kept and brought back.

A bundle holds one athlete's journal; a backup holds the whole store: every athlete, record and
recording, the default athlete and the hashes of imported files (so a file imported before is
still a duplicate after a restore).

- A SQLite store is copied with SQLite's online backup API: a consistent copy even while
  another process writes, and the copy is itself a crampwise store (`--db sqlite:///copy.db`).
- A PostgreSQL store is written as a portable archive: one JSON document
  `{"format": "crampwise-archive", "version": 1, ...}` holding one full bundle (with
  recordings) per athlete. It restores into SQLite or PostgreSQL alike.

`restore` reads either kind into the current store in ONE transaction: all of it or nothing.
It refuses a store that already holds athletes unless `replace` (which deletes them first).
Files are written to a temporary name (0600), flushed to disk and renamed over the target: a
failure or a kill leaves the previous backup (if any) or the complete new one, never half of
one; the temporary file of a backup that was killed is removed by the next backup to the same
place (its name carries the pid of the process that wrote it).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crampwise import faults
from crampwise.config import Settings
from crampwise.domain.errors import InvalidInput, NotFound, StoreError
from crampwise.services import journal
from crampwise.services.bundles import export_bundle, import_bundle_in
from crampwise.services.context import AppContext, open_context
from crampwise.storage import repository as repo
from crampwise.storage import series as store_series
from crampwise.storage.engine import sqlite_file

ARCHIVE_FORMAT = "crampwise-archive"
ARCHIVE_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "archive"
    athletes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "kind": self.kind, "athletes": list(self.athletes)}


def _private_temp(path: Path) -> Path:
    """A new empty 0600 file beside `path`, named `.NAME.PID.RANDOM.tmp`."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"{path}: folder {folder} does not exist")
    _remove_stale_temps(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.chmod(temp, 0o600)
    return Path(temp)


def _remove_stale_temps(path: Path) -> None:
    """Remove the temporary files (and SQLite's journal beside them) that killed backups to
    `path` left: those whose writer, named by the pid in their name, is gone."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[^.]+\.tmp(?:-journal|-wal|-shm)?$")
    folder = path.parent if str(path.parent) else Path(".")
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            found = pattern.match(entry.name)
            if found and not _alive(int(found.group(1))):
                entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _publish(temp: Path, path: Path) -> None:
    """Flush `temp` to disk, rename it to `path` and flush the folder: the new backup replaces
    the old one whole, even across a power cut."""
    with temp.open("rb+") as handle:
        os.fsync(handle.fileno())
    faults.checkpoint("backup-flushed")
    os.replace(temp, path)
    faults.checkpoint("backup-renamed")
    folder = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def archive_document(ctx: AppContext) -> dict[str, Any]:
    """The whole store as one portable JSON document (bundles with recordings, per athlete)."""
    athletes = journal.list_athletes(ctx)
    default = journal.default_athlete_name(ctx) if len(athletes) > 1 else None
    bundles, files = [], {}
    for athlete in athletes:
        bundles.append(export_bundle(ctx, athlete=athlete.name, recordings=True))
        with ctx.read() as conn:
            pk, _who = journal.resolve_athlete(ctx, conn, athlete.name)
            rows = store_series.imported_file_rows(conn=conn, athlete_pk=pk)
        files[athlete.name] = [{**row, "imported_at": row["imported_at"].isoformat()} for row in rows]
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "default_athlete": default,
        "bundles": bundles,
        "imported_files": files,
    }


def backup(ctx: AppContext, *, path: Path) -> BackupResult:
    """Copy the whole store to `path`: SQLite's online backup, or a portable archive."""
    athletes = tuple(a.name for a in journal.list_athletes(ctx))
    source = sqlite_file(ctx.settings.database_url)
    temp = _private_temp(path)
    try:
        if source is not None:
            _sqlite_copy(source, temp)
            kind = "sqlite"
        else:
            _write_archive(temp, archive_document(ctx))
            kind = "archive"
        _publish(temp, path)
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from exc
    finally:
        for leftover in (temp, *(Path(f"{temp}{suffix}") for suffix in SQLITE_SIDE_FILES)):
            leftover.unlink(missing_ok=True)
    return BackupResult(path=path, kind=kind, athletes=athletes)


def _write_archive(temp: Path, document: dict[str, Any]) -> None:
    """The archive as JSON, one bundle at a time (a kill point after each when armed)."""
    meta = json.dumps({k: v for k, v in document.items() if k != "bundles"}, ensure_ascii=False)
    with temp.open("w", encoding="utf-8") as handle:
        handle.write(meta[:-1] + ', "bundles": [')
        for index, bundle in enumerate(document["bundles"]):
            handle.write(("," if index else "") + json.dumps(bundle, ensure_ascii=False))
            faults.checkpoint("archive-bundle")
        handle.write("]}\n")


# Pages per step of the online backup when the durability tests' kill points are armed (a kill
# point between steps); otherwise one pass (a step never restarts because another process wrote).
_ARMED_BACKUP_PAGES = 4


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: consistent while others write (pages copied in one pass)."""
    pages = _ARMED_BACKUP_PAGES if faults.armed() else -1
    try:
        with (
            contextlib.closing(sqlite3.connect(source)) as src,
            contextlib.closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst, pages=pages, progress=lambda *_: faults.checkpoint("backup-step"))
    except sqlite3.Error as exc:
        raise StoreError(f"cannot back up {source}: {exc}") from exc


def _read_backup(path: Path, work: Path) -> dict[str, Any]:
    """The archive document of a backup file: a SQLite copy is opened (a copy of it: never changed)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from exc
    if head == SQLITE_MAGIC:
        copy = work / "restore.db"
        shutil.copyfile(path, copy)
        with open_context(Settings(database_url=f"sqlite:///{copy}", data_dir=work)) as source:
            return archive_document(source)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        document = None
    if not isinstance(document, dict) or document.get("format") != ARCHIVE_FORMAT:
        raise InvalidInput.single(
            "FILE", f"{path} is neither a crampwise SQLite backup nor a {ARCHIVE_FORMAT} document"
        )
    if document.get("version") != ARCHIVE_VERSION:
        raise InvalidInput.single("version", f"this crampwise reads archive version {ARCHIVE_VERSION}")
    return document


@dataclass(frozen=True)
class RestoreResult:
    athletes: tuple[str, ...]
    replaced: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"athletes": list(self.athletes), "replaced": list(self.replaced)}


def restore(ctx: AppContext, *, path: Path, now: datetime, replace: bool = False) -> RestoreResult:
    """Bring a backup (SQLite copy or archive) into this store, all of it or nothing."""
    with tempfile.TemporaryDirectory(prefix="crampwise-restore-") as work:
        document = _read_backup(path, Path(work))
    bundles = document.get("bundles") or []
    files = document.get("imported_files") or {}
    with ctx.begin() as conn:
        present = repo.list_athletes(conn=conn)
        if present and not replace:
            names = ", ".join(a.name for _, a in present)
            raise InvalidInput.single(
                "--replace", f"this store already holds {names}; add --replace to delete them and restore"
            )
        for pk, _athlete in present:
            repo.delete_athlete(conn=conn, athlete_pk=pk)
        restored = []
        for index, bundle in enumerate(bundles):
            try:
                summary = import_bundle_in(conn, data=bundle, now=now, make_default=False, stored_ids=set())
            except InvalidInput as exc:
                raise InvalidInput.single(f"bundles[{index}]", str(exc)) from None
            restored.append(summary.athlete)
            found = repo.athlete_by_name(conn=conn, name=summary.athlete)
            assert found is not None
            for row in files.get(summary.athlete, []):
                store_series.restore_imported_file(
                    conn=conn,
                    athlete_pk=found[0],
                    row={**row, "imported_at": datetime.fromisoformat(row["imported_at"])},
                )
        default = document.get("default_athlete")
        chosen = repo.athlete_by_name(conn=conn, name=default) if isinstance(default, str) else None
        if chosen is not None:
            repo.set_default_athlete(conn=conn, athlete_pk=chosen[0])
    return RestoreResult(athletes=tuple(restored), replaced=tuple(a.name for _, a in present))
