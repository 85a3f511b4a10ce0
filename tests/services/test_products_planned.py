"""Products and planned sessions on a real store: read as typed, refused with the field named
and nothing written, counted into the plan, and isolated per athlete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.context import AppContext
from crampwise.services.journal import add_athlete
from crampwise.services.planned import (
    add_planned,
    add_planned_from_text,
    get_planned,
    list_planned,
    remove_planned,
    session_mode,
)
from crampwise.services.planning import plan_session
from crampwise.services.products import (
    carry_from_form,
    list_products,
    parse_carry,
    read_product,
    remove_product,
    save_product,
)

START = datetime(2026, 6, 7, 8, 0)  # noqa: DTZ001 - read in the athlete's zone (Madrid)


@pytest.fixture
def ana(store_ctx: AppContext) -> AppContext:
    add_athlete(store_ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    add_athlete(store_ctx, data={"name": "Bo", "body_mass_kg": 80, "units": "imperial"})
    for name, carb, sodium, fluid in (("gel", "25g", "50mg", "0"), ("iso drink", "30", "0.25g", "500ml")):
        raw = {"name": name, "carbohydrate_g": carb, "sodium_mg": sodium, "fluid_ml": fluid}
        save_product(store_ctx, athlete="Ana", product=read_product(raw, units=UnitSystem.METRIC))
    return store_ctx


def plan_args(**more: Any) -> dict[str, Any]:
    return {"sport": "run", "duration_s": 3 * 3600, "temperature_c": 28, "rpe": 6, "when": START, **more}


def test_products_are_read_as_typed_and_a_name_again_replaces(ana: AppContext) -> None:
    found = {p.name: p for p in list_products(ana, athlete="Ana")}
    assert (found["iso drink"].carbohydrate_g, found["iso drink"].sodium_mg, found["iso drink"].fluid_ml) == (
        30,
        250,
        500,
    )
    raw = {"name": "  GEL ", "carbohydrate_g": "22 g", "sodium_mg": "40", "fluid_ml": "0"}
    saved = save_product(ana, athlete="Ana", product=read_product(raw, units=UnitSystem.METRIC))
    assert not saved.created
    names = [p.name for p in list_products(ana, athlete="Ana")]
    assert names == ["GEL", "iso drink"]  # one product, spelled as last typed
    assert list_products(ana, athlete="Bo") == []
    imperial = read_product(
        {"name": "bottle", "carbohydrate_g": "0", "sodium_mg": "0", "fluid_ml": "16"},
        units=UnitSystem.IMPERIAL,
    )
    assert imperial.fluid_ml == pytest.approx(473.18, abs=0.01)  # a bare number is fl oz for Bo


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"carbohydrate_g": "lots"}, "--carbohydrate", "expected grams"),
        ({"carbohydrate_g": "25mg"}, "--carbohydrate", "expected grams"),
        ({"carbohydrate_g": "400"}, "--carbohydrate", "300"),
        ({"sodium_mg": "-5"}, "--sodium", "0"),
        ({"fluid_ml": "2 cups"}, "--fluid", "unknown unit"),
        ({"fluid_ml": ""}, "--fluid", "required"),
        ({"name": "gel=3"}, "NAME", "'='"),
        ({"name": ""}, "NAME", "required"),
    ],
)
def test_bad_product_fields_are_named_and_nothing_is_written(
    ana: AppContext, raw: dict[str, str], field: str, words: str
) -> None:
    names = {
        "name": "NAME",
        "carbohydrate_g": "--carbohydrate",
        "sodium_mg": "--sodium",
        "fluid_ml": "--fluid",
    }
    full = {"name": "new", "carbohydrate_g": "25g", "sodium_mg": "50mg", "fluid_ml": "0", **raw}
    with pytest.raises(InvalidInput) as caught:
        save_product(ana, athlete="Ana", product=read_product(full, units=UnitSystem.METRIC, names=names))
    error = caught.value.errors[0]
    assert error.path == field and words in error.message
    assert [p.name for p in list_products(ana, athlete="Ana")] == ["gel", "iso drink"]


def test_carry_text_and_form_fields() -> None:
    assert parse_carry(["gel=3,iso drink=2", " gel = 1 "]) == {"gel": 4, "iso drink": 2}
    assert carry_from_form({"carry:gel": "2", "carry:iso drink": "", "carry:bar": "0", "sport": "run"}) == {
        "gel": 2
    }
    for bad, words in (
        ("gel", "NAME=UNITS"),
        ("gel=two", "whole number"),
        ("gel=0", "1 to 60"),
        ("=3", "NAME"),
    ):
        with pytest.raises(InvalidInput, match=words) as caught:
            parse_carry([bad], name="--carry")
        assert caught.value.errors[0].path == "--carry"


def test_the_plan_counts_what_is_carried(ana: AppContext, now: datetime) -> None:
    plain = plan_session(ana, athlete="Ana", now=now, **plan_args())
    carried = plan_session(ana, athlete="Ana", now=now, **plan_args(carry={"GEL": 4, "iso drink": 2}))
    assert plain.fuel is None and carried.fuel is not None
    assert carried.plan == plain.plan  # the plan itself is unchanged: the products are counted into it
    doc = carried.as_json()
    assert doc["products"]["sodium_mg_per_h"] == round((4 * 50 + 2 * 250) / 3)
    first = doc["schedule"][0]
    assert first["with_products"].startswith("Drink 90ml iso drink")
    assert {"take", "water_ml", "sodium_to_add_mg"} <= set(first)
    with pytest.raises(InvalidInput) as caught:
        plan_session(ana, athlete="Ana", now=now, **plan_args(carry={"banana": 2}))
    assert caught.value.errors[0].path == "carry"
    assert "your products: gel, iso drink" in caught.value.errors[0].message
    with pytest.raises(InvalidInput, match="you have no products yet"):
        plan_session(ana, athlete="Bo", now=now, **plan_args(carry={"gel": 1}))


def test_planned_sessions_are_stored_listed_and_removed_per_athlete(ana: AppContext, now: datetime) -> None:
    first = add_planned(ana, athlete="Ana", **plan_args(carry={"GEL": 2}))
    second = add_planned(ana, athlete="Ana", **plan_args(sport="ride", when=START + timedelta(days=1)))
    bo = add_planned(ana, athlete="Bo", **plan_args())
    assert (first.id, second.id, bo.id) == ("p-0001", "p-0002", "p-0001")
    assert first.carry == {"gel": 2}  # in the product's own spelling
    assert first.start.utcoffset() == timedelta(hours=2)  # 08:00 in Madrid, summer time
    assert [p.id for p in list_planned(ana, athlete="Ana", now=now)] == ["p-0001", "p-0002"]
    assert get_planned(ana, athlete="Bo", planned_id="p-0001").sport.value == "run"
    # over once its end has passed (a session of exactly 3 h ends at 11:00 Madrid)
    end = first.start + timedelta(hours=3)
    assert next(p.id for p in list_planned(ana, athlete="Ana", now=end - timedelta(seconds=1))) == "p-0001"
    assert [p.id for p in list_planned(ana, athlete="Ana", now=end)] == ["p-0002"]
    assert len(list_planned(ana, athlete="Ana", now=end, include_past=True)) == 2
    remove_planned(ana, athlete="Ana", planned_id="p-0002")
    with pytest.raises(NotFound, match="p-0002"):
        remove_planned(ana, athlete="Ana", planned_id="p-0002")
    assert [p.id for p in list_planned(ana, athlete="Bo", now=now)] == ["p-0001"]


def test_removing_a_product_takes_it_off_planned_sessions(ana: AppContext, now: datetime) -> None:
    add_planned(ana, athlete="Ana", **plan_args(carry={"gel": 2, "iso drink": 1}))
    removed = remove_product(ana, athlete="Ana", name="Gel")
    assert removed.planned_ids == ("p-0001",)
    assert get_planned(ana, athlete="Ana", planned_id="p-0001").carry == {"iso drink": 1}
    with pytest.raises(NotFound, match="no product named 'gel'"):
        remove_product(ana, athlete="Ana", name="gel")
    assert session_mode(ana, athlete="Ana", planned_id="p-0001", now=now).result is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_s": 0}, "duration"),
        ({"duration_s": 49 * 3600}, "duration"),
        ({"temperature_c": 55}, "temperature"),
        ({"rpe": 11}, "rpe"),
        ({"sport": "curling"}, "sport"),
        ({"when": START.date()}, "date"),
        ({"carry": {"gel": 61}}, "carry"),
        ({"carry": {"nothing": 1}}, "carry"),
    ],
)
def test_bad_planned_sessions_are_refused_and_nothing_is_written(
    ana: AppContext, now: datetime, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_planned(ana, athlete="Ana", **plan_args(**changes))
    assert caught.value.errors[0].path == field
    assert list_planned(ana, athlete="Ana", now=now, include_past=True) == []
    assert add_planned(ana, athlete="Ana", **plan_args()).id == "p-0001"  # no id was used up


def test_the_form_reports_every_bad_field_at_once(ana: AppContext, now: datetime) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_planned_from_text(
            ana, athlete="Ana", raw={"sport": "run", "duration": "soon", "temperature": "", "carry:gel": "x"}
        )
    assert {e.path for e in caught.value.errors} == {"duration", "temperature", "carry", "date"}
    record = add_planned_from_text(
        ana,
        athlete="Ana",
        raw={
            "sport": "run",
            "duration": "90",
            "temperature": "22C",
            "date": "2026-06-07T08:00",
            "carry:gel": "1",
        },
    )
    assert (record.duration_s, record.carry) == (5400, {"gel": 1})


def test_a_planned_session_too_long_says_how_a_bare_duration_was_read(ana: AppContext) -> None:
    """3000 is read as minutes (50 h): refused by the plan itself, under the form's name for the
    field, with the same note as `plan` gives."""
    raw = {"sport": "run", "duration": "3000", "temperature": "22C", "date": "2026-06-07T08:00"}
    with pytest.raises(InvalidInput) as caught:
        add_planned_from_text(ana, athlete="Ana", raw=raw, names={"duration": "--duration"})
    (error,) = caught.value.errors
    assert error.path == "--duration" and "a bare number is minutes" in error.message


def test_session_mode_of_a_plan_that_cannot_be_made_says_why(store_ctx: AppContext, now: datetime) -> None:
    add_athlete(store_ctx, data={"name": "Cy", "timezone": "UTC"})  # no body mass: no plan
    add_planned(store_ctx, athlete="Cy", **plan_args())
    mode = session_mode(store_ctx, athlete="Cy", planned_id="p-0001", now=now)
    assert mode.result is None and mode.problem is not None and "body_mass_kg" in mode.problem
    assert mode.as_json()["drinks"] == []
    with pytest.raises(NotFound):
        session_mode(store_ctx, athlete="Cy", planned_id="p-0002", now=now)


def test_session_mode_keeps_the_drinks_with_their_moments(ana: AppContext, now: datetime) -> None:
    add_planned(ana, athlete="Ana", **plan_args(carry={"gel": 3}))
    doc = session_mode(ana, athlete="Ana", planned_id="p-0001", now=now).as_json()
    assert doc["id"] == "p-0001" and doc["title"] == "Run, 3h at 28 °C"
    assert doc["start"] == "2026-06-07T08:00:00+02:00"
    first = doc["drinks"][0]
    assert first["at_min"] == doc["interval_min"]
    assert datetime.fromisoformat(first["at"]) - datetime.fromisoformat(doc["start"]) == timedelta(
        minutes=first["at_min"]
    )
    assert sum("take 1 gel" in d["text"] for d in doc["drinks"]) == 3
    assert datetime.fromisoformat(doc["start"]).astimezone(UTC).hour == 6


def test_deleting_an_athlete_deletes_their_planned_sessions_products_and_reminders(
    ana: AppContext, now: datetime
) -> None:
    from sqlalchemy import text

    from crampwise.services.journal import delete_athlete
    from crampwise.services.reminders import new_feed_token

    add_planned(ana, athlete="Bo", **plan_args())
    new_feed_token(ana, athlete="Ana", now=now)
    add_planned(ana, athlete="Ana", **plan_args(carry={"gel": 1}))
    delete_athlete(ana, athlete="Ana")
    with ana.read() as conn:
        counts = {
            table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("planned_sessions", "products", "reminder_settings")
        }
    assert counts == {"planned_sessions": 1, "products": 0, "reminder_settings": 0}  # Bo's stays
