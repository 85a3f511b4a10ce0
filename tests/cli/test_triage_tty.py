"""`crampwise check --ask` at a real pseudo-terminal (pexpect): typed answers, a retry on nonsense."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta

import pytest

from crampwise.config import Settings
from crampwise.services import journal
from crampwise.services.context import open_context

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.tty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def test_typed_answers_are_recorded_and_the_review_follows(settings: Settings) -> None:
    now = datetime.now().astimezone()
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana"})
        journal.log_cramp(
            ctx,
            athlete=None,
            data={"muscle": "calf", "side": "left", "context": "rest", "at": now - timedelta(hours=1)},
            now=now,
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crampwise", "--db", settings.database_url, "check", "--ask"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 120),
    )
    child.expect(r"tea- or cola-coloured\)\? \[y/N\]")
    child.sendline("n")
    child.expect(r"swollen afterwards\? \[y/N\]")
    child.sendline("perhaps")
    child.expect("Please answer y or n.")
    child.expect(r"swollen afterwards\? \[y/N\]")
    child.sendline("y")
    child.expect(r"red or discoloured\? \[y/N\]")
    child.sendline("")  # Enter alone is "no"
    child.expect(r"warm to the touch\? \[y/N\]")
    child.sendline("yes")
    for _ in range(3):  # weakness, numbness, persistent pain
        child.expect(r"\[y/N\]")
        child.sendline("n")
    child.expect("Other warning signs:")
    child.sendeof()  # end of input: every remaining answer is "no"
    child.expect("Answers recorded on c-0001.")
    child.expect("URGENT")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with open_context(settings) as ctx:
        stored = journal.load_history(ctx, athlete=None).cramps[-1]
    assert [s.value for s in stored.symptoms] == ["swelling", "warmth"]
