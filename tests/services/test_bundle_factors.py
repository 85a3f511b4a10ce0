"""Own factors and tags in bundles (CONTRACTS.md section 3, "Additions in v1")."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest

from crampwise.domain.errors import InvalidInput
from crampwise.services.bundles import export_bundle, import_bundle
from crampwise.services.context import AppContext
from tests.conftest import make_sample_bundle


def tagged_bundle() -> dict[str, Any]:
    bundle = make_sample_bundle()
    bundle["athlete"]["factors"] = [
        {"name": "new_shoes", "level": "session", "kind": "yes_no"},
        {"name": "caffeine_mg", "level": "day", "kind": "number"},
    ]
    bundle["sessions"][0]["tags"] = {"new_shoes": True}
    bundle["sessions"][1]["tags"] = {"new_shoes": False}
    bundle["days"][0]["tags"] = {"caffeine_mg": 200}
    return bundle


def test_export_import_export_is_stable_with_factors_and_tags(ctx: AppContext, now: datetime) -> None:
    import_bundle(ctx, data=tagged_bundle(), now=now)
    first = export_bundle(ctx, athlete="Ana")
    assert first["athlete"]["factors"] == [
        {"name": "caffeine_mg", "level": "day", "kind": "number"},
        {"name": "new_shoes", "level": "session", "kind": "yes_no"},
    ]
    assert [s["tags"] for s in first["sessions"]] == [{"new_shoes": True}, {"new_shoes": False}]
    assert first["days"][0]["tags"] == {"caffeine_mg": 200} and first["days"][1]["tags"] == {}
    again = import_bundle(ctx, data=json.loads(json.dumps(first)), now=now)
    assert not again.changed
    assert json.dumps(export_bundle(ctx, athlete="Ana"), sort_keys=True) == json.dumps(first, sort_keys=True)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda b: b["sessions"][0].update(tags={"old_shoes": True}),
            "sessions[0].tags.old_shoes",
            "no factor named 'old_shoes'",
        ),
        (
            lambda b: b["sessions"][0].update(tags={"new_shoes": 2}),
            "sessions[0].tags.new_shoes",
            "is a yes/no factor",
        ),
        (
            lambda b: b["days"][0].update(tags={"caffeine_mg": True}),
            "days[0].tags.caffeine_mg",
            "is a number factor",
        ),
        (
            lambda b: b["days"][0].update(tags={"new_shoes": True}),
            "days[0].tags.new_shoes",
            "is a session factor",
        ),
        (
            lambda b: b["days"][0].update(tags={"caffeine_mg": "lots"}),
            "days[0].tags.caffeine_mg",
            "expected true, false or a number",
        ),
        (
            lambda b: b["athlete"]["factors"].append({"name": "heat", "level": "day"}),
            "athlete.factors[2].name",
            "one of crampwise's own factors",
        ),
        (
            lambda b: b["athlete"]["factors"].append({"name": "New Shoes", "level": "day"}),
            "athlete.factors[2].name",
            "is not a factor name",
        ),
    ],
)
def test_a_bad_tag_or_factor_is_rejected_with_its_path_and_nothing_imports(
    ctx: AppContext, now: datetime, change: Any, path: str, message: str
) -> None:
    bundle = tagged_bundle()
    change(bundle)
    with pytest.raises(InvalidInput) as info:
        import_bundle(ctx, data=bundle, now=now)
    [error] = info.value.errors
    assert error.path == path and message in error.message
    with pytest.raises(Exception, match="no athlete"):
        export_bundle(ctx, athlete=None)


def test_a_bundle_adds_factors_and_may_tag_with_stored_ones(ctx: AppContext, now: datetime) -> None:
    import_bundle(ctx, data=tagged_bundle(), now=now)
    partial = make_sample_bundle()
    partial["athlete"]["factors"] = [{"name": "pickle_juice", "level": "day", "kind": "yes_no"}]
    partial["sessions"] = [dict(partial["sessions"][0], tags={"new_shoes": False})]  # a stored factor
    partial["cramps"], partial["days"] = (
        [],
        [dict(partial["days"][0], tags={"pickle_juice": True, "caffeine_mg": 0})],
    )
    import_bundle(ctx, data=partial, now=now)
    document = export_bundle(ctx, athlete="Ana")
    assert [f["name"] for f in document["athlete"]["factors"]] == ["caffeine_mg", "new_shoes", "pickle_juice"]
    assert document["sessions"][0]["tags"] == {"new_shoes": False}
    conflict = copy.deepcopy(partial)
    conflict["athlete"]["factors"] = [{"name": "new_shoes", "level": "day", "kind": "yes_no"}]
    with pytest.raises(InvalidInput) as info:
        import_bundle(ctx, data=conflict, now=now)
    assert info.value.errors[0].path == "athlete.factors[0]"
