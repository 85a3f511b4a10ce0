"""`crampwise export --format bundle|csv`: one athlete's whole record, to stdout or a file.

- `bundle`: the `crampwise-bundle` v1 JSON document (CONTRACTS.md section 3), with the
  imported sessions' recordings under `recordings` unless `--no-recordings`.
- `csv`: one CSV per record kind with the bundle's field names as columns; `--kind K` writes
  that one (to stdout or `--out FILE`), otherwise `--out DIR` gets `sessions.csv`,
  `cramps.csv`, `days.csv` and `medications.csv`.

Files are written to a temporary name and renamed, so a failure never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crampwise.cli.common import fail, reported_errors, state
from crampwise.domain.errors import InvalidInput


class ExportFormat(StrEnum):
    BUNDLE = "bundle"
    CSV = "csv"


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same directory and a rename.

    A failure is an `OSError` naming `path` (the user's), never the temporary file.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise naming_path(exc, path) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise naming_path(exc, path) from exc
        raise


def naming_path(exc: OSError, path: Path) -> OSError:
    """`exc` about `path` rather than its temporary sibling; a missing folder says so."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError) and not (path.parent if str(path.parent) else Path(".")).is_dir():
        reason = f"folder {path.parent} does not exist"
    return OSError(exc.errno, reason, str(path))


def bundle_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def register(app: typer.Typer) -> None:
    """Add `export` to the root app."""

    @app.command("export")
    def export_command(
        ctx: typer.Context,
        fmt: Annotated[
            ExportFormat, typer.Option("--format", help="bundle (JSON) or csv.")
        ] = ExportFormat.BUNDLE,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write to this file (csv without --kind: a directory).")
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option("--kind", help="csv only: sessions|cramps|days|medications.", metavar="KIND"),
        ] = None,
        recordings: Annotated[
            bool,
            typer.Option(
                "--recordings/--no-recordings",
                help="bundle only: carry the imported sessions' recordings (heart rate, pace), so "
                "show cramp works in the store you import it into.",
            ),
        ] = True,
    ) -> None:
        """Export the athlete's record as a crampwise bundle or as CSV."""
        from crampwise.config import load_settings
        from crampwise.services.bundles import export_bundle
        from crampwise.services.context import open_context
        from crampwise.services.csv_export import CSV_KINDS, export_csv

        root = state(ctx)
        if fmt is ExportFormat.BUNDLE and kind is not None:
            fail("--kind: only with --format csv")
        if fmt is ExportFormat.CSV and kind is None and out is None:
            fail(
                f"--kind: choose {'|'.join(CSV_KINDS)} to write one CSV to stdout, or give --out DIR for all"
            )
        with (
            reported_errors(),
            open_context(
                load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)
            ) as service,
        ):
            if fmt is ExportFormat.BUNDLE:
                text = bundle_text(export_bundle(service, athlete=root.athlete, recordings=recordings))
                if out is None:
                    typer.echo(text, nl=False)
                else:
                    write_atomically(out, text)
                    typer.echo(f"Wrote {out}", err=True)
                return
            if kind is not None and kind not in CSV_KINDS:
                raise InvalidInput.single("--kind", f"unknown kind {kind!r}; expected {'|'.join(CSV_KINDS)}")
            tables = export_csv(service, athlete=root.athlete, kinds=[kind] if kind else CSV_KINDS)
            if kind is not None and out is None:
                typer.echo(tables[kind], nl=False)
            elif kind is not None and out is not None:
                write_atomically(out, tables[kind])
                typer.echo(f"Wrote {out}", err=True)
            else:
                assert out is not None
                out.mkdir(parents=True, exist_ok=True)
                for name, text in tables.items():
                    write_atomically(out / f"{name}.csv", text)
                typer.echo(f"Wrote {', '.join(str(out / f'{n}.csv') for n in tables)}", err=True)
