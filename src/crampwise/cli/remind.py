"""`crampwise remind send|feed|checkin`: reminders that reach the athlete.

`send` pushes today's check-in to the browsers that subscribed (web push with VAPID); run it
every few minutes from cron or a systemd timer, on the store the web app serves. `feed` makes
the secret address of the athlete's calendar feed (drinks of planned sessions with alarms, and
the daily check-in), `checkin` sets the check-in's time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated

import typer

from crampwise.cli.common import fail, print_json, state
from crampwise.cli.journal import JsonFlag, services

REMIND_HELP = (
    "Reminders: a calendar feed of your planned sessions' drinks, and a daily check-in by calendar "
    "or web push. Example: crampwise remind checkin 20:30"
)
ENV_CONTACT = "CRAMPWISE_PUSH_CONTACT"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _now() -> datetime:
    return datetime.now(UTC)


def register(app: typer.Typer) -> None:
    remind = typer.Typer(help=REMIND_HELP, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(remind, name="remind")

    @remind.command("send")
    def send(
        ctx: typer.Context,
        contact: Annotated[
            str | None,
            typer.Option(
                "--contact",
                help=f"How push services can reach the server's operator (VAPID 'sub'), mailto: or https: "
                f"(default: ${ENV_CONTACT}, else mailto:crampwise@localhost).",
            ),
        ] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Push today's check-in to every athlete whose check-in time has come (once a day each).
        Run it every few minutes, e.g. from cron. Example: crampwise remind send --json"""
        from crampwise.services.push import DEFAULT_CONTACT, send_due_checkins

        who = contact or os.environ.get(ENV_CONTACT) or DEFAULT_CONTACT
        if not who.startswith(("mailto:", "https://")):
            fail(f"--contact: {who!r} is not a mailto: or https: address, e.g. mailto:you@example.org")
        with services(ctx) as app:
            report = send_due_checkins(app, now=_now(), athlete=state(ctx).athlete, contact=who)
        if as_json:
            print_json(report.as_json())
            return
        for delivery in report.deliveries:
            detail = delivery.error or f"HTTP {delivery.status}"
            typer.echo(f"{delivery.athlete}: {delivery.outcome} via {delivery.host} ({detail})")
        for name, why in report.skipped.items():
            typer.echo(f"{name}: nothing sent ({why})")
        if not report.deliveries and not report.skipped:
            typer.echo("No athlete has a check-in time (crampwise remind checkin 20:30).")

    @remind.command("feed")
    def feed(
        ctx: typer.Context,
        new: Annotated[
            bool, typer.Option("--new", help="Make the feed's address (a new one: the old stops working).")
        ] = False,
        stop: Annotated[bool, typer.Option("--stop", help="Turn the feed off.")] = False,
        base_url: Annotated[
            str, typer.Option("--base-url", help="The web app's address as your calendar app reaches it.")
        ] = DEFAULT_BASE_URL,
        as_json: JsonFlag = False,
    ) -> None:
        """Your calendar feed: every planned session's drinks with alarms, and the daily check-in.
        Example: crampwise remind feed --new --base-url https://crampwise.example.org"""
        from crampwise.services.reminders import feed_path, new_feed_token, reminder_status, stop_feed

        if new and stop:
            fail("--new, --stop: choose one")
        if not base_url.startswith(("http://", "https://")):
            fail(f"--base-url: {base_url!r} is not an http:// or https:// address")
        with services(ctx) as app:
            athlete = state(ctx).athlete
            token = None
            if new:
                token = new_feed_token(app, athlete=athlete, now=_now())
            elif stop:
                stop_feed(app, athlete=athlete, now=_now())
            status = reminder_status(app, athlete=athlete)
        url = None if token is None else base_url.rstrip("/") + feed_path(token)
        if as_json:
            print_json({"athlete": status.athlete, "feed_on": status.feed_on, "url": url})
            return
        if url is not None:
            typer.echo(f"Subscribe to this address in your calendar app (keep it private):\n{url}")
            typer.echo(
                "Anyone with it can read your planned sessions; crampwise remind feed --new replaces it."
            )
        elif status.feed_on:
            typer.echo(
                "Your calendar feed is on. Its address was shown once when it was made; "
                "crampwise remind feed --new makes a new one (the old stops working)."
            )
        else:
            typer.echo("Your calendar feed is off; crampwise remind feed --new makes its address.")

    @remind.command("checkin")
    def checkin(
        ctx: typer.Context,
        at: Annotated[str, typer.Argument(metavar="TIME", help="Local time HH:MM, e.g. 20:30, or off.")],
    ) -> None:
        """Set the daily check-in (in the calendar feed, and pushed to subscribed browsers).
        Example: crampwise remind checkin 20:30"""
        from crampwise.services.reminders import parse_checkin_time, set_checkin

        with services(ctx) as app:
            value = parse_checkin_time(at, "TIME")
            set_checkin(app, athlete=state(ctx).athlete, checkin_time=value)
        typer.echo("Daily check-in off." if value is None else f"Daily check-in at {value}, your local time.")
