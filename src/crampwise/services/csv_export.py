"""The journal as CSV, one table per record kind: for a spreadsheet, not for re-import (a
bundle is the faithful form). Columns are the bundle's fields, so a CSV and a bundle of the same
athlete say the same thing; an empty cell is unknown, lists and tags are `;`-separated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, Final

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Cramp, Day, Medication, Record, Session
from crampwise.services.bundles import RECORD_KINDS, export_bundle
from crampwise.services.context import AppContext

CSV_KINDS = RECORD_KINDS
MODELS: Final[dict[str, type[Record]]] = {
    "sessions": Session,
    "cramps": Cramp,
    "days": Day,
    "medications": Medication,
}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):  # tags: `new_shoes=true;caffeine_mg=200`
        return ";".join(f"{key}={_csv_cell(item)}" for key, item in value.items())
    return str(value)


def records_to_csv(model: type[Record], records: Sequence[dict[str, Any]]) -> str:
    """CSV text with one column per bundle field (header always present, empty cell = unknown)."""
    columns = list(model.model_fields)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record.get(column)) for column in columns])
    return out.getvalue()


def export_csv(ctx: AppContext, *, athlete: str | None, kinds: Sequence[str] = CSV_KINDS) -> dict[str, str]:
    """CSV text per record kind (`sessions`, `cramps`, `days`, `medications`) of one athlete."""
    unknown = [k for k in kinds if k not in CSV_KINDS]
    if unknown:
        raise InvalidInput.single("kind", f"unknown kind {unknown[0]!r}; expected {'|'.join(CSV_KINDS)}")
    document = export_bundle(ctx, athlete=athlete)
    return {kind: records_to_csv(MODELS[kind], document[kind]) for kind in kinds}
