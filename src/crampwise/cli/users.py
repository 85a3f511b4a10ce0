"""`crampwise user add|list|disable|enable|passwd`: the accounts of server mode.

The password is read from standard input (`--password-stdin`: the first line, so
`printf '%s\n' "$PW" | crampwise user add ...` works in scripts and never shows in `ps`), or
asked twice without echo on a terminal. Accounts live in the same store as the journal, so
these commands act on `--db` like every other.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from crampwise.cli.common import fail, print_json, reported_errors, state

if TYPE_CHECKING:
    from crampwise.domain.accounts import Account
    from crampwise.services.context import AppContext

ROLES = "athlete|coach|clinician|admin"
StdinFlag = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


@contextmanager
def _services(ctx: typer.Context) -> Iterator[AppContext]:
    from crampwise.config import load_settings
    from crampwise.services.context import open_context

    root = state(ctx)
    with reported_errors(), open_context(load_settings(database_url=root.db)) as app:
        yield app


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            fail("--password-stdin: standard input held no password; give it on the first line")
        return password.removesuffix("\r")
    if not sys.stdin.isatty():
        fail("--password-stdin: no terminal to ask on; pipe the password in with --password-stdin")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        fail("password: the two passwords differ; try again")
    return first


def _line(account: Account) -> str:
    state_word = "disabled" if account.disabled else "active"
    journal = " (keeps a journal)" if account.keeps_journal else ""
    return f"{account.username}\t{account.role.value}\t{state_word}{journal}"


def _json(account: Account) -> dict[str, object]:
    return {
        "username": account.username,
        "role": account.role.value,
        "disabled": account.disabled,
        "keeps_journal": account.keeps_journal,
        "second_factor": account.second_factor,
        "created_at": account.created_at.isoformat(),
    }


def register(app: typer.Typer) -> None:
    """Add the `user` group to the root app."""
    group = typer.Typer(
        help="Accounts of server mode (crampwise serve --multi-user). Example: "
        "printf '%s\\n' \"$PASSWORD\" | crampwise user add ana --role athlete --password-stdin",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(group, name="user")

    @group.command("add")
    def add(
        ctx: typer.Context,
        name: Annotated[
            str, typer.Argument(help="User name: 2-40 lower-case letters, digits, '.', '_', '-'.")
        ],
        role: Annotated[str, typer.Option("--role", help=f"One of {ROLES}.", metavar=ROLES)],
        password_stdin: StdinFlag = False,
        athlete: Annotated[
            str | None,
            typer.Option(
                "--athlete",
                help="The journal this athlete account keeps: an athlete of the store of that name "
                "(linked), else a new one (default: the user name).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the account as JSON.")] = False,
    ) -> None:
        """Create an account. Example: crampwise user add coach.lee --role coach --password-stdin"""
        from crampwise.domain.accounts import parse_role
        from crampwise.services.accounts import add_user

        with reported_errors():
            chosen = parse_role(role, "--role")
        password = _password(password_stdin)
        with _services(ctx) as services:
            account = add_user(
                services,
                username=name,
                role=chosen,
                password=password,
                athlete=athlete,
                now=datetime.now(UTC),
            )
        if as_json:
            print_json(_json(account))
        else:
            typer.echo(f"Added {account.role.value} {account.username}")

    @group.command("list")
    def listing(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """List the accounts: name, role, active or disabled. Example: crampwise user list --json"""
        from crampwise.services.accounts import list_users

        with _services(ctx) as services:
            accounts = list_users(services)
        if as_json:
            print_json([_json(a) for a in accounts])
        elif not accounts:
            typer.echo("No accounts yet: crampwise user add NAME --role athlete --password-stdin")
        else:
            for account in accounts:
                typer.echo(_line(account))

    def _switch(ctx: typer.Context, name: str, disabled: bool) -> None:
        from crampwise.services.accounts import set_disabled

        with _services(ctx) as services:
            account = set_disabled(services, username=name, disabled=disabled, now=datetime.now(UTC))
        typer.echo(f"{'Disabled' if disabled else 'Enabled'} {account.username}")

    @group.command("disable")
    def disable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
        """Disable an account: it signs out everywhere and its API tokens are revoked. Example:
        crampwise user disable ana"""
        _switch(ctx, name, True)

    @group.command("enable")
    def enable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
        """Enable a disabled account again (its old tokens stay revoked). Example: crampwise user enable ana"""
        _switch(ctx, name, False)

    @group.command("passwd")
    def passwd(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="User name.")],
        password_stdin: StdinFlag = False,
    ) -> None:
        """Set a new password: the account signs out everywhere and its tokens are revoked.
        Example: crampwise user passwd ana --password-stdin"""
        from crampwise.services.accounts import set_password

        password = _password(password_stdin)
        with _services(ctx) as services:
            account = set_password(services, username=name, password=password, now=datetime.now(UTC))
        typer.echo(f"New password set for {account.username}")
