"""What the kill-anywhere tests share: the forking runner, kill points, stores and snapshots."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, inspect, text

from crampwise.faults import ENV_KILL_AT, ENV_REPORT

ROOT = Path(__file__).resolve().parents[2]
MIN_KILL_POINTS = 20
# Columns whose value is "when it ran" (the clock of the run), not what was stored.
VOLATILE = frozenset({"imported_at"})


@dataclass(frozen=True)
class Run:
    status: int  # exit code, or minus the signal that ended the process
    report: str
    output: str

    @property
    def killed_at(self) -> tuple[int, str] | None:
        if not self.report.startswith("killed "):
            return None
        _, n, label = self.report.split()
        return int(n), label

    @property
    def count(self) -> int:
        assert self.report.startswith("count "), (self.report, self.output)
        return int(self.report.split()[1])


class Forker:
    """Runs `crampwise ARGS` in children forked from one preloaded process (tests/faults/forker.py)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.runs = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.forker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_FAULT_")},
        )
        assert self._read() == {"ready": True}

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the forker ended"
        return dict(json.loads(line))

    def run(self, argv: list[str], *, kill_at: int | None = None, env: dict[str, str] | None = None) -> Run:
        """Run one command; `kill_at`: 0 counts the checkpoints, N >= 1 kills at the Nth."""
        assert self.process.stdin is not None
        self.runs += 1
        out = self.work / f"run-{self.runs}.out"
        report = self.work / f"run-{self.runs}.report"
        job_env = dict(env or {})
        if kill_at is not None:
            job_env |= {ENV_KILL_AT: str(kill_at), ENV_REPORT: str(report)}
        self.process.stdin.write(json.dumps({"argv": argv, "env": job_env, "out": str(out)}) + "\n")
        self.process.stdin.flush()
        status = int(self._read()["status"])
        text_report = report.read_text().strip() if report.exists() else ""
        return Run(status, text_report, out.read_text(errors="replace"))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def spread(total: int, wanted: int = 21) -> list[int]:
    """`wanted` kill points spread evenly over 1..total, both ends included."""
    assert total >= MIN_KILL_POINTS, f"only {total} checkpoints: too few to kill at {MIN_KILL_POINTS} points"
    return sorted({1 + round(i * (total - 1) / (wanted - 1)) for i in range(wanted)})


@dataclass
class Tally:
    """What a sweep did: the kill points reached (n, label) and how the store was found after each."""

    operation: str
    total: int = 0
    reached: list[tuple[int, str]] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    def saw(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def line(self) -> str:
        labels: dict[str, int] = {}
        for _n, label in self.reached:
            labels[label] = labels.get(label, 0) + 1
        return (
            f"{self.operation}: {len(self.reached)} kill points reached of {self.total} checkpoints; "
            f"outcomes {dict(sorted(self.outcomes.items()))}; at {dict(sorted(labels.items()))}"
        )


# -- stores ---------------------------------------------------------------------------------


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A URL on a new, empty PostgreSQL schema, dropped afterwards."""
    schema = f"k_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base_url else "?"
        try:
            yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def copy_sqlite(template: Path, target: Path) -> str:
    """A copy of a closed SQLite store (its WAL checkpointed away by the last close)."""
    assert not Path(f"{template}-wal").exists() or Path(f"{template}-wal").stat().st_size == 0
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


# -- snapshots ------------------------------------------------------------------------------


def snapshot(url: str, *, schema_too: bool = False) -> dict[str, Any]:
    """Everything a store holds, as comparable values: per table its rows (without surrogate
    keys, which PostgreSQL's sequences never give back, and without the run's clock), sorted.
    With `schema_too`, each table's columns as well (a migration changes them)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            out: dict[str, Any] = {}
            for table in sorted(inspector.get_table_names()):
                columns = [c["name"] for c in inspector.get_columns(table)]
                kept = sorted(c for c in columns if c != "pk" and not c.endswith("_pk") and c not in VOLATILE)
                select = ", ".join(f'"{c}"' for c in kept)
                rows = conn.execute(text(f'SELECT {select} FROM "{table}"')).all() if kept else []
                entry: dict[str, Any] = {"rows": sorted(repr(tuple(row)) for row in rows)}
                if schema_too:
                    entry["columns"] = sorted(columns)
                out[table] = entry
            return out
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()
