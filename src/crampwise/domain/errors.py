"""Errors that carry the field they are about, so every face can name it.

Faces map them to exit codes (CONTRACTS.md section 2): `InvalidInput` and `NotFound` -> 2,
`StoreError` -> 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CrampwiseError(Exception):
    """Base class of every error crampwise reports to a user."""


@dataclass(frozen=True)
class FieldError:
    """One bad field: its path (`sessions[3].post_mass_kg`), what is wrong, what is accepted."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class InvalidInput(CrampwiseError):
    """Bad input from a user: one or more fields with what is wrong and the accepted form."""

    errors: list[FieldError] = field(default_factory=list)

    @classmethod
    def single(cls, path: str, message: str) -> InvalidInput:
        return cls([FieldError(path, message)])

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)


class NotFound(CrampwiseError):
    """A record, athlete or file the user named does not exist (exit 2)."""


class NotSetUp(NotFound):
    """Nothing to act on yet: no store, or a store without an athlete (a first run).

    Faces answer it with the way to start (the CLI's `athlete add`, the web's settings form)
    rather than as a missing record.
    """


class StoreError(CrampwiseError):
    """The store or the file system failed (exit 3); nothing was half-written."""


@dataclass
class Unconfirmed(InvalidInput):
    """Values that are possible but unusual (135 kg for a 61 kg athlete, the same cramp twice).

    Nothing is stored; the face asks the user to confirm (the CLI's `--confirm`, a form's
    checkbox) and the service stores them when called again with `confirmed=True`.
    """
