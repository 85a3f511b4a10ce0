"""`crampwise import` of bundles and `crampwise export --format bundle|csv`, in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.entry import hoist_global_options
from crampwise.config import Settings

Result = tuple[int, str, str]


@pytest.fixture
def cw(store_settings: Settings, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Result:
        code = run_app(hoist_global_options(["--db", store_settings.database_url, *args]))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_import_export_round_trip_is_byte_stable(cw, tmp_path: Path, sample_bundle: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "ana.json", sample_bundle)
    assert cw("import", str(source)) == (
        0,
        f"{source}: Ana (new athlete): sessions 2 added; cramps 2 added; days 2 added; medications 1 added\n",
        "",
    )
    code, first, _ = cw("export", "--format", "bundle")
    assert code == 0
    document = json.loads(first)
    assert document["format"] == "crampwise-bundle" and document["version"] == 1
    out = tmp_path / "again.json"
    assert cw("export", "--out", str(out)) == (0, "", f"Wrote {out}\n")
    assert out.read_text() == first
    code, text, _ = cw("import", str(out), "--json")
    report = json.loads(text)
    assert report["files"][0]["status"] == "duplicate"
    assert (report["imported"], report["duplicates"], report["errors"]) == (0, 1, 0)
    assert cw("export")[1] == first


def test_import_into_another_store_gives_the_same_export(
    cw, tmp_path: Path, sample_bundle: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "ana.json", sample_bundle)
    cw("import", str(source))
    exported = tmp_path / "export.json"
    cw("export", "--out", str(exported))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run_app(["--db", other, "import", str(exported)]) == 0
    capsys.readouterr()
    assert run_app(["--db", other, "export"]) == 0
    assert capsys.readouterr().out == exported.read_text()


def test_a_bad_bundle_imports_nothing_and_lists_every_field(
    cw, tmp_path: Path, sample_bundle: dict[str, Any]
) -> None:  # type: ignore[no-untyped-def]
    sample_bundle["sessions"][1]["pre_mass_kg"] = 70
    sample_bundle["sessions"][1]["post_mass_kg"] = 60
    sample_bundle["cramps"][0]["muscle"] = "elbow"
    sample_bundle["days"][0]["date"] = "2026-02-30"
    source = write(tmp_path / "bad.json", sample_bundle)
    code, out, err = cw("import", str(source))
    assert (code, out) == (2, "")
    assert err == (
        f"crampwise: error: {source}: sessions[1].post_mass_kg: 60.0 kg is more than 10 % below the pre-session "
        "mass of 70.0 kg; check both weighings; cramps[0].muscle: unknown value 'elbow'; expected "
        "calf|hamstring|quadriceps|foot|toes|adductor|hip_flexor|glute|shin|other; days[0].date: "
        "Input should be a valid date or datetime, day value is outside expected range\n"
    )
    code, _, err = cw("list", "cramps")
    assert code == 2 and "no athlete yet" in err  # nothing was written, not even the athlete


def test_one_bad_file_does_not_stop_the_others(cw, tmp_path: Path, sample_bundle: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path / "good.json", sample_bundle)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    code, out, err = cw("import", str(broken), str(tmp_path / "missing.json"), str(good), "--json")
    assert code == 2
    assert err == ""
    report = json.loads(out)
    status = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert status == {"broken.json": "error", "missing.json": "error", "good.json": "imported"}
    errors = {Path(f["path"]).name: f["error"] for f in report["files"]}
    assert "no such file" in errors["missing.json"]
    assert (report["imported"], report["errors"]) == (1, 2)
    assert json.loads(cw("export")[1])["athlete"]["name"] == "Ana"


def test_csv_export(cw, tmp_path: Path, sample_bundle: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    cw("import", str(write(tmp_path / "ana.json", sample_bundle)))
    assert cw("export", "--format", "csv", "--kind", "days") == (
        0,
        "date,sleep_h,fluid_ml,alcohol_units,fatigue,notes,sleep_quality,resting_hr,hrv_ms,tags,imported_fields\n"
        "2026-05-01,7.5,2500,0,3,,,,,,\n2026-05-03,5.5,,,,,,,,,\n",
        "",
    )
    code, _, err = cw("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert code == 0 and err.startswith("Wrote ")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "cramps.csv",
        "days.csv",
        "medications.csv",
        "sessions.csv",
    ]
    sessions = (tmp_path / "csv" / "sessions.csv").read_text().splitlines()
    assert sessions[0].startswith("id,start,sport,duration_s,distance_m,")
    assert sessions[1].startswith("s-0001,2026-05-01T07:30:00+02:00,run,5400,18000,")
    assert cw("export", "--format", "csv")[0] == 2
    assert cw("export", "--format", "csv", "--kind", "laps")[2] == (
        "crampwise: error: --kind: unknown kind 'laps'; expected sessions|cramps|days|medications\n"
    )


def test_export_to_an_unwritable_place_is_exit_3(cw, tmp_path: Path, sample_bundle: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    cw("import", str(write(tmp_path / "ana.json", sample_bundle)))
    target = tmp_path / "no" / "such" / "dir" / "x.json"
    code, out, err = cw("export", "--out", str(target))
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    # The user's path, not the temporary sibling (.x.json.abc123.tmp) it was written through.
    assert err == f"crampwise: error: {target}: folder {target.parent} does not exist\n"
    code, out, err = cw("export", "--out", str(tmp_path))  # a directory, not a file
    assert (code, out, err) == (3, "", f"crampwise: error: {tmp_path}: Is a directory\n")
    code, out, err = cw("export", "--format", "csv", "--kind", "days", "--out", str(tmp_path))
    assert (code, out, err) == (3, "", f"crampwise: error: {tmp_path}: Is a directory\n")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
