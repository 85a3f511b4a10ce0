"""Folders, zip archives, Strava bulk exports and Garmin account exports -> members.

`expand(path)` yields one `Member` per candidate file, lazily: plain files by path, members of
a zip on disk by (zip path, member name) so that the worker process that parses one reads and
inflates it itself (the importing process never holds an export's content), members of an
upload in memory with their bytes. Nothing is extracted under the archive's own names, so a
member name like `../../etc/passwd` cannot land anywhere; such names are still reported as
`error` (an archive that carries them is hostile or broken). Zip bombs are refused by a cap on
each member, on the ratio of expanded to compressed size, and on the total expanded size of
one archive.

A Garmin account export is a zip of zips: an inner archive is copied (compressed, as it is) to
a scratch file of the caller's (`scratch`, a temporary folder) and opened from there, two
levels deep at most, so a multi-gigabyte `UploadedFiles_0-_Part1.zip` costs disk, not memory.
A Strava export's `activities.csv` is read by `strava`; an Apple Health `export.xml` becomes
one member streamed by `apple_health`.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Final

from crampwise.importers.detect import detect_format
from crampwise.importers.model import damaged
from crampwise.importers.strava import manual_members, strava_index

MAX_MEMBER_BYTES: Final = 512 * 1024 * 1024
MAX_ARCHIVE_BYTES: Final = 8 * 1024 * 1024 * 1024
MAX_RATIO: Final = 200
MAX_DEPTH: Final = 2
ACTIVITY_SUFFIXES: Final = (".fit", ".gpx", ".tcx", ".gz", ".json", ".zip")
APPLE_HEALTH_XML: Final = "export.xml"
APPLE_HEALTH_MAX_BYTES: Final = 64 * 1024 * 1024 * 1024  # streamed, never held: only a sanity cap
SKIPPED_NAMES: Final = ("__macosx/", ".ds_store")
_OPEN_ZIPS: dict[str, zipfile.ZipFile] = {}
_OPEN_ZIPS_MAX: Final = 4


@dataclass(frozen=True)
class Member:
    """One file to import.

    Where its bytes are: `data` (an upload or a member of an in-memory archive), or `path` on
    disk, or member `inner` of the zip file at `path`. `problem` set means the member must be
    reported with that error and not parsed, `skipped` that it is passed over with that reason. `meta` carries what an export's index knows about
    it (name, sport, rpe, notes, gear). `kind` names a member that is not a file to detect by
    content: `strava-manual` (a CSV row without a file) or `apple-health` (an export.xml).
    """

    display: str
    path: str | None = None
    data: bytes | None = None
    problem: str | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
    inner: str | None = None
    kind: str | None = None
    skipped: str | None = None


def expand(path: str | os.PathLike[str], scratch: str | os.PathLike[str] | None = None) -> Iterator[Member]:
    """Every importable file under `path` (a file, a folder walked recursively, or an archive).

    `scratch`: a folder for the inner archives of a zip of zips (read into memory without it).
    """
    target = Path(path)
    if target.is_dir():
        for root, dirs, files in os.walk(target):
            dirs.sort()
            for name in sorted(files):
                if candidate(name):
                    yield from _file(Path(root) / name, scratch)
    else:
        yield from _file(target, scratch)


def expand_bytes(display: str, data: bytes) -> Iterator[Member]:
    """Members of an uploaded file (a web upload): the file itself, or an archive's members."""
    if detect_format(data[:8]) != "zip":
        yield Member(display, data=data)
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _archive(archive, display, depth=1, on_disk=None, scratch=None)
    except (zipfile.BadZipFile, EOFError) as exc:
        yield Member(display, problem=f"damaged zip archive: {exc}")


def candidate(name: str) -> bool:
    """In a folder walk, files that may hold an activity (a file named on the command line is
    always read: its content decides). Photos, notes and the like are passed over silently."""
    lowered = name.lower()
    return not lowered.startswith(".") and (lowered.endswith(ACTIVITY_SUFFIXES) or "." not in lowered)


def _file(path: Path, scratch: str | os.PathLike[str] | None) -> Iterator[Member]:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        yield Member(str(path), problem=f"cannot read: {exc.strerror or exc}")
        return
    if detect_format(head) == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _archive(archive, str(path), depth=1, on_disk=str(path), scratch=scratch)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            yield Member(str(path), problem=f"damaged zip archive: {exc}")
        return
    yield Member(str(path), path=str(path))


def _unsafe(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":")


