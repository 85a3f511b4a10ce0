"""Journal commands: `init`, `athlete add|list|show|set`, `log`, `list`, `edit`, `delete`.

Each command parses its flags (declared once in `journal_fields`), calls one journal service
and renders the result (`journal_render`). Services are imported inside the commands so that
`crampwise --help` stays quick. Read commands take `--json` and then print one JSON document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crampwise.cli import journal_fields as jf
from crampwise.cli import journal_render as render
from crampwise.cli.common import print_json, reported_errors, state
from crampwise.domain.errors import InvalidInput

if TYPE_CHECKING:  # Pydantic and the services are imported when a command runs, not for `--help`
    from crampwise.domain.records import Record
    from crampwise.services.context import AppContext

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]


@contextmanager
def services(ctx: typer.Context) -> Iterator[AppContext]:
    """An application context on the root `--db`/`--athlete`, with errors reported per contract."""
    from crampwise.config import load_settings
    from crampwise.services.context import open_context

    root = state(ctx)
    with (
        reported_errors(),
        open_context(load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)) as app,
    ):
        yield app


def now_utc() -> datetime:
    return datetime.now(UTC)


def record_json(record: Record) -> dict[str, Any]:
    from crampwise.domain.records import record_to_json_dict

    return record_to_json_dict(record)


def echo_record(record: Record, as_json: bool, line: Callable[[], str]) -> None:
    if as_json:
        print_json(record_json(record))
    else:
        typer.echo(line())


def sub_app(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    group = typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


# --- log ------------------------------------------------------------------------------------

_FIELD_KIND = {"cramp": "cramp", "session": "session", "day": "day", "med": "medication"}
_FLAGS = {
    "cramp": jf.CRAMP_FLAGS,
    "session": jf.SESSION_FLAGS,
    "day": jf.DAY_FLAGS,
    "med": jf.MEDICATION_FLAGS,
}


def _logger(kind: str) -> Callable[[typer.Context, dict[str, Any], dict[str, Any]], None]:
    def run(ctx: typer.Context, raw: dict[str, Any], extras: dict[str, Any]) -> None:
        from crampwise.services import journal
        from crampwise.services.field_input import Reading

        flags = _FLAGS[kind]
        with services(ctx) as app, jf.named_by_flags(flags):
            athlete_name = state(ctx).athlete
            now = now_utc()
            who = journal.get_athlete(app, athlete=athlete_name)
            reading = Reading(units=who.units, zone=who.zone, now=now)
            data = jf.parse_flags(_FIELD_KIND[kind], flags, raw, check_required=True, reading=reading)
            if kind in ("session", "day") and extras.get("tag"):
                data["tags"] = _tags(app, athlete_name, kind, extras["tag"], None)
            confirmed = bool(extras.get("confirm"))
            if kind == "cramp":
                record: Record = journal.log_cramp(
                    app, athlete=athlete_name, data=data, now=now, link_session=True, confirmed=confirmed
                )
            elif kind == "session":
                record = journal.log_session(
                    app, athlete=athlete_name, data=data, now=now, confirmed=confirmed
                )
            elif kind == "day":
                record = journal.log_day(app, athlete=athlete_name, data=data, now=now)
            else:
                data = {"name": extras["name"], **data}
                record = journal.log_medication(app, athlete=athlete_name, data=data, now=now)
            unit_system = reading.units
            link_note = _link_note(app, athlete_name, record, data, unit_system) if kind == "cramp" else ""
        echo_record(record, extras["as_json"], lambda: "Logged " + _line(record, unit_system) + link_note)
        if kind == "cramp":  # urgent/emergency signs logged with it: show their advice now (issue 7)
            from crampwise.cli.triage import show_cramp_advice

            show_cramp_advice(record, zone_name=who.timezone, err=extras["as_json"])

    return run


def _tags(app: AppContext, athlete: str | None, kind: str, tag: Any, untag: Any) -> dict[str, Any]:
    """`--tag`/`--untag` read against the athlete's own factors of this record's level."""
    from crampwise.domain.enums import FactorLevel
    from crampwise.services import journal, tag_input

    factors = journal.get_athlete(app, athlete=athlete).factors
    level = FactorLevel(kind)
    changes = tag_input.read_untags(untag or [], factors, level)
    changes.update(tag_input.read_tags(tag or [], factors, level))
    return changes


def _link_note(app: AppContext, athlete: str | None, cramp: Any, data: dict[str, Any], u: Any) -> str:
    """What an exercise cramp was linked to, or why it was not (so the user can fix it)."""
    from crampwise.services import journal

    if data.get("session_id") is not None or cramp.context not in ("exercise", "after_exercise"):
        return ""
    if cramp.session_id is None:
        return (
            "\nNot linked to a session: none was logged at that time. Link one with: "
            f"crampwise edit cramp {cramp.id} --session ID"
        )
    session = journal.get_record(app, athlete=athlete, kind="session", record_id=cramp.session_id)
    return f"\nLinked to {render.session_line(session, u)}"  # type: ignore[arg-type]


def _line(record: Record, unit_system: Any) -> str:
    from crampwise.domain.records import Cramp, Day, Medication, Session

    if isinstance(record, Cramp):
        return render.cramp_line(record)
    if isinstance(record, Session):
        return render.session_line(record, unit_system)
    if isinstance(record, Day):
        return render.day_line(record, unit_system)
    assert isinstance(record, Medication)
    return render.medication_line(record)


# --- list -----------------------------------------------------------------------------------


def _lister(kind: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        as_json: JsonFlag = False,
        last: Annotated[
            int | None, typer.Option("--last", min=1, help="Only the N most recent records.", metavar="N")
        ] = None,
        since: Annotated[
            str | None,
            typer.Option(
                "--since",
                help="Only records from this day on (2026-05-01, yesterday, -30d; medications: "
                "those still taken then).",
                metavar="DATE",
            ),
        ] = None,
    ) -> None:
        from crampwise.services import journal
        from crampwise.services.field_input import day

        with services(ctx) as app:
            history = journal.load_history(app, athlete=state(ctx).athlete, only=kind)
            if since is not None:
                reading = journal.reading_for(app, athlete=history.athlete.name, now=now_utc())
                history = history.since(day(since, "--since", reading=reading))
        records: tuple[Any, ...] = getattr(history, kind)
        if last is not None:
            records = records[-last:]
        if as_json:
            print_json([record_json(r) for r in records])
            return
        if not records:
            typer.echo(f"No {kind} yet for {history.athlete.name}.")
            return
        u = history.athlete.units
        headers, rows = {
            "cramps": lambda: render.cramp_rows(records),
            "sessions": lambda: render.session_rows(records, u),
            "days": lambda: render.day_rows(records, u),
            "medications": lambda: render.medication_rows(records),
        }[kind]()
        typer.echo(render.table(headers, rows))

    command.__doc__ = f"List the athlete's {kind} (oldest first)."
    return command


# --- edit and delete ------------------------------------------------------------------------


def _editor(kind: str) -> Callable[[typer.Context, dict[str, Any], dict[str, Any]], None]:
    flags = _FLAGS[kind]

    def run(ctx: typer.Context, raw: dict[str, Any], extras: dict[str, Any]) -> None:
        from crampwise.services import journal

        with services(ctx) as app, jf.named_by_flags(flags):
            athlete_name = state(ctx).athlete
            now = now_utc()
            reading = journal.reading_for(app, athlete=athlete_name, now=now)
            changes = jf.parse_flags(_FIELD_KIND[kind], flags, raw, check_required=False, reading=reading)
            if kind == "med" and extras.get("new_name") is not None:
                changes["name"] = extras["new_name"]
            changes.update(jf.cleared_fields(flags, extras["clear"], f"a {kind}"))
            tag_changes = (
                _tags(app, athlete_name, kind, extras.get("tag"), extras.get("untag"))
                if kind in ("session", "day")
                else {}
            )
            if not changes and not tag_changes:
                tags = ", --tag, --untag" if kind in ("session", "day") else ""
                raise InvalidInput.single(
                    "edit", f"nothing to change; give at least one --FIELD VALUE{tags} or --clear FIELD"
                )
            record_id = extras["record_id"]
            record: Record
            if kind == "cramp":
                record = journal.update_cramp(
                    app, athlete=athlete_name, cramp_id=record_id, changes=changes, now=now
                )
            elif kind == "session":
                record = journal.update_session(
                    app,
                    athlete=athlete_name,
                    session_id=record_id,
                    changes=changes,
                    now=now,
                    confirmed=extras["confirm"],
                    tag_changes=tag_changes,
                )
            elif kind == "day":
                record = journal.update_day(
                    app,
                    athlete=athlete_name,
                    day=record_id,
                    changes=changes,
                    now=now,
                    tag_changes=tag_changes,
                )
            else:
                record = journal.update_medication(
                    app, athlete=athlete_name, medication_id=record_id, changes=changes
                )
            unit_system = journal.get_athlete(app, athlete=athlete_name).units
        echo_record(record, extras["as_json"], lambda: "Updated " + _line(record, unit_system))

    return run


def _deleter(kind: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id (a day: its date).")],
    ) -> None:
        from crampwise.services import journal

        with services(ctx) as app:
            journal.delete_record(app, athlete=state(ctx).athlete, kind=kind, record_id=record_id)
        typer.echo(f"Deleted {'medication' if kind == 'med' else kind} {record_id}.")

    command.__doc__ = f"Delete one {kind} by id." + (
        " Cramps linked to it are unlinked." if kind == "session" else ""
    )
    return command


def register(app: typer.Typer) -> None:
    """Add `log`, `list`, `edit` and `delete` to the root app (`init` and `athlete`: cli.athletes)."""
    as_json = jf.switch("as_json", "--json", "Print the record as JSON.")

    log = sub_app(app, "log", "Log a cramp, a session, a day or a medication.")
    log.command("cramp")(
        jf.build_command(
            jf.CRAMP_FLAGS, _logger("cramp"), extra=[jf.confirm_option(), as_json], doc="Log a cramp episode."
        )
    )
    log.command("session")(
        jf.build_command(
            jf.SESSION_FLAGS,
            _logger("session"),
            extra=[jf.tag_option(), jf.confirm_option(), as_json],
            doc="Log a training session or race.",
        )
    )
    log.command("day")(
        jf.build_command(
            jf.DAY_FLAGS,
            _logger("day"),
            extra=[jf.tag_option(), as_json],
            doc="Log a day's sleep, fluid, alcohol, fatigue and recovery, and tag your own day factors.",
        )
    )
    log.command("med")(
        jf.build_command(
            jf.MEDICATION_FLAGS,
            _logger("med"),
            extra=[jf.argument("name", "The medicine's name."), as_json],
            doc="Log a medication you take.",
        )
    )

    listing = sub_app(app, "list", "List cramps, sessions, days or medications.")
    for kind, aliases in (("cramps", ()), ("sessions", ()), ("days", ()), ("medications", ("meds",))):
        for name in (kind, *aliases):
            listing.command(name, hidden=name != kind)(_lister(kind))

    edit = sub_app(app, "edit", "Change fields of a cramp, session, day or medication by id.")
    record_id = jf.argument("record_id", "The record's id (a day: its date).", metavar="ID")
    for kind in ("cramp", "session", "day", "med"):
        flags = {
            "cramp": jf.CRAMP_FLAGS,
            "session": jf.SESSION_FLAGS,
            "day": jf.DAY_FLAGS,
            "med": jf.MEDICATION_FLAGS,
        }[kind]
        if kind == "day":
            flags = tuple(f for f in flags if f.field != "date")
        extra = [record_id, jf.clear_option(), as_json]
        if kind in ("session", "day"):
            extra[1:1] = [jf.tag_option(), jf.untag_option()]
        if kind == "session":
            extra.insert(2, jf.confirm_option())
        if kind == "med":
            extra.insert(1, jf.Flag("--name", "new_name", "The medicine's name.", "NAME").parameter())
        edit.command(kind)(
            jf.build_command(flags, _editor(kind), extra=extra, doc=f"Change fields of one {kind}.")
        )

    remove = sub_app(app, "delete", "Delete a cramp, session, day or medication by id.")
    for kind in ("cramp", "session", "day", "med"):
        remove.command(kind)(_deleter(kind))
