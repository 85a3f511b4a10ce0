"""Settings, gels and drinks (`/settings/products`): the products the plan counts when carried."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crampwise.domain.errors import InvalidInput
from crampwise.services.products import FIELDS, product_shelf, read_product, remove_product, save_product
from crampwise.web.deps import Athlete, Ctx
from crampwise.web.forms import FormState, form_values
from crampwise.web.rendering import page

router = APIRouter(include_in_schema=False)

LABELS = {
    "name": "Name",
    "carbohydrate_g": "Carbohydrate",
    "sodium_mg": "Sodium",
    "fluid_ml": "Fluid",
    "form": "Form",
}


def _render(
    request: Request, ctx: Ctx, athlete: str | None, form: FormState, note: str | None, status: int = 200
) -> Response:
    shelf = product_shelf(ctx, athlete=athlete)
    context = {
        "form": form,
        "products": shelf.products,
        "units": shelf.units.value,
        "note": note,
        "active": "/more",
    }
    return page(request, "products.html.j2", context, status_code=status)


@router.get("/settings/products")
def products_page(
    request: Request, ctx: Ctx, athlete: Athlete, saved: str | None = None, removed: str | None = None
) -> Response:
    note = f"Saved {saved}." if saved else f"Removed {removed}." if removed else None
    return _render(request, ctx, athlete, FormState(values={}, fields=LABELS), note)


@router.post("/settings/products")
async def add(request: Request, ctx: Ctx, athlete: Athlete) -> Response:
    values = await form_values(request)
    units = product_shelf(ctx, athlete=athlete).units
    try:
        saved = save_product(
            ctx, athlete=athlete, product=read_product({k: values.get(k, "") for k in FIELDS}, units=units)
        )
    except InvalidInput as exc:
        return _render(request, ctx, athlete, FormState(values=values, fields=LABELS).fail(exc), None, 422)
    return RedirectResponse(f"/settings/products?saved={quote(saved.product.name)}", status_code=303)


@router.post("/settings/products/remove")
async def remove(request: Request, ctx: Ctx, athlete: Athlete) -> Response:
    values = await form_values(request)
    removed = remove_product(ctx, athlete=athlete, name=str(values.get("name", "")))
    return RedirectResponse(f"/settings/products?removed={quote(removed.product.name)}", status_code=303)
