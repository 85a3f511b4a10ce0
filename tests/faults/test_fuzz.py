"""Fuzzing the edges: bundles, API bodies and damaged activity files never crash, never 500.

- Bundles (hypothesis): valid ones (the property tests' strategy), valid ones with one field,
  record or list replaced by any JSON value, a required field dropped or an unknown one added,
  and arbitrary JSON documents, through `crampwise import FILE` (the real command line, in
  process): exit 0 or 2 with one line, no exception, and a refused bundle changes nothing.
- API bodies: the same kinds of JSON posted to `/api/v1/cramps`, `/sessions` and `/days`, and put
  to an existing record: 201/200 or 422, never a 5xx.
- Activity files: real FIT files (tests/data/fit, and ../shared/data/activities when present)
  truncated, bit-flipped, with bytes inserted or deleted, through `crampwise import` and
  `POST /api/v1/imports`: each file is reported (imported, duplicate, skipped or error), never a
  crash or a 500.

Example counts are modest here; the `slow` variants run many more (CI runs those too).
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crampwise.cli.app import run_app
from crampwise.config import Settings
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL, make_sample_bundle
from tests.importers.conftest import shared_files
from tests.services.test_bundles_properties import bundles

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

DATA = Path(__file__).resolve().parents[1] / "data"
ACTIVITY_FILES = sorted((DATA / "fit").glob("*.fit")) + [
    p for kind in ("fit", "gpx", "tcx") for p in shared_files(kind) if p.stat().st_size <= 200_000
]
FEW, MANY = 25, 250
DEPTHS = [pytest.param(FEW, id="few"), pytest.param(MANY, id="many", marks=pytest.mark.slow)]
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

# -- strategies -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=10,
)
RECORD_KINDS = ("sessions", "cramps", "days", "medications")


@st.composite
def broken(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """`document` with one thing wrong: a value, a record, a list, a missing or unknown field."""
    doc = json.loads(json.dumps(document))
    places: list[dict[str, Any]] = [doc] + ([doc["athlete"]] if isinstance(doc.get("athlete"), dict) else [])
    for kind in RECORD_KINDS:
        records = doc.get(kind)
        places += [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []
    place = draw(st.sampled_from(places))
    how = draw(st.sampled_from(["replace", "drop", "add", "record"]))
    keys = sorted(place)
    if how == "replace" and keys:
        place[draw(st.sampled_from(keys))] = draw(json_values)
    elif how == "drop" and keys:
        del place[draw(st.sampled_from(keys))]
    elif how == "add":
        place[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    else:
        kind = draw(st.sampled_from(RECORD_KINDS))
        doc[kind] = draw(st.lists(json_values, max_size=3) | json_values)
    return doc


def any_bundle() -> st.SearchStrategy[Any]:
    sample = make_sample_bundle()
    return st.one_of(
        bundles(),
        bundles().flatmap(broken),
        broken(sample),
        broken(sample).flatmap(broken),
        json_values,
        st.fixed_dictionaries(
            {"format": st.just("crampwise-bundle"), "version": json_values, "athlete": json_values}
        ),
    )


def _dumps(document: Any) -> str:
    return json.dumps(document, allow_nan=True)


# -- bundles through the command line --------------------------------------------------------


def counts(db: Path) -> tuple[int, ...]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("athletes", "sessions", "cramps", "days", "medications")
        )


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_app(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "fuzz.db"
    with open_context(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path)) as ctx:
        import_bundle(ctx, data=make_sample_bundle(), now=FIXED_NOW)
    return db


@pytest.mark.parametrize("examples", DEPTHS)
def test_any_bundle_through_the_import_command(store: Path, tmp_path: Path, examples: int) -> None:
    seen = {"accepted": 0, "refused": 0}

    @settings(max_examples=examples, **SETTINGS)
    @given(document=any_bundle())
    def check(document: Any) -> None:
        path = tmp_path / "bundle.json"
        path.write_text(_dumps(document))
        before = counts(store)
        code, _out, err = cli(["--db", f"sqlite:///{store}", "import", str(path)])
        assert code in (0, 2), err
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
            assert err.startswith("crampwise: error: "), err
            assert counts(store) == before, "a refused bundle changed the store"
        seen["accepted" if code == 0 else "refused"] += 1

    check()
    assert seen["accepted"] and seen["refused"], seen  # both kinds were tried
    print(f"bundle fuzz: {seen}")


# -- API bodies -----------------------------------------------------------------------------


@pytest.fixture
def client(store: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings_ = Settings(database_url=f"sqlite:///{store}", data_dir=tmp_path, athlete="Ana")
    with TestClient(
        create_app(settings_, clock=lambda: FIXED_NOW), base_url=LOCAL_URL, raise_server_exceptions=False
    ) as test_client:
        yield test_client


def any_body(kind: str) -> st.SearchStrategy[Any]:
    sample = make_sample_bundle()[kind][0]
    return st.one_of(
        broken({"athlete": {}, kind: [sample]}).map(lambda d: d.get(kind, [sample])), json_values
    ).map(
        lambda value: value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else value
    )


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize("kind", ["cramps", "sessions", "days"])
def test_any_body_posted_or_put_to_the_api(client: TestClient, kind: str, examples: int) -> None:
    statuses: dict[int, int] = {}
    target = {"cramps": "c-0001", "sessions": "s-0001", "days": "2026-05-01"}[kind]

    # The untouched sample, put over its own record, is always among the bodies: the check below
    # wants the route seen accepting as well as refusing, and a random draw of 25 may miss it.
    @settings(max_examples=examples, **SETTINGS)
    @given(body=any_body(kind), put=st.booleans(), confirm=st.booleans())
    @example(body=make_sample_bundle()[kind][0], put=True, confirm=True)
    def check(body: Any, put: bool, confirm: bool) -> None:
        url = f"/api/v1/{kind}/{target}" if put else f"/api/v1/{kind}"
        params = {"confirm": "true"} if confirm else {}
        answer = client.request(
            "PUT" if put else "POST",
            url,
            content=_dumps(body),
            params=params,
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code < 500, (answer.status_code, body, answer.text[:500])
        assert answer.status_code in (200, 201, 404, 409, 422), (answer.status_code, answer.text[:500])
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    check()
    assert 422 in statuses and (200 in statuses or 201 in statuses), statuses
    print(f"api fuzz {kind}: {statuses}")


# -- damaged activity files -----------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(ACTIVITY_FILES))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "header"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "truncate":
            del data[at:]
        elif how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif how == "header" and data:
            data[draw(st.integers(0, min(13, len(data) - 1)))] = draw(st.integers(0, 255))
    return path.name, bytes(data)


@pytest.mark.parametrize("examples", DEPTHS)
def test_damaged_activity_files_through_import_and_the_api(
    client: TestClient, store: Path, tmp_path: Path, examples: int
) -> None:
    assert len(ACTIVITY_FILES) >= 10
    outcomes: dict[str, int] = {}

    @settings(max_examples=examples, **SETTINGS)
    @given(file=damaged(), through_api=st.booleans())
    def check(file: tuple[str, bytes], through_api: bool) -> None:
        name, data = file
        if through_api:
            answer = client.post("/api/v1/imports", files={"files": (name, data)})
            assert answer.status_code in (200, 422), (answer.status_code, answer.text[:500])
            results = answer.json().get("files", []) if answer.status_code == 200 else []
        else:
            path = tmp_path / name
            path.write_bytes(data)
            code, out, err = cli(
                ["--db", f"sqlite:///{store}", "import", str(path), "--json", "--workers", "1"]
            )
            assert code in (0, 2) and "Traceback" not in err, (code, err)
            results = json.loads(out)["files"]
        for result in results:
            assert result["status"] in ("imported", "duplicate", "skipped", "error"), result
            assert result["status"] != "error" or result["error"], result
            outcomes[result["status"]] = outcomes.get(result["status"], 0) + 1

    check()
    assert "error" in outcomes and ("imported" in outcomes or "duplicate" in outcomes), outcomes
    print(f"file fuzz: {outcomes}")


def test_the_sample_files_are_many_and_real() -> None:
    """The byte fuzz starts from real files, not only generated ones."""
    names = {p.name for p in ACTIVITY_FILES}
    assert "garmin-fenix-5-run.fit" in names and len(names) >= 10
