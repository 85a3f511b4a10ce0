"""Privacy: an account holder takes everything crampwise keeps about them, or erases it.

The export is one zip: the journal as a crampwise-bundle (`bundle.json`, the same document as
`crampwise export`), every imported session's samples as CSV (`series/`), the list of imported
files, the background import jobs with their results, the account, the grants given and the
whole access log, and the reminders' records: planned sessions, the gels and drinks, the
calendar feed and daily check-in settings and the browsers subscribed to push (the feed's
secret itself is not kept, only its hash, so it is not exported). Original upload files are
kept only while a background import job waits for or runs in a worker (they are dropped when
it is over): those are included (`uploads/`).

Erasing asks for the password again (counted by the sign-in limits) and deletes, in one
transaction, the account, its journal, sessions, tokens, passkeys, grants given and received,
its import jobs with their uploaded files, its planned sessions, products, reminder settings
and push subscriptions, and its access log. Other athletes' access logs keep the line saying this account read them:
that line is theirs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Final

from sqlalchemy import Connection

from crampwise.domain.errors import InvalidInput
from crampwise.domain.series import CHANNELS
from crampwise.services.bundles import export_bundle
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity, LoginRefused, sign_in
from crampwise.storage import consent, planned, reminders
from crampwise.storage import import_jobs as jobs
from crampwise.storage import privacy as erase

README: Final = """This archive holds everything crampwise keeps about your account.

bundle.json          your journal (sessions, cramps, days, medications) as a crampwise-bundle v1:
                     `crampwise import bundle.json` reads it back on any computer
series/<id>.csv      the samples of each imported session (seconds from the start; heart rate
                     in bpm, speed in m/s, temperature in degrees C, cadence, power in W)
imported-files.json  the files you imported (name, format, SHA-256, the sessions they made);
                     the original files themselves are not kept by crampwise, except
uploads/<job>/...    the files of a background import that had not finished yet
import-jobs.json     your background imports: when, their state, each file's result so far
account.json         your account: user name, role, when it was made
grants.json          who you let read your records, until when, and when you took it back
access-log.json      every read of your records by someone else: who, when, what
planned-sessions.json  the sessions you planned (reminders, session mode) and what you carry
products.json        your gels, bars and drinks, and what one unit holds
reminders.json       the calendar feed (on or off, since when), the daily check-in time, and
                     the browsers that get it by web push (their push service addresses)
"""


def _series_csv(series: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["elapsed_s", *CHANNELS])
    for i in range(len(series)):
        row = [series.elapsed_s[i], *(getattr(series, c)[i] for c in CHANNELS)]
        writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
    return out.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _member_name(name: str) -> str:
    """An uploaded file's name as one safe archive member name (no folders, no `..`)."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip(". ")
    return base or "upload"


def _import_jobs(conn: Connection, archive: zipfile.ZipFile, athlete_pk: int) -> list[dict[str, Any]]:
    """The athlete's import jobs (written with their waiting uploads into `archive`)."""
    entries: list[dict[str, Any]] = []
    for job in jobs.jobs_of(conn=conn, athlete_pk=athlete_pk):
        uploads = []
        for position, name in jobs.file_positions(conn=conn, job_pk=job.pk):
            member = f"uploads/{job.public_id}/{position}-{_member_name(name)}"
            archive.writestr(member, jobs.file_data(conn=conn, job_pk=job.pk, position=position))
            uploads.append(member)
        entries.append(
            {
                "id": job.public_id,
                "status": job.status,
                "files_total": max(job.files_total, job.files_done),
                "files_done": job.files_done,
                "upload_bytes": job.upload_bytes,
                "attempts": job.attempts,
                "created": job.created_utc.isoformat(),
                "finished": job.finished_utc.isoformat() if job.finished_utc else None,
                "error": job.error,
                "files": list(jobs.results(conn=conn, job_pk=job.pk)),
                "uploads": uploads,
            }
        )
    return entries


def _reminders(conn: Connection, athlete_pk: int) -> dict[str, Any]:
    row = reminders.get_reminders(conn=conn, athlete_pk=athlete_pk)
    return {
        "calendar_feed": bool(row and row.feed_token_sha256),
        "calendar_feed_since": row.feed_created_utc.isoformat() if row and row.feed_created_utc else None,
        "checkin_time": row.checkin_time if row else None,
        "checkin_last_sent_on": row.checkin_sent_on.isoformat() if row and row.checkin_sent_on else None,
        "push_subscriptions": [
            {
                "endpoint": s.endpoint,
                "created": s.created_utc.isoformat(),
                "last_sent": s.last_sent_utc.isoformat() if s.last_sent_utc else None,
            }
            for s in reminders.subscriptions_of(conn=conn, athlete_pk=athlete_pk)
        ],
    }


def export_archive(ctx: AppContext, *, identity: Identity, now: datetime) -> bytes:
    """The zip of everything kept about the signed-in account."""
    account = identity.account
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr(
            "account.json",
            _json(
                {
                    "username": account.username,
                    "role": account.role.value,
                    "created_at": account.created_at.isoformat(),
                    "exported_at": now.isoformat(),
                }
            ),
        )
        with ctx.read() as conn:
            grants = consent.grants_by_owner(conn=conn, owner_pk=account.pk)
            log = consent.access_entries(conn=conn, owner_pk=account.pk)
            files: list[dict[str, Any]] = []
            import_jobs: list[dict[str, Any]] = []
            kept: dict[str, Any] = {}  # the reminders' records, by archive member
            if account.athlete_pk is not None:
                files = erase.imported_files_of(conn=conn, athlete_pk=account.athlete_pk)
                import_jobs = _import_jobs(conn, archive, account.athlete_pk)
                pk = account.athlete_pk
                kept = {
                    "planned-sessions.json": [
                        p.model_dump(mode="json") for p in planned.list_planned(conn=conn, athlete_pk=pk)
                    ],
                    "products.json": [
                        p.model_dump(mode="json") for p in planned.list_products(conn=conn, athlete_pk=pk)
                    ],
                    "reminders.json": _reminders(conn, pk),
                }
                for session_id, series, _fmt in erase.series_of(conn=conn, athlete_pk=account.athlete_pk):
                    archive.writestr(f"series/{session_id}.csv", _series_csv(series))
        archive.writestr("grants.json", _json([g.to_json(now) for g in grants]))
        archive.writestr("access-log.json", _json([e.to_json() for e in log]))
        archive.writestr("imported-files.json", _json(files))
        archive.writestr("import-jobs.json", _json(import_jobs))
        for member, value in kept.items():
            archive.writestr(member, _json(value))
        if identity.athlete_name is not None:
            archive.writestr("bundle.json", _json(export_bundle(ctx, athlete=identity.athlete_name)))
    return buffer.getvalue()


def delete_account(
    ctx: AppContext, *, identity: Identity, password: str, confirm: str, address: str, now: datetime
) -> None:
    """Erase the account and all its data for good, after the password and the typed user name."""
    account = identity.account
    if confirm.strip().lower() != account.username:
        raise InvalidInput.single("confirm", f"type your user name ({account.username}) to confirm")
    try:
        sign_in(ctx, username=account.username, password=password, address=address, now=now)
    except LoginRefused:
        raise InvalidInput.single("password", "wrong password") from None
    with ctx.begin() as conn:
        erase.erase_account(
            conn=conn, account_pk=account.pk, athlete_pk=account.athlete_pk, username=account.username
        )
    erase.checkpoint(ctx.engine)
