"""What does a background import cost over importing the same upload at once?

The floor is `import_uploads` of an account export (N GPX runs in a zip) straight into a fresh
PostgreSQL schema, in-process: the work any import must do. The job path stores the upload with
its queued job (`import_jobs.submit`, one transaction) and runs it as a worker does
(`import_jobs.run`: the upload read back from the database, each file's result recorded in its
file's transaction), into another fresh schema. It prints both times and their ratio.

Needs PostgreSQL: `CRAMPWISE_TEST_POSTGRES_URL` (as set by scripts/with-postgres.sh).

    bash scripts/with-postgres.sh .venv/bin/python benchmarks/import_job_bench.py --files 300 -n 3
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from crampwise.config import ServerSettings, Settings
from crampwise.services import import_jobs, journal
from crampwise.services.context import AppContext, open_context
from crampwise.services.imports import import_uploads
from crampwise.services.job_worker import prepare_queue
from crampwise.storage import import_jobs as jobs_table

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def gpx(start: datetime, points: int) -> bytes:
    body = "".join(
        f'<trkpt lat="{46 + i * 0.0001:.4f}" lon="14.0"><time>{(start + timedelta(seconds=10 * i)).isoformat()}</time>'
        f"<extensions><hr>{140 + i % 20}</hr></extensions></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def export_zip(files: int, points: int) -> bytes:
    first = datetime(2024, 1, 1, 7, tzinfo=UTC)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(files):
            archive.writestr(f"activities/{i:04d}.gpx", gpx(first + timedelta(days=i), points))
    return buffer.getvalue()


@contextmanager
def fresh_store(base: str, folder: Path) -> Iterator[AppContext]:
    """Server mode on a new schema with the athlete Ana and the job queue; dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    try:
        server = ServerSettings(secret_key=secrets.token_urlsafe(32))
        settings = Settings(database_url=url, data_dir=folder, server=server)
        with open_context(settings) as ctx:
            journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
            prepare_queue(ctx, now=NOW)
            yield ctx
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def inline(base: str, folder: Path, upload: bytes) -> float:
    with fresh_store(base, folder) as ctx:
        started = time.perf_counter()
        report = import_uploads(ctx, athlete="Ana", uploads=[("export.zip", upload)], now=NOW, workers=1)
        elapsed = time.perf_counter() - started
    assert report.count("imported") == len(report.files)
    return elapsed


def as_job(base: str, folder: Path, upload: bytes) -> float:
    with fresh_store(base, folder) as ctx:
        started = time.perf_counter()
        job = import_jobs.submit(ctx, athlete="Ana", files=[("export.zip", upload)], now=NOW)
        with ctx.read() as conn:
            row = jobs_table.get_job(conn=conn, public_id=job.id)
        assert row is not None
        assert import_jobs.run(ctx, job_pk=row.pk, clock=lambda: NOW) == "done"
        elapsed = time.perf_counter() - started
        done = import_jobs.status(ctx, athlete="Ana", job_id=job.id)
    assert done.result is not None and done.result["imported"] == done.files_total
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="runs in the export (default 300)")
    parser.add_argument("--points", type=int, default=360, help="points per run (default 360: 1 h at 10 s)")
    parser.add_argument("-n", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args()
    base = os.environ.get("CRAMPWISE_TEST_POSTGRES_URL")
    if not base:
        print("import_job_bench: skipped (no PostgreSQL: run under scripts/with-postgres.sh)")
        return 0
    upload = export_zip(args.files, args.points)
    floors: list[float] = []
    jobs: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.n):
            floors.append(inline(base, Path(folder), upload))
            jobs.append(as_job(base, Path(folder), upload))
    floor, job = statistics.median(floors), statistics.median(jobs)
    print(f"upload: {args.files} runs, {len(upload) / 1e6:.1f} MB zipped; median of {args.n} rounds")
    print(f"  floor  import at once (import_uploads)     {floor:7.2f} s  {args.files / floor:6.0f} files/s")
    print(f"  job    submit + run as a worker would     {job:7.2f} s  {args.files / job:6.0f} files/s")
    print(f"  ratio  job / floor                         {job / floor:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
