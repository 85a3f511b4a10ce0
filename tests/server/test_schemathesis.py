"""Schemathesis against the server-mode OpenAPI document: generated requests (valid and not)
to every operation, as an athlete and as a coach, find no 500 and no response that breaks the
document's schema (content type and body).

One pytest item per operation (the list read from the document at collection); Hypothesis
drives each one with Schemathesis's strategies, positive and negative.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from crampwise.services.accounts import get_user
from crampwise.services.api_tokens import issue_token
from crampwise.services.context import AppContext, open_context
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW
from tests.server.conftest import build_world, server_settings_for

pytestmark = pytest.mark.slow
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 15


def _labels() -> list[str]:
    document = create_app(server_settings_for("sqlite:///:memory:", Path("."))).openapi()
    return sorted(f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item)


LABELS = _labels()


@pytest.fixture(scope="module")
def fuzz_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with open_context(server_settings_for(f"sqlite:///{folder / 'fuzz.db'}", folder)) as ctx:
        build_world(ctx)
        yield ctx


@pytest.fixture(scope="module")
def api_schema(fuzz_ctx: AppContext) -> Any:
    return schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(fuzz_ctx.settings, clock=lambda: FIXED_NOW)
    )


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    found = sorted(result.ok().label for result in api_schema.get_all_operations())
    assert found == LABELS and len(found) >= 30


@pytest.mark.parametrize("label", LABELS)
def test_no_500_and_no_answer_outside_the_schema(label: str, api_schema: Any, fuzz_ctx: AppContext) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )
    calls = []

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        for name in ("ana", "lee"):  # a fresh token each time: a fuzzed DELETE /tokens/{id} may revoke one
            token = issue_token(fuzz_ctx, account=get_user(fuzz_ctx, username=name), now=FIXED_NOW)[0]
            response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
            calls.append(response.status_code)

    run()
    assert calls and all(code < 500 for code in calls)
