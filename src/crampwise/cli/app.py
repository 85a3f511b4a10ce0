"""The Typer application: the root options and one registered group per module.

Each command module exposes `register(app)`; imports of services happen inside the commands,
so `crampwise --help` stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from crampwise import __version__
from crampwise.cli.clicktypes import Abort, Exit, NoArgsIsHelpError, UsageError
from crampwise.cli.common import CliState, fail_usage

COMMAND_MODULES = (
    "crampwise.cli.athletes",
    "crampwise.cli.journal",
    "crampwise.cli.factors",
    "crampwise.cli.imports",
    "crampwise.cli.show",
    "crampwise.cli.export",
    "crampwise.cli.backup",
    "crampwise.cli.now",
    "crampwise.cli.planning",
    "crampwise.cli.planned",
    "crampwise.cli.remind",
    "crampwise.cli.insights",
    "crampwise.cli.triage",
    "crampwise.cli.serve",
    "crampwise.cli.worker",
    "crampwise.cli.users",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crampwise {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """A fresh Typer app with every command registered (a factory: tests get their own)."""
    import importlib

    app = typer.Typer(
        name="crampwise",
        help="Stop, understand and prevent muscle cramps. Cramping right now? Run: crampwise now",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option(
                "--db",
                help="Database URL (sqlite:///file.db or postgresql+psycopg://user@host/db).",
                metavar="URL",
            ),
        ] = None,
        athlete: Annotated[
            str | None, typer.Option("--athlete", help="Athlete to act on (default: the only one).")
        ] = None,
        demo: Annotated[
            bool,
            typer.Option("--demo", help="Act on the demo's own store (made by crampwise demo), not yours."),
        ] = False,
        version: Annotated[
            bool,
            typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
        ] = False,
    ) -> None:
        ctx.obj = CliState(db=db, athlete=athlete, demo=demo)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)

    @app.command("help")
    def help_command(
        ctx: typer.Context,
        command: Annotated[
            list[str] | None,
            typer.Argument(help="The command to explain, e.g. log cramp.", show_default=False),
        ] = None,
    ) -> None:
        """Show the help of crampwise or of one command. Example: crampwise help log cramp"""
        show_help(ctx, command or [])

    return app


def show_help(ctx: typer.Context, words: Sequence[str]) -> None:
    """Print the help of the root command or of the command named by `words`."""
    from crampwise.cli.clicktypes import Command, Context, Group
    from crampwise.cli.common import fail

    current: Context = ctx.find_root()
    command: Command = current.command
    for word in words:
        sub = command.get_command(current, word) if isinstance(command, Group) else None
        if sub is None:
            known = ", ".join(command.list_commands(current)) if isinstance(command, Group) else ""
            fail(f"help: no command {' '.join(words)!r}; commands: {known or 'none below this one'}")
        current = Context(sub, info_name=word, parent=current)
        command = sub
    typer.echo(current.get_help())


def run_app(argv: Sequence[str]) -> int:
    """Run the app on `argv` and return the exit code (usage errors: one line, exit 2)."""
    app = build_app()
    try:
        result = app(args=list(argv), prog_name="crampwise", standalone_mode=False)
    except Exit as exc:
        return int(exc.exit_code)
    except Abort:
        typer.echo("crampwise: aborted", err=True)
        return 1
    except NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
        return 0
    except UsageError as exc:
        return fail_usage(exc)
    return result if isinstance(result, int) else 0
