"""One import of many sources, for every face: `crampwise import PATH...` and the web's uploads.

Each source is a path (a file, folder or archive) or an upload (a name and its bytes). A
crampwise bundle, recognised by its content, goes through the bundle service, whole or not at
all; every other source (FIT, GPX, TCX, gzip, zip archives, Strava and Garmin exports) goes to
the wearable pipeline, which the face runs (`wearables`: the CLI with its progress bar and
worker processes, the web in its request). Results are reported where their source was given
(a folder or an archive gives many), and `import_document` counts them as `import --json`
does (CONTRACTS.md section 5). One bad source never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from crampwise.domain.errors import CrampwiseError, InvalidInput, NotFound
from crampwise.importers.detect import detect_format
from crampwise.services.bundles import ImportSummary, check_bundle_owner, import_bundle, read_bundle_file
from crampwise.services.context import AppContext

Upload = tuple[str, bytes]
S = TypeVar("S", Path, Upload)
Wearables = Callable[[list[S]], list[dict[str, Any]]]


def name_of(source: Path | Upload) -> str:
    """The name a source is reported under: its path, or the upload's file name."""
    return str(source) if isinstance(source, Path) else source[0]


def bundle_result(name: str, summary: ImportSummary) -> dict[str, Any]:
    """The entry of one imported bundle in the import document."""
    return {
        "path": name,
        "status": "imported" if summary.changed else "duplicate",
        "error": None,
        "session_id": None,
        "kind": "bundle",
        "bundle": summary.to_json(),
        "message": summary.describe(),
    }


def error_result(name: str, exc: CrampwiseError, *, kind: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": name, "status": "error", "error": str(exc), "session_id": None}
    if kind is not None:
        entry["kind"] = kind
    return entry


def import_bundle_source(
    ctx: AppContext, source: Path | Upload, *, owner: str | None, now: datetime, hint: str = ""
) -> dict[str, Any]:
    """Import one bundle source; its entry (an error entry for bad input; a store failure raises)."""
    name = name_of(source)
    try:
        if isinstance(source, Path):
            document = read_bundle_file(source)
        else:
            try:
                document = json.loads(source[1])
            except (UnicodeDecodeError, ValueError) as exc:
                raise InvalidInput.single(
                    "", f"not a JSON document ({exc}); expected a crampwise bundle"
                ) from None
        check_bundle_owner(document, owner, hint)
        return bundle_result(name, import_bundle(ctx, data=document, now=now))
    except (InvalidInput, NotFound) as exc:
        return error_result(name, exc, kind="bundle")


def is_bundle_file(path: Path) -> bool:
    """Whether `path` is a file whose content is a crampwise bundle (JSON with an athlete)."""
    try:
        with open(path, "rb") as handle:
            return Path(path).is_file() and detect_format(handle.read(4096)) == "bundle"
    except OSError:
        return False


def is_bundle(source: Path | Upload) -> bool:
    """Whether a source is a crampwise bundle, by its content."""
    if isinstance(source, Path):
        return is_bundle_file(source)
    return detect_format(source[1][:4096]) == "bundle"


def import_sources(
    ctx: AppContext,
    *,
    sources: Sequence[S],
    owner: str | None,
    now: datetime,
    wearables: Wearables[S],
    hint: str = "",
) -> list[dict[str, Any]]:
    """Import every source; one entry per result, in the order the sources were given.

    `owner` is the athlete a bundle must belong to (None: any bundle, its athlete is added or
    updated); `hint` says how to import another athlete's bundle, where there is a way.
    """
    slots: list[list[dict[str, Any]]] = [[] for _ in sources]
    wearable: list[tuple[int, S]] = []
    for index, source in enumerate(sources):
        if isinstance(source, Path) and not source.exists():
            slots[index].append(error_result(str(source), NotFound("no such file or folder")))
        elif is_bundle(source):
            slots[index].append(import_bundle_source(ctx, source, owner=owner, now=now, hint=hint))
        else:
            wearable.append((index, source))
    if wearable:
        for result in wearables([source for _i, source in wearable]):
            owner_index = next(
                (i for i, source in reversed(wearable) if str(result["path"]).startswith(name_of(source))),
                wearable[-1][0],
            )
            slots[owner_index].append(result)
    return [entry for slot in slots for entry in slot]


def import_document(entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The document of `crampwise import --json`: every entry and the counts by status."""
    return {
        "files": list(entries),
        "imported": sum(e["status"] == "imported" for e in entries),
        "duplicates": sum(e["status"] == "duplicate" for e in entries),
        "skipped": sum(e["status"] == "skipped" for e in entries),
        "errors": sum(e["status"] == "error" for e in entries),
    }
