"""Folders, zip archives, Strava bulk exports and Garmin account exports -> members.

`expand(path)` yields one `Member` per candidate file, lazily (so a 1,000-activity export
never sits in memory at once): plain files by path, archive members with their bytes. It reads
nothing it does not have to and never writes to disk, so a member name like `../../etc/passwd`
cannot escape anywhere; such names are still reported as `error` (an archive that carries them
is hostile or broken). Zip bombs are refused by a cap on each member, on the ratio of expanded
to compressed size, and on the total expanded size of one archive.

A Strava export is a zip with `activities.csv` and `activities/*.fit.gz|gpx.gz|tcx.gz`: the CSV
row of each file supplies the activity's name, Strava sport type and "Perceived Exertion"
(Strava's 1-10 scale, stored as RPE). A Garmin account export is a zip of zips: inner
archives are opened the same way, two levels deep at most.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from crampwise.importers.detect import detect_format

MAX_MEMBER_BYTES: Final = 512 * 1024 * 1024
MAX_ARCHIVE_BYTES: Final = 8 * 1024 * 1024 * 1024
MAX_RATIO: Final = 200
MAX_DEPTH: Final = 2
ACTIVITY_SUFFIXES: Final = (".fit", ".gpx", ".tcx", ".gz", ".json", ".zip")
SKIPPED_NAMES: Final = ("__macosx/", ".ds_store")


@dataclass(frozen=True)
class Member:
    """One file to import: a path on disk (`data` None) or an archive member with its bytes.

    `problem` set means the member must be reported with that error and not parsed.
    `meta` carries what an export's index knows about it (name, sport, rpe, notes).
    """

    display: str
    path: str | None = None
    data: bytes | None = None
    problem: str | None = None
    meta: Mapping[str, str] = field(default_factory=dict)


def expand(path: str | os.PathLike[str]) -> Iterator[Member]:
    """Every importable file under `path` (a file, a folder walked recursively, or an archive)."""
    target = Path(path)
    if target.is_dir():
        for root, dirs, files in os.walk(target):
            dirs.sort()
            for name in sorted(files):
                if _candidate(name):
                    yield from _file(Path(root) / name)
    else:
        yield from _file(target)


def expand_bytes(display: str, data: bytes) -> Iterator[Member]:
    """Members of an uploaded file (a web upload): the file itself, or an archive's members."""
    if detect_format(data[:8]) != "zip":
        yield Member(display, data=data)
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _archive(archive, display, depth=1)
    except (zipfile.BadZipFile, EOFError) as exc:
        yield Member(display, problem=f"damaged zip archive: {exc}")


def _candidate(name: str) -> bool:
    """In a folder walk, files that may hold an activity (a file named on the command line is
    always read: its content decides). Photos, notes and the like are passed over silently."""
    lowered = name.lower()
    return not lowered.startswith(".") and (lowered.endswith(ACTIVITY_SUFFIXES) or "." not in lowered)


def _file(path: Path) -> Iterator[Member]:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        yield Member(str(path), problem=f"cannot read: {exc.strerror or exc}")
        return
    if detect_format(head) == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _archive(archive, str(path), depth=1)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            yield Member(str(path), problem=f"damaged zip archive: {exc}")
        return
    yield Member(str(path), path=str(path))


def _unsafe(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":")


def _strava_index(archive: zipfile.ZipFile) -> dict[str, dict[str, str]]:
    """`activities.csv` of a Strava export: file name in the archive -> what the row says."""
    names = [n for n in archive.namelist() if n.lower().endswith("activities.csv")]
    if not names:
        return {}
    info = archive.getinfo(names[0])
    if info.file_size > 64 * 1024 * 1024:
        return {}
    text = archive.read(info).decode("utf-8-sig", errors="replace")
    index: dict[str, dict[str, str]] = {}
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    for row in reader:
        record: dict[str, str] = {}
        for key, value in zip(header, row, strict=False):
            record.setdefault(key.strip(), value.strip())  # Strava repeats some column names
        filename = record.get("Filename", "")
        if not filename:
            continue
        meta = {
            "name": record.get("Activity Name", ""),
            "strava_type": record.get("Activity Type", ""),
            "rpe": record.get("Perceived Exertion", ""),
            "notes": record.get("Activity Description", ""),
        }
        index[filename.strip("/")] = {k: v for k, v in meta.items() if v}
    return index


def _archive(archive: zipfile.ZipFile, display: str, *, depth: int) -> Iterator[Member]:
    index = _strava_index(archive)
    total = 0
    for info in archive.infolist():
        name = info.filename
        lowered = name.lower()
        if info.is_dir() or any(part in lowered for part in SKIPPED_NAMES):
            continue
        if lowered.endswith("activities.csv") or not lowered.endswith(ACTIVITY_SUFFIXES):
            continue
        where = f"{display}!{name}"
        if _unsafe(name):
            yield Member(where, problem="unsafe path in archive (absolute or with ..): not read")
            continue
        if (
            info.file_size > MAX_MEMBER_BYTES
            or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024
        ):
            yield Member(where, problem="archive member expands too much (compression bomb?): not read")
            continue
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            yield Member(where, problem="archive expands beyond 8 GiB in all: the rest is not read")
            return
        try:
            with archive.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            yield Member(where, problem=f"damaged archive member: {exc}")
            continue
        if len(data) > info.file_size:
            yield Member(where, problem="archive member is larger than its header says: not read")
            continue
        if detect_format(data[:8]) == "zip":
            if depth >= MAX_DEPTH:
                yield Member(where, problem="zip nested too deeply: not read")
                continue
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    yield from _archive(inner, where, depth=depth + 1)
            except (zipfile.BadZipFile, EOFError) as exc:
                yield Member(where, problem=f"damaged zip archive: {exc}")
            continue
        yield Member(where, data=data, meta=index.get(name.strip("/"), {}))


def count(path: str | os.PathLike[str]) -> int:
    """How many members `expand(path)` will yield, cheaply (for a progress bar's total).

    Zip central directories are read, not their members; a nested zip counts once.
    """
    target = Path(path)
    if target.is_dir():
        return sum(
            count(Path(root) / name)
            for root, _dirs, files in os.walk(target)
            for name in files
            if not name.startswith(".")
        )
    try:
        with target.open("rb") as handle:
            if detect_format(handle.read(8)) != "zip":
                return 1
        with zipfile.ZipFile(target) as archive:
            return _count_members(archive)
    except (OSError, zipfile.BadZipFile, EOFError):
        return 1


def count_bytes(data: bytes) -> int:
    """How many members `expand_bytes` will yield for an uploaded file, as `count` does."""
    if detect_format(data[:8]) != "zip":
        return 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _count_members(archive)
    except (zipfile.BadZipFile, EOFError):
        return 1


def _count_members(archive: zipfile.ZipFile) -> int:
    names = [i.filename.lower() for i in archive.infolist() if not i.is_dir()]
    return max(
        1,
        sum(
            1
            for n in names
            if n.endswith(ACTIVITY_SUFFIXES)
            and not n.endswith("activities.csv")
            and not any(s in n for s in SKIPPED_NAMES)
        ),
    )
