"""The fault hook (crampwise.faults): off unless armed, counts when armed, reports what it did.

Its kills are exercised for real by tests/faults/test_kill_anywhere.py and
tests/storage/test_concurrency.py; here the parts that need no dead process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crampwise import faults
from crampwise.storage.engine import make_engine


@pytest.fixture(autouse=True)
def disarmed_after() -> Iterator[None]:
    yield
    faults.configure({})


def test_not_armed_by_default_checkpoints_do_nothing() -> None:
    faults.configure({})
    assert not faults.armed()
    faults.checkpoint("anything")
    assert faults.passed() == 0


def test_armed_to_count_it_counts_and_reports_the_total(tmp_path: Path) -> None:
    report = tmp_path / "report"
    faults.configure({faults.ENV_KILL_AT: "0", faults.ENV_REPORT: str(report)})
    assert faults.armed()
    for _ in range(3):
        faults.checkpoint("x")
    assert faults.passed() == 3
    faults.write_count()
    assert report.read_text() == "count 3\n"


def test_an_armed_engine_has_kill_points_in_every_statement_an_unarmed_one_none(tmp_path: Path) -> None:
    faults.configure({faults.ENV_KILL_AT: "0"})
    engine = make_engine(f"sqlite:///{tmp_path / 'armed.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    engine.dispose()
    assert faults.passed() >= 5  # BEGIN, two statements (before and after each), the commit
    faults.configure({})
    engine = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    engine.dispose()
    assert faults.passed() == 0
