"""A whole account: a generated Garmin-style export of 2,000 activities (over 1 GB of FIT).

Generates (into a temporary folder, kept between runs: `--out`) a zip laid out like a Garmin
account export: `DI_CONNECT/` folders of wellness, user and summary JSON files (hundreds:
the sleep and daily summary files fill days, the user file is skipped) and `DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`, a zip of
the activities' FIT files (1 Hz records of 47 bytes, as recent watches write, 1.5 to 4.7 hours
each). Then, in one run, it measures and prints:

- floor, decode: a bare single-process fitdecode decode of a sample of the same FIT files
  (every k-th file, about `--reference-mb` MB; fitdecode runs at well under 1 MB/s, so the
  whole gigabyte would take half an hour), in MB/s;
- floor, hashing: reading every FIT file out of the export and SHA-256 alone, one process;
- the full import (`crampwise import EXPORT.zip --json`, a subprocess: listing, worker
  processes, one writer, SQLite): seconds, MB/s of FIT, and the ratio of its MB/s to the
  fitdecode floor's;
- peak memory (RSS sampled every 0.1 s over the import's process tree): the largest process
  and the sum, for the export and for one a tenth its size (flat in the export's size);
- a re-import of the same export (every file a duplicate) against the hashing floor;
- an interrupted import (SIGINT at about 40 %) finished by running it again: the second run
  imports the rest and skips what is stored.

    nice python benchmarks/account_export_bench.py [--activities 2000] [--workers 2]

The machine's load average is printed at the start and the end: on a shared machine the
ratios, measured in the same run, are what compares.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fit_writer import Activity, Leg, activity_bytes  # noqa: E402

CLI = [sys.executable, "-c", "from crampwise.cli.entry import main; main()"]
INNER = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
SPORTS = [("run", 3.1, 150), ("ride", 8.2, 138), ("ride", 7.4, 142), ("walk", 1.4, 105)]


def generate(out: Path, activities: int) -> Path:
    """The export zip (reused when it exists)."""
    export = out / f"garmin-export-{activities}.zip"
    if export.exists():
        return export
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(activities)
    inner = out / f"uploaded-{activities}.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index in range(activities):
            sport, speed, hr = SPORTS[index % len(SPORTS)]
            seconds = rng.randint(5400, 17000)
            spec = Activity(
                [Leg(sport, seconds, speed, hr)],
                seed=index,
                start=900_000_000 + index * 43_200,  # two activities a day from 2018 on
                serial=3_900_000_000,
                rich=True,
            )
            archive.writestr(f"ana.example_{10_000_000_000 + index}.fit", activity_bytes(spec))
    tmp = export.with_suffix(".partial")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index in range(activities // 8):
            day = 17_500 + index
            iso = (date(1970, 1, 1) + timedelta(days=day)).isoformat()  # Garmin's calendarDate form
            archive.writestr(
                f"DI_CONNECT/DI-Connect-Wellness/{day}_sleepData.json",
                json.dumps(
                    [{"calendarDate": iso, "deepSleepSeconds": 5000 + index, "remSleepSeconds": 4000}]
                ),
            )
            archive.writestr(
                f"DI_CONNECT/DI-Connect-Aggregator/UDSFile_{day}.json",
                json.dumps([{"calendarDate": iso, "totalSteps": 9000 + index, "restingHeartRate": 51}]),
            )
        archive.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", json.dumps({"userName": "ana"}))
        archive.write(inner, INNER, compress_type=zipfile.ZIP_STORED)
    tmp.rename(export)
    inner.unlink()
    return export


def fit_members(export: Path, scratch: Path) -> tuple[Path, list[zipfile.ZipInfo]]:
    """The inner zip copied out (not timed) and its FIT members."""
    inner = scratch / "inner.zip"
    if not inner.exists():
        with zipfile.ZipFile(export) as outer, outer.open(INNER) as source, inner.open("wb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
    with zipfile.ZipFile(inner) as archive:
        return inner, [i for i in archive.infolist() if i.filename.endswith(".fit")]


def fitdecode_floor(
    inner: Path, members: list[zipfile.ZipInfo], budget_mb: float
) -> tuple[float, float, int]:
    """(seconds, MB, files) of a bare fitdecode decode of every k-th file, about `budget_mb`."""
    import fitdecode

    total_mb = sum(m.file_size for m in members) / 1e6
    step = max(1, round(total_mb / budget_mb))
    sample = members[::step]
    with zipfile.ZipFile(inner) as archive:
        blobs = [archive.read(m) for m in sample]
    start = time.perf_counter()
    for blob in blobs:
        with fitdecode.FitReader(
            blob, check_crc=fitdecode.CrcCheck.DISABLED, error_handling=fitdecode.ErrorHandling.IGNORE
        ) as reader:
            for _frame in reader:
                pass
    return time.perf_counter() - start, sum(len(b) for b in blobs) / 1e6, len(sample)


def hash_floor(inner: Path, members: list[zipfile.ZipInfo]) -> float:
    """Seconds to read every FIT file out of the export and SHA-256 it, in one process."""
    start = time.perf_counter()
    with zipfile.ZipFile(inner) as archive:
        for member in members:
            hashlib.sha256(archive.read(member)).hexdigest()
    return time.perf_counter() - start


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(text[text.rindex(")") + 2 :].split()[1])
    found, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.append(pid)
                frontier.append(pid)
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    """Peak RSS of a process tree: the largest single process and the largest sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.single_mb, self.total_mb, self.done = pid, 0.0, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            sizes = [_rss_mb(pid) for pid in _tree(self.pid)]
            if sizes:
                self.single_mb = max(self.single_mb, max(sizes))
                self.total_mb = max(self.total_mb, sum(sizes))
            self.done.wait(0.1)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_import(
    db: Path, export: Path, workers: int | None, *, stop_at: int | None = None
) -> tuple[float, dict[str, int], Sampler, int]:
    """One `crampwise import` subprocess: (seconds, counts, memory, exit code)."""
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{db}"}
    extra = ["--workers", str(workers)] if workers else []
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            [*CLI, "import", str(export), "--json", *extra],
            env=env,
            stdout=output,
            preexec_fn=_default_sigint,  # a shell's background job starts with SIGINT ignored
        )
        sampler = Sampler(process.pid)
        sampler.start()
        if stop_at is not None:
            while process.poll() is None and stored(db) < stop_at:
                time.sleep(0.1)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                print(
                    f"          SIGINT sent after {time.perf_counter() - start:.0f} s, {stored(db)} files stored"
                )
        code = process.wait()
        elapsed = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        output.seek(0)
        text = output.read()
    counts = json.loads(text) if text.strip() else {}
    return (
        elapsed,
        {k: counts.get(k, 0) for k in ("imported", "duplicates", "skipped", "errors")},
        sampler,
        code,
    )


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("select count(*) from imported_files").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def new_store(folder: Path, name: str) -> Path:
    db = folder / f"{name}.db"
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([*CLI, "athlete", "add", "Ana", "--timezone", "Europe/Madrid"], env=env, check=True)
    return db


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=None, help="import worker processes (default: cores)")
    parser.add_argument(
        "--reference-mb", type=float, default=40.0, help="MB decoded by fitdecode (the floor)"
    )
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "crampwise-export-bench")
    args = parser.parse_args()
    print(f"start: {load()}")
    started = time.perf_counter()
    export = generate(args.out, args.activities)
    small = generate(args.out, max(1, args.activities // 10))
    print(
        f"export: {export} ({export.stat().st_size / 1e6:.0f} MB zipped), generated in {time.perf_counter() - started:.0f} s"
    )
    with tempfile.TemporaryDirectory(prefix="crampwise-bench-") as folder_name:
        folder = Path(folder_name)
        inner, members = fit_members(export, folder)
        fit_mb = sum(m.file_size for m in members) / 1e6
        print(f"FIT files: {len(members)}, {fit_mb:.0f} MB")

        ref_s, ref_mb, ref_files = fitdecode_floor(inner, members, args.reference_mb)
        ref_rate = ref_mb / ref_s
        print(
            f"floor     fitdecode, 1 process, {ref_files} files ({ref_mb:.1f} MB): {ref_s:7.1f} s = {ref_rate:6.2f} MB/s"
        )
        hash_s = hash_floor(inner, members)
        print(
            f"floor     read + SHA-256 of every FIT file, 1 process:     {hash_s:7.1f} s = {fit_mb / hash_s:6.1f} MB/s"
        )

        db = new_store(folder, "full")
        full_s, counts, memory, code = run_import(db, export, args.workers)
        rate = fit_mb / full_s
        print(f"import    full export, {counts}, exit {code}: {full_s:7.1f} s = {rate:6.1f} MB/s")
        print(f"RATIO     import MB/s / fitdecode MB/s = {rate / ref_rate:.1f}x  (aim 40x on 2 cores)")
        print(
            f"memory    peak RSS: largest process {memory.single_mb:.0f} MB, all processes {memory.total_mb:.0f} MB"
        )

        small_db = new_store(folder, "small")
        _s, small_counts, small_memory, _c = run_import(small_db, small, args.workers)
        print(
            f"memory    a tenth of the export ({small_counts['imported']} activities): largest process "
            f"{small_memory.single_mb:.0f} MB, all {small_memory.total_mb:.0f} MB (flat: the same order)"
        )

        again_s, again, _m, _c = run_import(db, export, args.workers)
        print(
            f"re-import all duplicates, {again}: {again_s:7.1f} s = {again_s / hash_s:.2f}x the hashing floor"
        )

        resume_db = new_store(folder, "resume")
        part_s, _part, _m, part_code = run_import(
            resume_db, export, args.workers, stop_at=int(0.4 * len(members))
        )
        kept = stored(resume_db)
        rest_s, rest, _m, rest_code = run_import(resume_db, export, args.workers)
        with sqlite3.connect(resume_db) as conn:
            sessions = int(conn.execute("select count(*) from sessions").fetchone()[0])
        print(
            f"resume    interrupted run: {part_s:.0f} s, exit {part_code}, {kept} files stored; "
            f"run again: exit {rest_code}, {rest} in {rest_s:.0f} s; sessions now {sessions} of {len(members)}"
        )
    print(f"end: {load()} ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
