"""`/api/v1/cramps`, `/sessions` and `/days`: the journal's records with the bundle's field names.

POST creates a record (201) from a JSON object of bundle fields, validated by the domain's
records (422 naming the field's path); with an `Idempotency-Key` header a repeat returns the
record created the first time (200) and the same key with another body is refused (422).
PUT sets the fields given (the others stay; `null` sets a field to unknown); DELETE removes the
record (204). A record of another athlete, or none, is 404. Unusual values answer 422 with
`type` `unconfirmed` and are stored when sent again with `?confirmed=true`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response
from fastapi.responses import JSONResponse

from crampwise.domain.records import Cramp, Day, Session, record_to_json_dict
from crampwise.services import journal
from crampwise.services.sync import log_once
from crampwise.web.deps import Athlete, Ctx, Now

router = APIRouter()

Key = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Any string up to 100 characters chosen by the client: a repeat returns the first result.",
    ),
]
Last = Annotated[int | None, "only the N most recent records"]
Confirmed = Annotated[
    bool,
    Query(
        description="Store values that are possible but unusual (the same cramp twice, 135 kg for a "
        "61 kg athlete); without it they answer 422 with type `unconfirmed`."
    ),
]
MODELS = {"cramps": Cramp, "sessions": Session, "days": Day}
KIND = {"cramps": "cramp", "sessions": "session", "days": "day"}


def _body_schema(model: type[Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }


def _create(noun: str) -> None:
    model = MODELS[noun]

    @router.post(
        f"/{noun}",
        status_code=201,
        summary=f"Log a {KIND[noun]}",
        responses={
            201: {"model": model, "description": "Created"},
            200: {"model": model, "description": "A replay"},
        },
        openapi_extra=_body_schema(model),
        name=f"create_{KIND[noun]}",
    )
    def create(
        ctx: Ctx,
        athlete: Athlete,
        now: Now,
        body: Annotated[dict[str, Any], Body()],
        key: Key = None,
        confirmed: Confirmed = False,
    ) -> JSONResponse:
        logged = log_once(
            ctx, athlete=athlete, kind=KIND[noun], data=body, now=now, key=key, confirmed=confirmed
        )
        return JSONResponse(logged.to_json(), status_code=201 if logged.created else 200)


def _list(noun: str) -> None:
    listed: Any = list.__class_getitem__(MODELS[noun])

    @router.get(
        f"/{noun}", summary=f"List the {noun}", responses={200: {"model": listed}}, name=f"list_{noun}"
    )
    def listing(ctx: Ctx, athlete: Athlete, last: int | None = None) -> JSONResponse:
        records: tuple[Any, ...] = getattr(journal.load_history(ctx, athlete=athlete, only=noun), noun)
        if last is not None and last > 0:
            records = records[-last:]
        return JSONResponse([record_to_json_dict(r) for r in records])


def _item(noun: str) -> None:
    kind, model = KIND[noun], MODELS[noun]

    @router.get(
        f"/{noun}/{{record_id}}", summary=f"One {kind}", responses={200: {"model": model}}, name=f"get_{kind}"
    )
    def get(record_id: str, ctx: Ctx, athlete: Athlete) -> JSONResponse:
        record = journal.get_record(ctx, athlete=athlete, kind=kind, record_id=record_id)
        return JSONResponse(record_to_json_dict(record))

    @router.put(
        f"/{noun}/{{record_id}}",
        summary=f"Change fields of a {kind}",
        responses={200: {"model": model}},
        name=f"update_{kind}",
    )
    def put(
        record_id: str,
        ctx: Ctx,
        athlete: Athlete,
        now: Now,
        body: Annotated[dict[str, Any], Body()],
        confirmed: Confirmed = False,
    ) -> JSONResponse:
        if kind == "cramp":
            record: Any = journal.update_cramp(
                ctx, athlete=athlete, cramp_id=record_id, changes=body, now=now
            )
        else:
            record = journal.update_session(
                ctx, athlete=athlete, session_id=record_id, changes=body, now=now, confirmed=confirmed
            )
        return JSONResponse(record_to_json_dict(record))

    @router.delete(
        f"/{noun}/{{record_id}}", status_code=204, summary=f"Delete a {kind}", name=f"delete_{kind}"
    )
    def delete(record_id: str, ctx: Ctx, athlete: Athlete) -> Response:
        journal.delete_record(ctx, athlete=athlete, kind=kind, record_id=record_id)
        return Response(status_code=204)


for _noun in ("cramps", "sessions", "days"):
    _create(_noun)
    _list(_noun)
for _noun in ("cramps", "sessions"):
    _item(_noun)
