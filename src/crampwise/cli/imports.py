"""`crampwise import FILE...`: bundles today; wearable files join through `import_one`.

Every file is imported on its own (one bad file never stops the others) and reported in the
document of CONTRACTS.md section 5 (`--json`). A bad bundle imports nothing and its error
line lists every bad field path. The exit code is 2 when any file failed, else 0.
"""

from __future__ import annotations

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

    summary = import_bundle_file(app, path=path, now=now)
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
    """Route one file to its importer; today every file is read as a bundle."""
    return import_bundle_path(app, path, now)


def _error_entry(path: Path, exc: CrampwiseError) -> dict[str, Any]:
    return {"path": str(path), "status": "error", "error": f"{path}: {exc}", "session_id": None}


def register(app: typer.Typer) -> None:
    """Add `import` to the root app."""

    @app.command("import")
    def import_command(
        ctx: typer.Context,
        paths: Annotated[
            list[Path], typer.Argument(metavar="FILE...", help="Bundle files (.json) to import.")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the import document as JSON.")] = False,
    ) -> None:
        """Import crampwise bundles (idempotent: the same file twice changes nothing)."""
        from crampwise.config import load_settings
        from crampwise.services.context import open_context

        root = state(ctx)
        now = datetime.now(UTC)
        entries: list[dict[str, Any]] = []
        with (
            reported_errors(),
            open_context(load_settings(database_url=root.db, athlete=root.athlete)) as service,
        ):
            for path in paths:
                try:
                    entries.append(import_one(service, path, now))
                except (InvalidInput, NotFound) as exc:
                    entries.append(_error_entry(path, exc))
                except StoreError:
                    raise  # the store itself failed: stop, exit 3
        errors = [e for e in entries if e["status"] == "error"]
        if as_json:
            print_json(
                {
                    "files": entries,
                    "imported": sum(e["status"] == "imported" for e in entries),
                    "duplicates": sum(e["status"] == "duplicate" for e in entries),
                    "skipped": sum(e["status"] == "skipped" for e in entries),
                    "errors": len(errors),
                }
            )
        else:
            for entry in entries:
                if entry["status"] == "error":
                    error_line(entry["error"])
                else:
                    typer.echo(f"{entry['path']}: {entry['message']}")
        if errors:
            exit_with(EXIT_BAD_INPUT)
