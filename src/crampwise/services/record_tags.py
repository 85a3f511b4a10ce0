"""Own-factor tags on the records a user logs: checked, defaulted and changed (issue 16).

Used by the journal service for every face (CLI, forms, API): a tag must name one of the
athlete's factors of the record's level, with a value of its kind; a new record's untagged
yes/no factors are a known no; a day field the athlete types stops counting as imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from crampwise.domain.enums import FactorKind, FactorLevel
from crampwise.domain.errors import InvalidInput
from crampwise.domain.factors import Factor, tag_errors
from crampwise.domain.records import Day, Session

T = TypeVar("T", Session, Day)


def checked_tags(record: T, factors: list[Factor], level: FactorLevel) -> T:
    """The record, or `InvalidInput` naming each tag the athlete's factors do not allow."""
    errors = tag_errors(record.tags, factors, level=level, path="tags")
    if errors:
        raise InvalidInput(errors)
    return record


def known_noes(tags: Mapping[str, Any], factors: list[Factor], level: FactorLevel) -> dict[str, Any]:
    """A new record's tags with every yes/no factor of its level not tagged set to a known no.

    Whoever logs a record in crampwise has the athlete's factors in view (the form's chips, the
    `--tag` flag): an untagged yes/no factor is a "no", so the analysis has unexposed records to
    compare with. Imported records (files, wellness) are left unknown instead.
    """
    out = dict(tags)
    for factor in factors:
        if factor.level == level and factor.kind == FactorKind.YES_NO:
            out.setdefault(factor.name, False)
    return out


def with_tag_changes(tags: Mapping[str, Any], changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """Tags with `changes` applied: a value sets a tag, None removes it (unknown again)."""
    out = dict(tags)
    for name, value in (changes or {}).items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


def typed_now(values: Mapping[str, Any], given: Mapping[str, Any]) -> list[str]:
    """A day's `imported_fields` without the fields the athlete has just typed (now theirs)."""
    return [name for name in values.get("imported_fields") or [] if name not in given]
