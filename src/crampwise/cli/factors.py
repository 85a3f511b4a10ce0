"""`crampwise factor add|list|rename|remove`: the athlete's own factors.

The athlete defines what they suspect (new shoes, caffeine, an evening match) and tags records
with it (`log session --tag new-shoes`, `log day --tag caffeine_mg=200`); `insights` tests each
factor like the built-in ones, marked as the athlete's own.
"""

from __future__ import annotations

from typing import Annotated

import typer

from crampwise.cli.common import print_json, state
from crampwise.cli.journal import JsonFlag, services
from crampwise.domain.errors import InvalidInput

Level = Annotated[
    str,
    typer.Option(
        "--level",
        help="Where you record it: session (each session) or day (each day).",
        metavar="session|day",
    ),
]
Kind = Annotated[
    str,
    typer.Option(
        "--kind",
        help="yes-no (new shoes: yes or no) or number (caffeine: 200). Default yes-no.",
        metavar="yes-no|number",
    ),
]
Name = Annotated[str, typer.Argument(help="The factor's name (new-shoes is stored as new_shoes).")]


def factor_add(
    ctx: typer.Context, name: Name, level: Level, kind: Kind = "yes-no", as_json: JsonFlag = False
) -> None:
    """Define a factor of your own to tag sessions or days with, e.g. new shoes or caffeine."""
    from crampwise.services import factors

    with services(ctx) as app:
        try:
            factor = factors.add_factor(app, athlete=state(ctx).athlete, name=name, level=level, kind=kind)
        except InvalidInput as exc:
            flags = {"name": "NAME", "level": "--level", "kind": "--kind"}
            raise InvalidInput([type(e)(flags.get(e.path, e.path), e.message) for e in exc.errors]) from None
    if as_json:
        print_json(factor.model_dump(mode="json"))
        return
    how = f"{factor.name}=VALUE" if factor.kind == "number" else factor.name
    typer.echo(
        f"Added {factor.level} factor {factor.name} ({factor.kind.replace('_', '/')}). "
        f"Tag it with: crampwise log {factor.level} --tag {how}"
    )


def factor_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List your own factors, with how many records carry each."""
    from crampwise.cli.journal_render import table
    from crampwise.services import factors

    with services(ctx) as app:
        uses = factors.list_factors(app, athlete=state(ctx).athlete)
    if as_json:
        print_json([use.to_json() for use in uses])
    elif not uses:
        typer.echo("No factors of your own yet; add one with: crampwise factor add new-shoes --level session")
    else:
        rows = [
            [u.factor.name, u.factor.level, u.factor.kind.replace("_", "/"), str(u.tagged), str(u.exposed)]
            for u in uses
        ]
        typer.echo(table(["NAME", "LEVEL", "KIND", "TAGGED", "YES OR > 0"], rows))


def factor_rename(
    ctx: typer.Context,
    name: Name,
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME", help="The new name.")],
) -> None:
    """Rename one of your factors; every record tagged with it keeps its value."""
    from crampwise.services import factors

    with services(ctx) as app:
        factor, changed = factors.rename_factor(app, athlete=state(ctx).athlete, name=name, new_name=new_name)
    typer.echo(f"Renamed {name} to {factor.name} ({changed} records retagged).")


def factor_remove(
    ctx: typer.Context,
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; remove it and its tags at once.")] = False,
) -> None:
    """Remove one of your factors and its tags from every record (not undone)."""
    import sys

    from crampwise.services import factors

    with services(ctx) as app:
        athlete = state(ctx).athlete
        use = factors.factor_use(app, athlete=athlete, name=name)
        if use.tagged and not yes:
            what = f"{use.factor.name} and its tags on {use.tagged} records"
            if not sys.stdin.isatty():
                raise InvalidInput.single("--yes", f"removing {what} is not undone; add --yes to remove it")
            if not typer.confirm(f"Remove {what}? This is not undone", default=False):
                typer.echo("Nothing removed.")
                return
        factor, changed = factors.remove_factor(app, athlete=athlete, name=name)
    typer.echo(f"Removed factor {factor.name} ({changed} records untagged).")


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Your own factors (new shoes, caffeine...): add, list, rename, remove.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(group, name="factor")
    group.command("add")(factor_add)
    group.command("list")(factor_list)
    group.command("rename")(factor_rename)
    group.command("remove")(factor_remove)
