"""`crampwise import PATH...`: crampwise bundles and wearable files, folders and archives.

Every file is imported on its own (one bad file never stops the others) and reported in the
document of CONTRACTS.md section 5 (`--json`). A bad bundle imports nothing and its error
line lists every bad field path. Bundles (recognised by content) go first, through the
bundle service; every other path (FIT, GPX, TCX, folders, Strava and Garmin exports) goes
through the wearable pipeline (`services.imports`), with a progress bar on a terminal.
The exit code is 2 when any file failed (a skipped file is not a failure), else 0; 130 or
143 when Ctrl-C or SIGTERM stopped it (what was written is whole; re-running finishes).
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


def plural(n: int, word: str) -> str:
    """`1 error`, `2 errors`, `1 duplicate`, `0 files`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days_text(days: dict[str, Any]) -> str:
    """`2 days added, 1 updated (sleep_h 3, resting_hr 2); kept 1 value you typed`."""
    filled = ", ".join(f"{name} {n}" for name, n in days["filled"].items())
    text = f"{plural(days['added'], 'day')} added, {days['updated']} updated" + (
        f" ({filled})" if filled else ""
    )
    if days["kept_typed"]:
        text += f"; kept {plural(days['kept_typed'], 'value')} you typed"
    return text


def _describe(entry: dict[str, Any]) -> str:
    status = entry["status"]
    ids = ", ".join(entry.get("session_ids") or ([entry["session_id"]] if entry.get("session_id") else []))
    days = entry.get("days")
    if status == "imported" and not ids and days:
        text = f"imported sleep and recovery: {_days_text(days)}"
    elif status == "imported":
        text = f"imported as session {ids}" if "," not in ids else f"imported as sessions {ids}"
        if days:
            text += f"; sleep and recovery: {_days_text(days)}"
    elif status == "duplicate":
        text = f"duplicate (already session {ids})" if ids else "duplicate"
        if entry.get("merged"):
            text += f"; added {', '.join(entry['merged'])} from this file"
    else:
        text = f"skipped: {entry['error']}"
    for note in entry.get("notes") or ():
        text += f" ({note})"
    if entry.get("warning"):
        text += f" (note: {entry['warning']})"
    return text


class Interrupted(Exception):
    """The import was stopped (Ctrl-C or SIGTERM) after `done` of `total` files."""

    def __init__(self, done: int, total: int, code: int) -> None:
        super().__init__(f"interrupted after {done} of {total} files")
        self.done, self.total, self.code = done, total, code


def import_wearables(
    app: AppContext, paths: list[Path], now: datetime, *, show_progress: bool, workers: int | None = None
) -> list[dict[str, Any]]:
    """Run the wearable pipeline on `paths`; one entry per file, in input order.

    Ctrl-C or SIGTERM stops it cleanly: the file being written rolls back, the worker processes
    end, and `Interrupted` says how far it got (re-running skips what is stored).
    """
    from crampwise.processes import Terminated, sigterm_exits
    from crampwise.services.imports import import_paths

    seen = [0, 0]

    def count(done: int, total: int, _result: Any) -> None:
        seen[:] = [done, total]

    try:
        with sigterm_exits():
            if not show_progress:
                report = import_paths(
                    app, athlete=app.settings.athlete, paths=paths, now=now, progress=count, workers=workers
                )
            else:
                report = _with_bar(app, paths, now, count, workers)
    except KeyboardInterrupt:
        raise Interrupted(seen[0], seen[1], 130) from None
    except Terminated as stop:
        raise Interrupted(seen[0], seen[1], int(stop.code or 143)) from None
    return [dict(f.to_json(), message=_describe(f.to_json())) for f in report.files]


def _with_bar(app: AppContext, paths: list[Path], now: datetime, count: Any, workers: int | None) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from crampwise.services.imports import import_paths

    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int, result: Any) -> None:
            count(done, total, result)
            bar.update(task, completed=done, total=total, description=Path(result.path.split("!")[-1]).name)

        return import_paths(
            app, athlete=app.settings.athlete, paths=paths, now=now, progress=advance, workers=workers
        )


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
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers", min=1, max=64, help="Decoding processes (default: one per core, at most 8)."
            ),
        ] = None,
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
                try:
                    results = import_wearables(
                        service, [p for _i, p in wearables], now, show_progress=show, workers=workers
                    )
                except Interrupted as stop:
                    error_line(
                        f"import {stop}: every file before that is stored; "
                        "run the same command again to finish (stored files are skipped)"
                    )
                    exit_with(stop.code)
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
                    f"{plural(len(entries), 'file')}: {counts['imported']} imported, "
                    f"{plural(counts['duplicate'], 'duplicate')}, {counts['skipped']} skipped, "
                    f"{plural(counts['error'], 'error')}"
                )
        if errors:
            exit_with(EXIT_BAD_INPUT)
