"""Format from content, gzip members, Strava and Garmin exports, bombs and path traversal."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.archives import Member, expand
from crampwise.importers.detect import detect_format
from crampwise.importers.model import ImportProblem
from crampwise.importers.registry import gunzip, parse_bytes, parse_member

GPX = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
<trk><type>running</type><trkseg>
<trkpt lat="46.0" lon="14.0"><time>2024-05-01T07:00:00Z</time></trkpt>
<trkpt lat="46.001" lon="14.0"><time>2024-05-01T07:01:00Z</time></trkpt>
<trkpt lat="46.002" lon="14.0"><time>2024-05-01T07:02:00Z</time></trkpt>
</trkseg></trk></gpx>"""


def test_detects_from_content() -> None:
    assert detect_format(b"") == "empty"
    assert detect_format(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00") == "fit"
    assert detect_format(b"\xef\xbb\xbf  <?xml?><gpx>") == "gpx"
    assert detect_format(b"<?xml?><TrainingCenterDatabase>") == "tcx"
    assert detect_format(b'{"format": "crampwise-bundle"}') == "bundle"
    assert detect_format(b"PK\x03\x04") == "zip"
    assert detect_format(gzip.compress(b"x")) == "gzip"
    assert detect_format(b"hello") == "unknown"


def test_gzip_member_and_bad_input() -> None:
    (run,) = parse_bytes(gzip.compress(GPX)).activities
    assert run.sport is Sport.RUN and run.duration_s == 120
    for data, words in [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"garbage", "not a FIT"),
        (gzip.compress(GPX)[:30], "gzip"),
    ]:
        with pytest.raises(ImportProblem) as info:
            parse_bytes(data)
        assert info.value.status == "error" and words in info.value.reason


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ImportProblem, match="bomb"):
        gunzip(bomb)


def test_dtd_is_refused() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>'
    with pytest.raises(ImportProblem, match="DTD"):
        parse_bytes(evil)


def strava_export(path: Path) -> Path:
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Filename,Perceived Exertion\n"
        '1,"May 1, 2024",Morning hills,Run,legs tired,activities/1.gpx.gz,7\n'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("activities.csv", csv)
        archive.writestr("activities/1.gpx.gz", gzip.compress(GPX))
        archive.writestr("../../evil.gpx", GPX)
        archive.writestr("media/photo.jpg", b"\xff\xd8")
    return path


def test_strava_export_takes_name_sport_and_perceived_exertion(tmp_path: Path) -> None:
    members = list(expand(strava_export(tmp_path / "export.zip")))
    assert [m.display.split("!")[1] for m in members] == ["activities/1.gpx.gz", "../../evil.gpx"]
    good, evil = members
    (run,) = parse_member(good).activities
    assert run.name == "Morning hills" and run.rpe == 7 and run.description == "legs tired"
    assert evil.problem is not None and "unsafe path" in evil.problem
    with pytest.raises(ImportProblem):
        parse_member(evil)


def test_garmin_zip_of_zips_and_folders(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("DI_CONNECT/track.gpx", GPX)
    folder = tmp_path / "garmin" / "deep"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "export.zip", "w") as archive:
        archive.writestr("uploaded/part1.zip", inner.getvalue())
    (tmp_path / "garmin" / "loose.gpx").write_bytes(GPX)
    members = list(expand(tmp_path / "garmin"))
    root = str(tmp_path / "garmin") + "/"
    assert [m.display.removeprefix(root) for m in members] == [
        "loose.gpx",
        "deep/export.zip!uploaded/part1.zip!DI_CONNECT/track.gpx",
    ]
    assert all(parse_member(m).activities for m in members)


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities/a.fit", b"\0" * (20 * 1024 * 1024))
    (member,) = expand(path)
    assert member.problem is not None and "bomb" in member.problem


def test_damaged_zip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 50)
    (member,) = expand(path)
    assert member.problem is not None and "zip" in member.problem


def test_member_of_disk_file(tmp_path: Path) -> None:
    path = tmp_path / "ride.fit"  # wrongly named: it is a GPX
    path.write_bytes(GPX)
    assert parse_member(Member(str(path), path=str(path))).format == "gpx"
