"""The athlete's products: the gels, bars and drinks they carry (`crampwise product`, /settings/products).

What one unit holds is read from what the athlete typed, by the same rules on the CLI and the
web: carbohydrate in g (`25g` or `25`), sodium in mg (`50mg`, `0.2g` or a bare number of mg),
fluid in the athlete's volume unit (`500ml`, `16oz`; a bare number is ml, or fl oz for an
imperial athlete; `0` for a gel or a bar). A name given again replaces that product.

`carried_products` turns a plan's `carry` (name -> units, `--carry gel=3`) into the products
counted by science/race_food.py; an unknown name is `InvalidInput` on `carry` listing the
athlete's products.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import FieldError, InvalidInput, NotFound
from crampwise.domain.planned import MAX_CARRIED_UNITS, Product, product_key
from crampwise.domain.records import validate_record
from crampwise.science.race_food import Carried
from crampwise.services import field_input
from crampwise.services.context import AppContext
from crampwise.services.journal import resolve_athlete
from crampwise.storage import planned as store

FIELDS = ("name", "carbohydrate_g", "sodium_mg", "fluid_ml")
_GRAMS = re.compile(r"(?P<num>.*?)\s*g?", re.IGNORECASE)


@dataclass(frozen=True)
class SavedProduct:
    product: Product
    created: bool


def _grams(raw: str, name: str) -> float:
    """`25g`, `25 g` or a bare `25`: grams of carbohydrate."""
    match = _GRAMS.fullmatch(raw.strip())
    number_text = match.group("num") if match else raw
    if not number_text or re.search(r"[a-z]", number_text, re.IGNORECASE):
        raise InvalidInput.single(name, f"cannot read {raw!r}; expected grams, e.g. 25g or 25")
    return field_input.number(number_text, name)


def read_product(
    raw: Mapping[str, str], *, units: UnitSystem, names: Mapping[str, str] | None = None
) -> Product:
    """A product from typed text; `InvalidInput` naming every bad field (by `names`, e.g. flags)."""
    shown = {f: (names or {}).get(f, f) for f in FIELDS}
    text = {k: str(v).strip() for k, v in raw.items() if v is not None}
    errors: list[FieldError] = []
    values: dict[str, object] = {"name": text.get("name", "")}

    def fluid(raw_text: str, name: str) -> float:
        return field_input.volume_ml(raw_text, name, units=units)

    readers: dict[str, Callable[[str, str], float]] = {
        "carbohydrate_g": _grams,
        "sodium_mg": field_input.sodium_mg,
        "fluid_ml": fluid,
    }
    examples = {"carbohydrate_g": "25g", "sodium_mg": "50mg", "fluid_ml": "0 for a gel, 500ml for a bottle"}
    for field, read in readers.items():
        if not text.get(field):
            errors.append(FieldError(shown[field], f"required, e.g. {examples[field]}"))
            continue
        try:
            values[field] = read(text[field], shown[field])
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if not values["name"]:
        errors.insert(0, FieldError(shown["name"], "required, e.g. gel or iso drink 500ml"))
    if errors:
        raise InvalidInput(errors)
    try:
        return validate_record(Product, values)
    except InvalidInput as exc:
        raise InvalidInput([FieldError(shown.get(e.path, e.path), e.message) for e in exc.errors]) from None


def save_product(ctx: AppContext, *, athlete: str | None, product: Product) -> SavedProduct:
    """Store a product for this athlete (replacing one of the same name)."""
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        created = store.upsert_product(conn=conn, athlete_pk=pk, product=product)
    return SavedProduct(product, created)


def list_products(ctx: AppContext, *, athlete: str | None) -> list[Product]:
    return product_shelf(ctx, athlete=athlete).products


@dataclass(frozen=True)
class Shelf:
    """The athlete's products and the unit system to show them in."""

    products: list[Product]
    units: UnitSystem


def product_shelf(ctx: AppContext, *, athlete: str | None) -> Shelf:
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return Shelf(store.list_products(conn=conn, athlete_pk=pk), who.units)


@dataclass(frozen=True)
class RemovedProduct:
    product: Product
    planned_ids: tuple[str, ...]
    """Planned sessions that carried it: it is taken off their list too."""


def remove_product(ctx: AppContext, *, athlete: str | None, name: str) -> RemovedProduct:
    """Forget a product, and take it off the planned sessions that carried it (`NotFound` if none)."""
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        found = store.get_product(conn=conn, athlete_pk=pk, name=name)
        if found is None:
            raise NotFound(f"product: {_unknown(name, store.list_products(conn=conn, athlete_pk=pk))}")
        store.delete_product(conn=conn, athlete_pk=pk, name=name)
        touched = store.drop_carried(conn=conn, athlete_pk=pk, name=found.name)
    return RemovedProduct(found, tuple(touched))


def _unknown(name: str, known: Iterable[Product]) -> str:
    names = ", ".join(p.name for p in known)
    listing = f"your products: {names}" if names else "you have no products yet"
    return (
        f"no product named {name!r}; {listing} (add it with crampwise product add, or on /settings/products)"
    )


def resolve_carry(conn: Connection, athlete_pk: int, carry: Mapping[str, int]) -> list[Carried]:
    """The products named in `carry`, with their units, in the athlete's spelling."""
    return carried_from(store.list_products(conn=conn, athlete_pk=athlete_pk), carry)


def carried_from(known: Sequence[Product], carry: Mapping[str, int]) -> list[Carried]:
    """`carry` (name -> units) against the athlete's products; `InvalidInput` on `carry`."""
    by_key = {product_key(p.name): p for p in known}
    carried: dict[str, Carried] = {}
    for name, units in carry.items():
        product = by_key.get(product_key(name))
        if product is None:
            raise InvalidInput.single("carry", _unknown(name, known))
        if not isinstance(units, int) or isinstance(units, bool) or not 1 <= units <= MAX_CARRIED_UNITS:
            raise InvalidInput.single("carry", f"{name}={units}: expected 1 to {MAX_CARRIED_UNITS} units")
        previous = carried.get(product.name)
        carried[product.name] = Carried(product, units + (previous.units if previous else 0))
    return list(carried.values())


def carried_products(ctx: AppContext, *, athlete: str | None, carry: Mapping[str, int]) -> list[Carried]:
    with ctx.read() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        return resolve_carry(conn, pk, carry)


def parse_carry(texts: Iterable[str], *, name: str = "carry") -> dict[str, int]:
    """`gel=3,iso drink=2` (and repeated options) as {name: units}; a name given twice adds up."""
    out: dict[str, int] = {}
    for text in texts:
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            product, sep, count = part.rpartition("=")
            product = product.strip()
            if not sep or not product:
                raise InvalidInput.single(name, f"cannot read {part!r}; expected NAME=UNITS, e.g. gel=3")
            try:
                units = int(count.strip())
            except ValueError:
                raise InvalidInput.single(
                    name, f"cannot read {part!r}; the units are a whole number, e.g. gel=3"
                ) from None
            if not 1 <= units <= MAX_CARRIED_UNITS:
                raise InvalidInput.single(name, f"{part!r}: expected 1 to {MAX_CARRIED_UNITS} units")
            out[product] = out.get(product, 0) + units
    return out


def carry_from_form(raw: Mapping[str, str], *, prefix: str = "carry:") -> dict[str, int]:
    """The plan form's number fields `carry:NAME` (empty or 0: not carried)."""
    texts = []
    for key, value in raw.items():
        if key.startswith(prefix) and str(value).strip() not in ("", "0"):
            texts.append(f"{key[len(prefix) :]}={str(value).strip()}")
    return parse_carry(texts)
