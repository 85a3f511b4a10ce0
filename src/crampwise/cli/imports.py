"""`crampwise import PATH...`: crampwise bundles and wearable files, folders and archives.

Every file is imported on its own (one bad file never stops the others) and reported in the
document of CONTRACTS.md section 5 (`--json`). A bad bundle imports nothing and its error
line lists every bad field path. Bundles (recognised by content) go through the bundle
service; every other path (FIT, GPX, TCX, folders, Strava and Garmin exports) through the
wearable pipeline, with a progress bar on a terminal: the dispatch is
`services.import_sources`, shared with the web's uploads.
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

if TYPE_CHECKING:
    from crampwise.services.context import AppContext


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
        from crampwise.services.import_sources import import_document, import_sources

        root = state(ctx)
        now = datetime.now(UTC)
        show = not as_json and sys.stderr.isatty()
        with (
            reported_errors(),
            open_context(
                load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)
            ) as service,
        ):
            try:
                entries = import_sources(
                    service,
                    sources=paths,
                    owner=root.athlete,
                    now=now,
                    hint="leave out --athlete to import it",
                    wearables=lambda found: import_wearables(
                        service, found, now, show_progress=show, workers=workers
                    ),
                )
            except Interrupted as stop:
                error_line(
                    f"import {stop}: every file before that is stored; "
                    "run the same command again to finish (stored files are skipped)"
                )
                exit_with(stop.code)
        errors = [e for e in entries if e["status"] == "error"]
        if as_json:
            print_json(import_document([{k: v for k, v in e.items() if k != "message"} for e in entries]))
        else:
            for entry in entries:
                if entry["status"] == "error":
                    error = entry["error"] or ""
                    error_line(error if error.startswith(entry["path"]) else f"{entry['path']}: {error}")
                else:
                    typer.echo(f"{entry['path']}: {entry['message']}")
            if len(entries) > 1:
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
