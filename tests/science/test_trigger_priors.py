"""The pre-specified families of the trigger model (docs/science-triggers.md section 2): the
factors with prospective cohort support are the primary family, every other one, an athlete's
own included, is secondary with the default Cauchy(0, 2.5) prior under its own name.

Mutation testing found that no science test noticed if every factor got the default prior."""

from __future__ import annotations

import pytest

from crampwise.science.exposures import DAY_FACTORS, SESSION_FACTORS
from crampwise.science.trigger_priors import DEFAULT_PRIOR, prior_of


@pytest.mark.parametrize(
    ("level", "name"),
    [
        ("session", "long_session"),
        ("session", "hard_session"),
        ("day", "trained_long"),
        ("day", "trained_hard"),
    ],
)
def test_longer_and_harder_than_usual_are_the_primary_family(level: str, name: str) -> None:
    prior = prior_of(name, level)  # type: ignore[arg-type]
    assert (prior.name, prior.family) == (name, "primary")


def test_every_other_built_in_factor_is_secondary_under_its_own_name() -> None:
    primary = {"long_session", "hard_session", "trained_long", "trained_hard"}
    for level, names in (("session", SESSION_FACTORS), ("day", DAY_FACTORS)):
        for name in names:
            prior = prior_of(name, level)  # type: ignore[arg-type]
            assert prior.name == name
            assert prior.family == ("primary" if name in primary else "secondary"), (level, name)


def test_an_own_factor_gets_the_default_cauchy_prior_under_its_name() -> None:
    prior = prior_of("new_shoes", "session")
    assert prior.name == "new_shoes" and prior.family == "secondary"
    assert (prior.centre_log_or, prior.scale_log_or, prior.df) == (0.0, 2.5, 1.0)
    assert prior == DEFAULT_PRIOR.__class__(name="new_shoes", family="secondary")


def test_a_factor_is_known_at_its_own_level_only() -> None:
    """`trained_long` is a day factor: as a session factor it is unknown, so secondary."""
    assert prior_of("trained_long", "session").family == "secondary"
    assert prior_of("long_session", "day").family == "secondary"
