"""Property tests: any bundle the validator accepts is stored and comes back equal, and
export -> import -> export is stable (on SQLite and PostgreSQL; one store per test, one new
athlete per example)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.config import Settings
from crampwise.domain.bundles import bundle_to_json_dict, parse_bundle
from crampwise.domain.enums import CrampContext, MedicationKind, Muscle, Relief, Sex, Side, Sport, Symptom
from crampwise.services.bundles import export_bundle, import_bundle
from crampwise.services.context import open_context

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_names = itertools.count()


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _num(low: float, high: float) -> st.SearchStrategy[Any]:
    return _maybe(st.one_of(st.integers(int(low), int(high)), st.floats(low, high, allow_nan=False)))


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
_offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))


@st.composite
def _moments(draw: st.DrawFn) -> str:
    utc = draw(st.datetimes(datetime(2000, 1, 1), datetime(2026, 5, 31)))  # noqa: DTZ001
    return utc.replace(tzinfo=UTC).astimezone(draw(_offsets)).isoformat()


@st.composite
def _session(draw: st.DrawFn, record_id: str) -> dict[str, Any]:
    pre = draw(_num(40, 120))
    post = None if pre is None else draw(_maybe(st.floats(pre * 0.9, min(pre * 1.05, 300))))
    avg = draw(_num(60, 200))
    return {
        "id": record_id,
        "start": draw(_moments()),
        "sport": draw(st.sampled_from(list(Sport))).value,
        "duration_s": draw(st.integers(1, 48 * 3600)),
        "distance_m": draw(_num(0, 200_000)),
        "avg_hr": avg,
        "max_hr": None if avg is None else draw(_maybe(st.floats(avg, 250))),
        "rpe": draw(_num(0, 10)),
        "temperature_c": draw(_num(-40, 60)),
        "warmup_min": draw(_num(0, 240)),
        "pre_mass_kg": pre,
        "post_mass_kg": post,
        "fluid_ml": draw(_num(0, 30_000)),
        "sodium_mg": draw(_num(0, 30_000)),
        "notes": draw(_maybe(_text)),
        "plan_followed": draw(_maybe(st.booleans())),
    }


@st.composite
def bundles(draw: st.DrawFn) -> dict[str, Any]:
    session_ids = draw(st.lists(st.from_regex(r"s-[0-9]{1,5}", fullmatch=True), unique=True, max_size=4))
    sessions = [draw(_session(sid)) for sid in session_ids]
    cramp_ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), unique=True, max_size=4))
    cramps = [
        {
            "id": cid,
            "at": draw(_moments()),
            "muscle": draw(st.sampled_from(list(Muscle))).value,
            "side": draw(_maybe(st.sampled_from(list(Side)))),
            "severity": draw(_maybe(st.integers(0, 10))),
            "duration_s": draw(_maybe(st.integers(1, 3600))),
            "context": draw(st.sampled_from(list(CrampContext))).value,
            "session_id": draw(_maybe(st.sampled_from(session_ids))) if session_ids else None,
            "relief": draw(st.lists(st.sampled_from([r.value for r in Relief]), unique=True, max_size=3)),
            "relief_worked": draw(_maybe(st.booleans())),
            "symptoms": draw(st.lists(st.sampled_from([s.value for s in Symptom]), unique=True, max_size=2)),
        }
        for cid in cramp_ids
    ]
    day_dates = draw(st.lists(st.dates(date(2000, 1, 1), date(2026, 5, 31)), unique=True, max_size=3))
    days = [
        {"date": d.isoformat(), "sleep_h": draw(_num(0, 24)), "fatigue": draw(_num(0, 10))} for d in day_dates
    ]
    med_starts = draw(st.lists(st.dates(date(2000, 1, 1), date(2026, 5, 31)), unique=True, max_size=2))
    medications = [
        {
            "name": f"med{i}",
            "kind": draw(st.sampled_from(list(MedicationKind))).value,
            "started": s.isoformat(),
        }
        for i, s in enumerate(med_starts)
    ]
    return {
        "format": "crampwise-bundle",
        "version": 1,
        "athlete": {
            "name": f"A{next(_names)}",
            "sex": draw(_maybe(st.sampled_from([s.value for s in Sex]))),
            "body_mass_kg": draw(_num(20, 300)),
            "timezone": draw(st.sampled_from(["UTC", "Europe/Madrid", "America/New_York", "Asia/Kathmandu"])),
        },
        "sessions": sessions,
        "cramps": cramps,
        "days": days,
        "medications": medications,
    }


def _canonical(document: dict[str, Any]) -> str:
    out = dict(document)
    for kind, key in (("sessions", "id"), ("cramps", "id"), ("days", "date"), ("medications", "name")):
        out[kind] = sorted(
            ({k: v for k, v in r.items() if kind != "medications" or k != "id"} for r in out[kind]),
            key=lambda r: str(r[key]),
        )
    return json.dumps(out, sort_keys=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=bundles())
def test_any_accepted_bundle_is_stored_and_comes_back_equal(
    store_url: str, tmp_path: Path, data: dict[str, Any]
) -> None:
    expected = bundle_to_json_dict(parse_bundle(data, now=NOW))
    with open_context(Settings(database_url=store_url, data_dir=tmp_path)) as ctx:
        import_bundle(ctx, data=data, now=NOW)
        exported = export_bundle(ctx, athlete=data["athlete"]["name"])
    assert _canonical(exported) == _canonical(expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=bundles())
def test_export_import_export_is_stable(store_url: str, tmp_path: Path, data: dict[str, Any]) -> None:
    name = data["athlete"]["name"]
    with open_context(Settings(database_url=store_url, data_dir=tmp_path)) as ctx:
        import_bundle(ctx, data=data, now=NOW)
        first = export_bundle(ctx, athlete=name)
        summary = import_bundle(ctx, data=json.loads(json.dumps(first)), now=NOW)
        second = export_bundle(ctx, athlete=name)
    assert not summary.changed
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
