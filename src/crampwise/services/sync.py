"""Create a cramp, session or day exactly once per client key (offline sync).

A phone that logged a cramp offline sends it when the network returns, perhaps more than once.
With an `Idempotency-Key` (CONTRACTS.md section 6) the first request creates the record and
claims the key in the same transaction; a repeat with the same key and the same body returns
the record as it was created (`created` False) and writes nothing; the same key with another
body, or for another kind of record, is refused with `InvalidInput` naming the key (HTTP 422).

The body compared is what the client sent (before defaults such as "now" are filled in), as a
SHA-256 of its canonical JSON, so a replay an hour later still matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from crampwise.domain.errors import InvalidInput
from crampwise.domain.records import Cramp, Day, Record, Session, record_to_json_dict, validate_record
from crampwise.services.context import AppContext
from crampwise.services.journal import insert_cramp, insert_session, resolve_athlete, upsert_day
from crampwise.storage.sync import MAX_KEY_CHARS, claim_key, remember_record

KINDS: Final = ("cramp", "session", "day")
KEY_FIELD: Final = "Idempotency-Key"
MODELS: Final[dict[str, type[Record]]] = {"cramp": Cramp, "session": Session, "day": Day}


@dataclass(frozen=True)
class Logged:
    """A record and whether this request created it (False: a replay of an earlier key)."""

    record: Record
    created: bool

    def to_json(self) -> dict[str, Any]:
        return record_to_json_dict(self.record)


def body_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the body's canonical JSON (sorted keys; dates and times as ISO text)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_key(key: str | None) -> str | None:
    """The key as sent, or `InvalidInput` when it is empty or longer than 100 characters."""
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_CHARS:
        raise InvalidInput.single(KEY_FIELD, f"expected 1 to {MAX_KEY_CHARS} characters, got {len(key)}")
    return key


def log_once(
    ctx: AppContext,
    *,
    athlete: str | None,
    kind: str,
    data: Mapping[str, Any],
    now: datetime,
    key: str | None = None,
    digest_of: Mapping[str, Any] | None = None,
    confirmed: bool = False,
) -> Logged:
    """Log a new cramp (linked to its session when unambiguous), session or day, once per `key`.

    `digest_of` is what identifies the request when it is not `data` itself (a form's raw text,
    whose values were read into `data`); without a key this is plain logging. Unusual values
    (the same cramp twice, 135 kg for a 61 kg athlete) raise `Unconfirmed` unless `confirmed`;
    a refused request does not use up its key.
    """
    if kind not in KINDS:
        raise InvalidInput.single("kind", f"unknown record kind {kind!r}; expected {'|'.join(KINDS)}")
    key = check_key(key)
    digest = body_digest(data if digest_of is None else digest_of)
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        if key is not None:
            earlier = claim_key(conn=conn, athlete_pk=pk, key=key, kind=kind, body_sha256=digest, now=now)
            if earlier is not None:
                if earlier.kind != kind or earlier.body_sha256 != digest or earlier.record is None:
                    raise InvalidInput.single(
                        KEY_FIELD,
                        f"this key was already used with a different {earlier.kind}; send a new key for a new record",
                    )
                return Logged(validate_record(MODELS[kind], earlier.record), created=False)
        record: Record
        if kind == "cramp":
            record = insert_cramp(conn, pk, who, data=data, now=now, link_session=True, confirmed=confirmed)
        elif kind == "session":
            record = insert_session(conn, pk, who, data=data, now=now, confirmed=confirmed)
        else:
            record = upsert_day(conn, pk, who, data=data, now=now)
        if key is not None:
            remember_record(conn=conn, athlete_pk=pk, key=key, record=record_to_json_dict(record))
    return Logged(record, created=True)
