"""One dispatch for the CLI's paths and the web's uploads: bundles by content, the rest through
the wearable pipeline, results where their source was given, the same document either way."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from crampwise.services.context import AppContext
from crampwise.services.import_sources import Upload, import_document, import_sources
from crampwise.services.imports import import_paths, import_uploads

GPX = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="40.0" lon="-3.0"><time>2026-05-10T07:00:00Z</time></trkpt>
<trkpt lat="40.01" lon="-3.0"><time>2026-05-10T07:10:00Z</time></trkpt></trkseg></trk></gpx>"""


def _shape(document: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(Path(f["path"]).name, f["status"], f.get("kind")) for f in document["files"]]


def test_paths_and_uploads_give_the_same_document(
    ctx: AppContext, tmp_path: Path, now: datetime, sample_bundle: dict[str, Any]
) -> None:
    (tmp_path / "ana.json").write_text(json.dumps(sample_bundle))
    (tmp_path / "run.gpx").write_bytes(GPX)
    paths = [tmp_path / "run.gpx", tmp_path / "ana.json"]
    called: list[int] = []

    def by_path(found: list[Path]) -> list[dict[str, Any]]:
        called.append(len(found))
        return [r.to_json() for r in import_paths(ctx, athlete=None, paths=found, now=now, workers=1).files]

    first = import_document(import_sources(ctx, sources=paths, owner=None, now=now, wearables=by_path))
    assert called == [1]  # the bundle never reached the wearable pipeline
    assert _shape(first) == [("run.gpx", "imported", None), ("ana.json", "imported", "bundle")]

    def by_upload(found: list[Upload]) -> list[dict[str, Any]]:
        return [
            r.to_json() for r in import_uploads(ctx, athlete=None, uploads=found, now=now, workers=1).files
        ]

    uploads = [(p.name, p.read_bytes()) for p in paths]
    again = import_document(import_sources(ctx, sources=uploads, owner=None, now=now, wearables=by_upload))
    assert _shape(again) == [("run.gpx", "duplicate", None), ("ana.json", "duplicate", "bundle")]
    assert (again["imported"], again["duplicates"], again["errors"]) == (0, 2, 0)


def test_a_missing_path_and_another_athletes_bundle_are_errors_the_rest_goes_on(
    ctx: AppContext, tmp_path: Path, now: datetime, sample_bundle: dict[str, Any]
) -> None:
    (tmp_path / "ana.json").write_text(json.dumps(sample_bundle))
    sources = [tmp_path / "gone.fit", tmp_path / "ana.json"]
    entries = import_sources(
        ctx, sources=sources, owner="Ben", now=now, wearables=lambda found: [], hint="leave out --athlete"
    )
    assert [e["status"] for e in entries] == ["error", "error"]
    assert entries[0]["error"] == "no such file or folder"
    assert (
        entries[1]["error"] == "athlete: this bundle holds 'Ana''s record, not 'Ben''s; leave out --athlete"
    )
    ok = import_sources(ctx, sources=sources[1:], owner="Ana", now=now, wearables=lambda found: [])
    assert ok[0]["status"] == "imported"
