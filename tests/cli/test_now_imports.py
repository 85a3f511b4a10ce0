"""`crampwise now calf --plain` imports nothing heavy (no timing here: see benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "pydantic", "numpy", "scipy", "typer", "click", "rich", "fastapi", "alembic")


def imported_by_importtime(stderr: str) -> set[str]:
    """Top-level package names of every module listed by `python -X importtime`."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":
                names.add(name.split(".")[0])
    return names


def test_importtime_of_now_plain_lists_no_heavy_package() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "crampwise", "now", "calf", "--plain"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("Calf cramp:")
    imported = imported_by_importtime(result.stderr)
    assert "crampwise" in imported, "the parser found the import lines"
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_sys_modules_after_now_plain_and_the_menu_path_stay_light() -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from crampwise.cli.entry import main\n"
        "for argv in (['now', 'calf', '--plain'], ['--db', 'sqlite:///x.db', 'now', 'toes']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "        try:\n"
        "            main(argv)\n"
        "        except SystemExit as exc:\n"
        "            assert exc.code == 0, exc.code\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set(json.loads(result.stdout))
    assert "crampwise" in modules
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_console_script_prints_the_protocol_and_exits_0() -> None:
    script = Path(sys.executable).with_name("crampwise")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    result = subprocess.run(
        [str(script), "now", "calf", "--plain"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Calf cramp:")
    bad = subprocess.run(
        [str(script), "now", "elbow"], capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "known muscles: calf" in bad.stderr
