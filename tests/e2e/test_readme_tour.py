"""The README's tour, followed literally on a fresh machine with the demo present (issue 13).

Every command of the tour's code block runs as the console script would, in a new HOME with
its own data directory, after `crampwise demo` (the demo used to take over the store). Each
must exit 0, and the user's own athlete must be the one the commands act on.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.test_show_and_import import run_gpx

README = Path(__file__).resolve().parents[2] / "README.md"
pytestmark = pytest.mark.slow


def tour_commands() -> list[str]:
    """The lines of the README's "A short tour" code block, without their comments."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## A short tour", 1)[1].split("```", 2)[1]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    return [line for line in lines if line.startswith("crampwise")]


def test_the_readme_tour_works_for_the_users_own_athlete_with_the_demo_present(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    start = datetime.now(UTC) - timedelta(days=3)
    with zipfile.ZipFile(home / "Downloads" / "export_12345.zip", "w") as archive:
        archive.writestr("activities/run.gpx", run_gpx(start, minutes=60))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TZ="Europe/Madrid")
    script = Path(sys.executable).with_name("crampwise")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")

    def run(line: str) -> str:
        words = [str(home) + w[1:] if w.startswith("~") else w for w in shlex.split(line)]  # the new HOME
        done = subprocess.run(
            [str(script), *words[1:]],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{line}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
        return done.stdout + done.stderr

    run("crampwise demo")
    outputs = {}
    for command in tour_commands():
        for part in command.split(" && "):
            outputs[part] = run(part)
    logged = next(v for k, v in outputs.items() if k.startswith("crampwise log cramp"))
    assert re.search(r"Linked to session s-0001", logged)  # the cramp went to Ana's session
    assert "Ana" in run("crampwise athlete list") and "Demo Runner" not in run("crampwise athlete list")
    assert "Demo Runner" in run("crampwise --demo athlete list")
    assert (home / "for-my-doctor.pdf").read_bytes().startswith(b"%PDF")
    data = home / ".local" / "share" / "crampwise"
    assert {p.name for p in data.iterdir()} >= {"crampwise.db", "demo.db"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in (data, *data.iterdir()))
