"""Accounts of server mode: roles, user names and the password rule (pure: no I/O, no clock).

A user name is what a person types to sign in and what others type to name them (an athlete
grants access to `coach.lee`; a coach reads `/api/v1/athletes/ana/cramps`), so it is short,
lower-case and safe in a URL path. Passwords are checked for length only (NIST SP 800-63B:
length, not composition rules); the upper bound keeps a hashing request cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from crampwise.domain.errors import InvalidInput

USERNAME_RE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
MIN_PASSWORD_CHARS: Final = 12
MAX_PASSWORD_CHARS: Final = 1024


class Role(StrEnum):
    """What an account is for. Only an athlete keeps a journal; only a coach or a clinician can
    be granted read access to one; an admin manages the server and reads no health record."""

    ATHLETE = "athlete"
    COACH = "coach"
    CLINICIAN = "clinician"
    ADMIN = "admin"

    @property
    def can_be_granted(self) -> bool:
        return self in (Role.COACH, Role.CLINICIAN)


def parse_role(text: str, field: str = "role") -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput.single(
            field, f"unknown role {text!r}; expected {'|'.join(r.value for r in Role)}"
        ) from None


def normalize_username(text: str, field: str = "username") -> str:
    """The canonical (lower-case) user name, or `InvalidInput` naming `field` and the form."""
    name = text.strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise InvalidInput.single(
            field,
            f"{text!r} is not a user name; expected 2-40 characters: lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
        )
    return name


def check_password(password: str, *, username: str, field: str = "password") -> str:
    """`password` if it is acceptable (12 to 1024 characters, not the user name)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput.single(field, f"too short; use at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput.single(field, f"too long; use at most {MAX_PASSWORD_CHARS} characters")
    if password.strip().lower() == username.lower():
        raise InvalidInput.single(field, "must not be the user name")
    return password


@dataclass(frozen=True)
class Account:
    """One account as the faces see it (never its password hash)."""

    pk: int
    username: str
    role: Role
    disabled: bool
    athlete_pk: int | None
    created_at: datetime
    second_factor: bool = False

    @property
    def keeps_journal(self) -> bool:
        return self.athlete_pk is not None


@dataclass(frozen=True)
class ApiToken:
    """A bearer token as its owner sees it on the tokens page (never the token itself)."""

    pk: int
    label: str
    prefix: str  # the first characters of the token, to tell tokens apart
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class Passkey:
    """A registered WebAuthn credential as its owner sees it."""

    pk: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
