"""What one import worker process does with one file: read, hash, parse, compress the series.

Kept apart from `services.imports` so that a worker process loads only the parsers and the
blob codec (no SQLAlchemy, no store): the fork server preloads this module once and every
worker forked from it starts ready.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Final

from crampwise.domain.series import Series
from crampwise.importers.apple_health import read_workouts, with_heart_rate
from crampwise.importers.archives import Member, open_member, read_member
from crampwise.importers.model import ImportedActivity, ImportProblem, ParsedFile
from crampwise.importers.registry import parse_member
from crampwise.importers.wellness import AppleWellness, NightWellness
from crampwise.storage.series_blob import encode_series

MAX_FILE_BYTES: Final = 512 * 1024 * 1024  # as for archive members: a day at 1 Hz is ~10 MB


@dataclass(frozen=True)
class Parsed:
    """What a worker sends back: the file's hash and its activities (series as blobs) or a problem."""

    display: str
    sha256: str | None
    status: str | None = None  # set when nothing is to be written: duplicate | skipped | error
    reason: str | None = None
    format: str | None = None
    decoder: str | None = None
    warning: str | None = None
    activities: tuple[tuple[ImportedActivity, bytes, int], ...] = ()
    wellness: tuple[NightWellness, ...] = ()  # nights of sleep and recovery (issue 16)


_KNOWN_HASHES: frozenset[str] = frozenset()


def init_worker(known: frozenset[str]) -> None:
    """Worker initializer: the hashes already stored (their files are not parsed again)."""
    global _KNOWN_HASHES
    _KNOWN_HASHES = known


def _pack(display: str, digest: str, parsed: ParsedFile) -> Parsed:
    packed = tuple(
        (replace(a, series=Series.empty()), encode_series(a.series), len(a.series)) for a in parsed.activities
    )
    return Parsed(
        display, digest, None, None, parsed.format, parsed.decoder, parsed.warning, packed, parsed.wellness
    )


class _Hashing:
    """A binary stream that hashes what is read through it (one pass: hash and parse)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.sha256.update(chunk)
        return chunk


def _apple_health(member: Member, known: frozenset[str]) -> Parsed:
    """An Apple Health export.xml, streamed: hash and workouts in one pass, heart rate in a second."""
    wellness = AppleWellness()
    with open_member(member) as raw:
        hashing = _Hashing(raw)
        workouts = read_workouts(hashing, wellness)  # type: ignore[arg-type]
        while hashing.read(1 << 20):
            pass
    digest = hashing.sha256.hexdigest()
    if digest in known:
        return Parsed(member.display, digest, "duplicate")
    with open_member(member) as raw:
        return _pack(member.display, digest, with_heart_rate(raw, workouts, wellness))


def parse_one(member: Member, known: frozenset[str] | None = None) -> Parsed:
    """Read, hash and parse one member (runs in a worker process); never raises."""
    known = _KNOWN_HASHES if known is None else known
    try:
        if member.problem:
            return Parsed(member.display, None, "error", member.problem)
        if member.skipped:
            return Parsed(member.display, None, "skipped", member.skipped)
        if member.data is None and member.inner is None:
            assert member.path is not None
            size = Path(member.path).stat().st_size
            if size > MAX_FILE_BYTES:
                return Parsed(
                    member.display, None, "error", f"file of {size} bytes is too large for an activity"
                )
        if member.kind == "apple-health":
            return _apple_health(member, known)
        data = read_member(member)
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            return Parsed(member.display, digest, "duplicate")
        return _pack(member.display, digest, parse_member(replace(member, data=data)))
    except ImportProblem as problem:
        return Parsed(member.display, None, problem.status, problem.reason)
    except OSError as exc:
        return Parsed(member.display, None, "error", f"cannot read: {exc.strerror or exc}")
    except MemoryError:
        return Parsed(member.display, None, "error", "file too large to read in memory")
    except Exception as exc:  # one bad file never stops the others
        return Parsed(
            member.display, None, "error", f"unexpected failure reading the file: {type(exc).__name__}: {exc}"
        )
