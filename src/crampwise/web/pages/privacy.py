"""Privacy (`/privacy`, server mode): download everything kept about the account, or delete it
and all its data for good."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.privacy import delete_account, export_archive
from crampwise.web import auth
from crampwise.web.deps import Ctx, Me, Now
from crampwise.web.forms import FormState, form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)
LABELS = {"password": "Your password", "confirm": "Your user name", "form": "Form"}


@router.get("/privacy")
def privacy_page(request: Request, me: Me) -> Response:
    return page(request, "privacy.html.j2", {"me": me, "form": FormState(fields=LABELS), "active": "/more"})


@router.get("/privacy/export.zip")
def export(ctx: Ctx, me: Me, now: Now) -> Response:
    return Response(
        export_archive(ctx, identity=me, now=now),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="crampwise-{me.account.username}.zip"'},
    )


@router.post("/privacy/delete")
async def delete(request: Request, ctx: Ctx, me: Me, now: Now) -> Response:
    values = await form_values(request)
    try:
        delete_account(
            ctx,
            identity=me,
            password=values.get("password", ""),
            confirm=values.get("confirm", ""),
            address=auth.client_address(request),
            now=now,
        )
    except InvalidInput as exc:
        form = FormState(values={"confirm": values.get("confirm", "")}, fields=LABELS).fail(exc)
        return page(request, "privacy.html.j2", {"me": me, "form": form, "active": "/more"}, status_code=422)
    response = RedirectResponse("/login?deleted=true", status_code=303)
    auth.clear_cookie(response, request, auth.SESSION_COOKIE)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
