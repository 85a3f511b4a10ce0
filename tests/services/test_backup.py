"""Backup and restore keep everything; bundles carry recordings (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crampwise.config import Settings
from crampwise.domain.errors import InvalidInput
from crampwise.services import journal
from crampwise.services.backup import archive_document, backup, restore
from crampwise.services.bundles import export_bundle, import_bundle
from crampwise.services.context import AppContext, open_context
from crampwise.services.imports import import_paths
from crampwise.services.moments import cramp_view
from tests.cli.test_show_and_import import run_gpx


def _with_recording(ctx: AppContext, tmp_path: Path, now: datetime) -> None:
    journal.add_athlete(
        ctx, data={"name": "Ana", "timezone": "UTC"}, now=datetime(2024, 1, 1, tzinfo=now.tzinfo)
    )
    journal.add_athlete(ctx, data={"name": "Ben", "timezone": "UTC"})
    gpx = tmp_path / "run.gpx"
    gpx.write_bytes(run_gpx(datetime.fromisoformat("2024-05-01T07:00:00+00:00")))
    import_paths(ctx, paths=[gpx], athlete="Ana", now=now)
    journal.log_cramp(
        ctx, athlete="Ana", data={"muscle": "calf", "context": "exercise", "at": "2024-05-01T07:35:00+00:00"},
        now=now, link_session=True,
    )  # fmt: skip


def _other(tmp_path: Path, name: str) -> AppContext:
    return open_context(Settings(database_url=f"sqlite:///{tmp_path / name}", data_dir=tmp_path))


def test_a_bundle_with_recordings_keeps_show_cramp_working_elsewhere(
    ctx: AppContext, tmp_path: Path, now: datetime
) -> None:
    _with_recording(ctx, tmp_path, now)
    plain = export_bundle(ctx, athlete="Ana")
    assert "recordings" not in plain  # the service's default keeps the v1 document as it was
    document = json.loads(json.dumps(export_bundle(ctx, athlete="Ana", recordings=True)))
    [recording] = document["recordings"]
    assert recording["session_id"] == "s-0001" and recording["format"] == "cw1"
    with _other(tmp_path, "other.db") as other:
        summary = import_bundle(other, data=document, now=now)
        assert summary.recordings.added == 1 and summary.ignored_fields == []
        view = cramp_view(other, athlete="Ana", cramp_id="c-0001")
        assert view.has_recording and view.moment is not None
        again = import_bundle(other, data=document, now=now)
        assert not again.changed  # idempotent, recordings included
        assert export_bundle(other, athlete="Ana", recordings=True) == export_bundle(
            ctx, athlete="Ana", recordings=True
        )


def test_a_broken_recording_rejects_the_bundle_whole(ctx: AppContext, tmp_path: Path, now: datetime) -> None:
    _with_recording(ctx, tmp_path, now)
    document = json.loads(json.dumps(export_bundle(ctx, athlete="Ana", recordings=True)))
    document["recordings"][0]["data"] = "bm90IGEgYmxvYg=="
    document["recordings"].append({**document["recordings"][0], "session_id": "s-0099"})
    with _other(tmp_path, "other.db") as other:
        with pytest.raises(InvalidInput) as info:
            import_bundle(other, data=document, now=now)
        assert [e.path for e in info.value.errors] == ["recordings[0].data", "recordings[1].data"]
        assert other.settings.database_url.endswith("other.db")


@pytest.mark.parametrize("through_archive", [False, True], ids=["sqlite-copy", "archive"])
def test_backup_then_restore_keeps_everything(
    ctx: AppContext, tmp_path: Path, now: datetime, through_archive: bool
) -> None:
    _with_recording(ctx, tmp_path, now)
    journal.make_default_athlete(ctx, athlete="Ben")
    target = tmp_path / "backup.db"
    if through_archive:
        target = tmp_path / "backup.json"
        target.write_text(json.dumps(archive_document(ctx)))
    else:
        result = backup(ctx, path=target)
        assert result.kind == "sqlite" and result.athletes == ("Ana", "Ben")
        assert target.stat().st_mode & 0o777 == 0o600
    with _other(tmp_path, "restored.db") as other:
        assert restore(other, path=target, now=now).athletes == ("Ana", "Ben")
        assert archive_document(other) == archive_document(ctx)  # records, recordings, default, hashes
        assert journal.get_athlete(other, athlete=None).name == "Ben"
        with pytest.raises(InvalidInput, match=r"^--replace: this store already holds Ana, Ben"):
            restore(other, path=target, now=now)
        assert restore(other, path=target, now=now, replace=True).replaced == ("Ana", "Ben")
        assert archive_document(other) == archive_document(ctx)
