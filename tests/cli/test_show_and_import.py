"""`crampwise import PATH...` for wearable files and `crampwise show cramp|session`, in-process."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.entry import hoist_global_options
from crampwise.config import Settings

Result = tuple[int, str, str]


@pytest.fixture
def cw(settings: Settings, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Result:
        code = run_app(hoist_global_options(["--db", settings.database_url, *args]))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def run_gpx(start: datetime, minutes: int = 40) -> bytes:
    points = "".join(
        f'<trkpt lat="{46 + i * 0.003:.3f}" lon="14.0"><time>{(start + timedelta(minutes=i)).isoformat()}</time>'
        f"<extensions><hr>{140 + (20 if i > 30 else 0)}</hr><atemp>27</atemp></extensions></trkpt>"
        for i in range(minutes + 1)
    )
    return (
        f'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


@pytest.fixture
def imported(cw, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    assert cw("athlete", "add", "Ana", "--timezone", "UTC")[0] == 0
    path = tmp_path / "run.gpx"
    path.write_bytes(run_gpx(datetime.fromisoformat("2024-05-01T07:00:00+00:00")))
    return path


def test_import_json_document(cw, imported: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.fit").write_bytes(b"hello")
    code, out, err = cw("import", str(imported), str(tmp_path / "notes.fit"), "--json")
    assert code == 2 and err == ""  # a file failed: exit 2, the document still on stdout
    doc = json.loads(out)
    assert doc["imported"] == 1 and doc["errors"] == 1 and doc["duplicates"] == 0 and doc["skipped"] == 0
    assert doc["files"][0] == {
        "path": str(imported),
        "status": "imported",
        "error": None,
        "session_id": "s-0001",
        "format": "gpx",
    }
    assert doc["files"][1]["status"] == "error" and "not a FIT, GPX or TCX" in doc["files"][1]["error"]
    code, out, _ = cw("import", str(imported), "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "duplicate"


def test_import_text_and_show(cw, imported: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cw("import", str(imported))
    assert (code, err) == (0, "")
    assert out == f"{imported}: imported as session s-0001\n"
    code, _out, _err = cw(
        "log",
        "cramp",
        "--muscle",
        "calf",
        "--context",
        "exercise",
        "--at",
        "2024-05-01T07:35:00+00:00",
        "--session",
        "s-0001",
    )
    assert code == 0
    code, out, err = cw("show", "cramp", "c-0001")
    assert (code, err) == (0, "")
    assert "35m into the session (88% of it)" in out
    assert "heart rate 160 bpm" in out and "device temperature 27C" in out
    code, out, _ = cw("show", "cramp", "c-0001", "--json")
    doc = json.loads(out)
    assert doc["session"]["id"] == "s-0001" and doc["linked_by"] == "session_id"
    assert doc["moment"]["elapsed_s"] == 2100 and doc["moment"]["heart_rate"] == 160
    code, out, _ = cw("show", "session", "s-0001")
    assert code == 0 and "recording: 41 samples from gpx" in out and "Cramp c-0001: calf" in out


def test_show_unknown_ids_exit_2(cw, imported: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cw("show", "cramp", "c-0099")
    assert code == 2 and out == "" and "no cramp with id 'c-0099'" in err
    code, _out, err = cw("show", "session", "s-0099")
    assert code == 2 and "no session with id 's-0099'" in err


def test_show_cramp_of_a_hand_logged_session(cw) -> None:  # type: ignore[no-untyped-def]
    assert cw("athlete", "add", "Ana", "--timezone", "UTC")[0] == 0
    assert (
        cw("log", "session", "--sport", "run", "--duration", "1h", "--start", "2024-05-01T07:00:00+00:00")[0]
        == 0
    )
    assert (
        cw(
            "log",
            "cramp",
            "--muscle",
            "calf",
            "--context",
            "exercise",
            "--at",
            "2024-05-01T07:45:00+00:00",
            "--session",
            "s-0001",
        )[0]
        == 0
    )
    code, out, err = cw("show", "cramp", "c-0001")
    assert (code, err) == (0, "")
    assert "45m into the session (75% of it)" in out and "no recording for this session" in out
    doc = cw("show", "cramp", "c-0001", "--json")[1]
    assert '"has_recording": false' in doc


def test_summary_counts_agree_with_the_progress_and_say_one_error(  # type: ignore[no-untyped-def]
    cw, imported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(imported.read_bytes())
    (folder / "broken.fit").write_bytes(b"hello")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")  # not a candidate: neither counted nor reported
    (folder / "wellness.json").write_bytes(b'[{"calendarDate": "2024-05-01", "totalSteps": 9000}]')
    seen: list[tuple[int, int]] = []
    from crampwise.services import imports as service

    real = service.import_paths

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["progress"] = lambda done, total, _r: seen.append((done, total))
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "import_paths", spy)
    code, out, err = cw("import", str(folder))
    assert code == 2  # one real error; the skipped JSON is not one
    assert out.splitlines()[-1] == "3 files: 1 imported, 0 duplicates, 1 skipped, 1 error"
    assert seen[-1] == (3, 3)
    assert "JSON data, not an activity" in out
    assert "broken.fit" in err
    code, out, _err = cw("import", str(folder / "wellness.json"), str(folder / "run.gpx"))
    assert code == 0 and out.splitlines()[-1] == "2 files: 0 imported, 1 duplicate, 1 skipped, 0 errors"
