"""`crampwise import PATH...`: crampwise bundles and wearable files, folders and archives.

Every file is imported on its own (one bad file never stops the others) and reported in the
document of CONTRACTS.md section 5 (`--json`). A bad bundle imports nothing and its error
line lists every bad field path. Bundles (recognised by content) go first, through the
bundle service; every other path (FIT, GPX, TCX, folders, Strava and Garmin exports) goes
through the wearable pipeline (`services.imports`), with a progress bar on a terminal.
The exit code is 2 when any file failed, else 0.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crampwise.cli.common import EXIT_BAD_INPUT, error_line, exit_with, print_json, reported_errors, state
from crampwise.domain.errors import CrampwiseError, InvalidInput, NotFound, StoreError

if TYPE_CHECKING:
    from crampwise.services.context import AppContext


def import_bundle_path(app: AppContext, path: Path, now: datetime) -> dict[str, Any]:
    """Import one bundle file; returns its entry of the import document (raises on error)."""
    from crampwise.services.bundles import import_bundle_file

    summary = import_bundle_file(app, path=path, now=now, athlete=app.settings.athlete)
    return {
        "path": str(path),
        "status": "imported" if summary.changed else "duplicate",
        "error": None,
        "session_id": None,
        "kind": "bundle",
        "bundle": summary.to_json(),
        "message": summary.describe(),
    }


def import_one(app: AppContext, path: Path, now: datetime) -> dict[str, Any]:
    """Import one bundle file (wearable files go through `import_wearables`)."""
    return import_bundle_path(app, path, now)


def _describe(entry: dict[str, Any]) -> str:
    status = entry["status"]
    ids = ", ".join(entry.get("session_ids") or ([entry["session_id"]] if entry.get("session_id") else []))
    if status == "imported":
        text = f"imported as session {ids}"
    elif status == "duplicate":
        text = f"duplicate (already session {ids})" if ids else "duplicate"
    else:
        text = f"skipped: {entry['error']}"
    if entry.get("warning"):
        text += f" (note: {entry['warning']})"
    return text


def import_wearables(
    app: AppContext, paths: list[Path], now: datetime, *, show_progress: bool
) -> list[dict[str, Any]]:
    """Run the wearable pipeline on `paths`; one entry per file, in input order."""
    from crampwise.services.imports import import_paths

    root_athlete = app.settings.athlete
    if not show_progress:
        report = import_paths(app, athlete=root_athlete, paths=paths, now=now)
        return [dict(f.to_json(), message=_describe(f.to_json())) for f in report.files]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int, result: Any) -> None:
            bar.update(task, completed=done, total=total, description=Path(result.path.split("!")[-1]).name)

        report = import_paths(app, athlete=root_athlete, paths=paths, now=now, progress=advance)
    return [dict(f.to_json(), message=_describe(f.to_json())) for f in report.files]


def _error_entry(path: Path, exc: CrampwiseError) -> dict[str, Any]:
    return {"path": str(path), "status": "error", "error": f"{path}: {exc}", "session_id": None}


def register(app: typer.Typer) -> None:
    """Add `import` to the root app."""

    @app.command("import")
    def import_command(
        ctx: typer.Context,
        paths: Annotated[
            list[Path],
            typer.Argument(
                metavar="PATH...",
                help="Bundles (.json), FIT/GPX/TCX files (also .gz), folders, zip archives, Strava or Garmin exports.",
            ),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the import document as JSON.")] = False,
    ) -> None:
        """Import bundles and wearable files (idempotent: the same file twice is a duplicate).

        Example: crampwise import export_12345.zip ~/garmin/ ana.json
        """
        from crampwise.config import load_settings
        from crampwise.services.context import open_context
        from crampwise.services.imports import is_bundle_file

        root = state(ctx)
        now = datetime.now(UTC)
        with (
            reported_errors(),
            open_context(
                load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)
            ) as service,
        ):
            slots: list[list[dict[str, Any]]] = [[] for _ in paths]
            wearables: list[tuple[int, Path]] = []
            for index, path in enumerate(paths):
                if not path.exists():
                    slots[index].append(_error_entry(path, NotFound("no such file or folder")))
                elif is_bundle_file(path):
                    try:
                        slots[index].append(import_one(service, path, now))
                    except (InvalidInput, NotFound) as exc:
                        slots[index].append(_error_entry(path, exc))
                    except StoreError:
                        raise  # the store itself failed: stop, exit 3
                else:
                    wearables.append((index, path))
            if wearables:
                show = not as_json and sys.stderr.isatty()
                results = import_wearables(service, [p for _i, p in wearables], now, show_progress=show)
                # a folder or an archive gives many results: report them where the path was
                for result in results:
                    owner = next(
                        (i for i, p in reversed(wearables) if result["path"].startswith(str(p))), None
                    )
                    slots[wearables[-1][0] if owner is None else owner].append(result)
            entries = [entry for slot in slots for entry in slot]
        errors = [e for e in entries if e["status"] == "error"]
        if as_json:
            print_json(
                {
                    "files": [{k: v for k, v in e.items() if k != "message"} for e in entries],
                    "imported": sum(e["status"] == "imported" for e in entries),
                    "duplicates": sum(e["status"] == "duplicate" for e in entries),
                    "skipped": sum(e["status"] == "skipped" for e in entries),
                    "errors": len(errors),
                }
            )
        else:
            for entry in entries:
                if entry["status"] == "error":
                    error = entry["error"] or ""
                    error_line(error if error.startswith(entry["path"]) else f"{entry['path']}: {error}")
                else:
                    typer.echo(f"{entry['path']}: {entry['message']}")
            if len(entries) > 1 and wearables:
                counts = {
                    s: sum(e["status"] == s for e in entries)
                    for s in ("imported", "duplicate", "skipped", "error")
                }
                typer.echo(
                    f"{len(entries)} files: {counts['imported']} imported, {counts['duplicate']} duplicates, "
                    f"{counts['skipped']} skipped, {counts['error']} errors"
                )
        if errors:
            exit_with(EXIT_BAD_INPUT)
