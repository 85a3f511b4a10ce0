"""`crampwise backup FILE` and `crampwise restore FILE`: the whole store, kept and brought back.

Parse, call `services.backup`, render one line (or `--json`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from crampwise.cli.common import print_json, reported_errors, state


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the root app."""

    @app.command("backup")
    def backup_command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")] = False,
    ) -> None:
        """Back up the whole store (every athlete, record and recording) to FILE.

        A SQLite store is copied with SQLite's online backup (the copy is a store you can open with
        --db); a PostgreSQL store is written as a portable archive. Example: crampwise backup
        crampwise-backup.db
        """
        from crampwise.config import load_settings
        from crampwise.services.backup import backup
        from crampwise.services.context import open_context

        root = state(ctx)
        settings = load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)
        with reported_errors(), open_context(settings) as app_ctx:
            result = backup(app_ctx, path=path)
        if as_json:
            print_json(result.to_json())
        else:
            kind = "SQLite copy" if result.kind == "sqlite" else "portable archive"
            typer.echo(f"Backed up {', '.join(result.athletes) or 'an empty store'} to {path} ({kind}).")

    @app.command("restore")
    def restore_command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(metavar="FILE", help="A file made by crampwise backup.")],
        replace: Annotated[
            bool, typer.Option("--replace", help="Delete the athletes this store holds, then restore.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print what was restored as JSON.")] = False,
    ) -> None:
        """Restore a backup into this store (SQLite or PostgreSQL), all of it or nothing.

        Example: crampwise --db sqlite:///new.db restore crampwise-backup.db
        """
        from crampwise.config import load_settings
        from crampwise.services.backup import restore
        from crampwise.services.context import open_context

        root = state(ctx)
        settings = load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)
        with reported_errors(), open_context(settings) as app_ctx:
            result = restore(app_ctx, path=path, now=datetime.now(UTC), replace=replace)
        if as_json:
            print_json(result.to_json())
        else:
            replaced = f" (replacing {', '.join(result.replaced)})" if result.replaced else ""
            typer.echo(f"Restored {', '.join(result.athletes) or 'an empty store'} from {path}{replaced}.")
