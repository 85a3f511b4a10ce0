"""What a form shows: the values as typed, the message of each bad field, and field labels.

Forms keep what the athlete typed (the text, not the parsed value) so a rejected form comes
back exactly as it was, with the message beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from crampwise.domain.errors import InvalidInput, Unconfirmed

CONFIRM_FIELD = "confirmed"  # the "Yes, this is right" checkbox an unusual value asks for


def confirmed(values: dict[str, Any]) -> bool:
    """Whether the form came back with "Yes, this is right" ticked."""
    return str(values.get(CONFIRM_FIELD, "")).strip().lower() in ("yes", "true", "on", "1")


@dataclass
class FormState:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # name -> label, for the error summary
    unconfirmed: bool = False  # the values are possible but unusual: ask "Yes, this is right"

    def fail(self, exc: InvalidInput, *, general: str = "form") -> FormState:
        """Attach each error to its field (unknown paths go under `general`).

        An `Unconfirmed` error (135 kg for a 61 kg athlete, the same cramp twice) stored nothing
        and asks for a confirmation: the form shows the message by the field and a checkbox,
        unticked, that sends the form again with `confirmed=yes`.
        """
        self.unconfirmed = isinstance(exc, Unconfirmed)
        self.values.pop(CONFIRM_FIELD, None)
        for error in exc.errors:
            name = error.path.split(".")[0].split("[")[0]
            name = name if name in self.fields else general
            self.errors[name] = (
                f"{self.errors[name]}; {error.message}" if name in self.errors else error.message
            )
        return self


async def form_values(request: Request, multi: Sequence[str] = ()) -> dict[str, Any]:
    """The submitted fields: text (stripped of nothing: kept as typed), lists for `multi` names."""
    data = await request.form()
    values: dict[str, Any] = {}
    for name in data:
        if name in multi:
            values[name] = [str(v) for v in data.getlist(name) if isinstance(v, str)]
        else:
            raw = data.get(name)
            values[name] = raw if isinstance(raw, str) else ""
    return values


def wants_key(request: Request) -> str | None:
    """The client's Idempotency-Key header (the offline queue sends one with each record)."""
    return request.headers.get("Idempotency-Key")


def options(pairs: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(pairs.items())