def _archive(
    archive: zipfile.ZipFile,
    display: str,
    *,
    depth: int,
    on_disk: str | None,
    scratch: str | os.PathLike[str] | None,
) -> Iterator[Member]:
    """Members of one open archive; `on_disk` is its path when workers can open it themselves."""
    index, manual = strava_index(archive)
    yield from manual_members(manual, display)
    names = {info.filename.lower() for info in archive.infolist()}
    apple = any(n.endswith("apple_health_export/" + APPLE_HEALTH_XML) for n in names)
    total = 0
    for info in archive.infolist():
        name = info.filename
        lowered = name.lower()
        if info.is_dir() or any(part in lowered for part in SKIPPED_NAMES):
            continue
        where = f"{display}!{name}"
        is_health = lowered.rsplit("/", 1)[-1] == APPLE_HEALTH_XML
        if not is_health and (lowered.endswith("activities.csv") or not lowered.endswith(ACTIVITY_SUFFIXES)):
            continue
        if _unsafe(name):
            yield Member(where, problem="unsafe path in archive (absolute or with ..): not read")
            continue
        if apple and "/workout-routes/" in f"/{lowered}":
            yield Member(
                where, skipped="the route of an Apple Health workout (the workout is read from export.xml)"
            )
            continue
        limit = APPLE_HEALTH_MAX_BYTES if is_health else MAX_MEMBER_BYTES
        if info.file_size > limit or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
            yield Member(where, problem="archive member expands too much (compression bomb?): not read")
            continue
        if is_health:
            yield _health_member(archive, info, where, on_disk)
            continue
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            yield Member(where, problem="archive expands beyond 8 GiB in all: the rest is not read")
            return
        try:
            with archive.open(info) as handle:
                head = handle.read(8)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            yield Member(where, problem=f"damaged archive member: {exc}")
            continue
        meta = index.get(name.strip("/"), {})
        if detect_format(head) == "zip":
            if depth >= MAX_DEPTH:
                yield Member(where, problem="zip nested too deeply: not read")
                continue
            yield from _nested(archive, info, where, depth, scratch)
        elif on_disk is not None:
            yield Member(where, path=on_disk, inner=name, meta=meta)
        else:
            try:
                data = _read_capped(archive, info)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                yield Member(where, problem=f"damaged archive member: {exc}")
                continue
            if data is None:
                yield Member(where, problem="archive member is larger than its header says: not read")
                continue
            yield Member(where, data=data, meta=meta)


def _health_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, on_disk: str | None
) -> Member:
    if on_disk is not None:
        return Member(where, path=on_disk, inner=info.filename, kind="apple-health")
    data = _read_capped(archive, info)
    if data is None:
        return Member(where, problem="archive member is larger than its header says: not read")
    return Member(where, data=data, kind="apple-health")


def _nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    where: str,
    depth: int,
    scratch: str | os.PathLike[str] | None,
) -> Iterator[Member]:
    """The members of a zip inside a zip: from a scratch copy on disk, or from memory."""
    try:
        if scratch is None:
            data = _read_capped(archive, info)
            if data is None:
                yield Member(where, problem="archive member is larger than its header says: not read")
                return
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                yield from _archive(inner, where, depth=depth + 1, on_disk=None, scratch=None)
            return
        copy = Path(scratch) / f"nested-{len(os.listdir(scratch)):05d}.zip"
        with archive.open(info) as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
            if target.tell() > info.file_size:
                yield Member(where, problem="archive member is larger than its header says: not read")
                return
        with zipfile.ZipFile(copy) as inner:
            yield from _archive(inner, where, depth=depth + 1, on_disk=str(copy), scratch=scratch)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        yield Member(where, problem=f"damaged zip archive: {exc}")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A member's bytes, or None when it holds more than its header declares."""
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    return None if len(data) > info.file_size else data


def _open_zip(path: str) -> zipfile.ZipFile:
    """An open archive, kept per process: a worker reads thousands of members of one export."""
    archive = _OPEN_ZIPS.get(path)
    if archive is None:
        while len(_OPEN_ZIPS) >= _OPEN_ZIPS_MAX:
            _OPEN_ZIPS.pop(next(iter(_OPEN_ZIPS))).close()
        archive = _OPEN_ZIPS[path] = zipfile.ZipFile(path)
    return archive


def open_member(member: Member) -> IO[bytes]:
    """A binary stream of a member's content (for the streamed Apple Health export)."""
    if member.data is not None:
        return io.BytesIO(member.data)
    assert member.path is not None
    if member.inner is None:
        return open(member.path, "rb")
    return _open_zip(member.path).open(member.inner)


def read_member(member: Member) -> bytes:
    """A member's bytes (from memory, a file, or a zip on disk), or ImportProblem."""
    if member.problem:
        raise damaged(member.problem)
    if member.data is not None:
        return member.data
    assert member.path is not None
    if member.inner is None:
        return Path(member.path).read_bytes()
    try:
        archive = _open_zip(member.path)
        data = _read_capped(archive, archive.getinfo(member.inner))
    except (zipfile.BadZipFile, EOFError, KeyError, NotImplementedError, RuntimeError) as exc:
        raise damaged(f"damaged archive member: {exc}") from None
    if data is None:
        raise damaged("archive member is larger than its header says: not read")
    return data


def count_bytes(data: bytes) -> int:
    """About how many members `expand_bytes` will yield for an upload (a background job's
    progress total), from the zip's central directory alone: nothing is decompressed."""
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
