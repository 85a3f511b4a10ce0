"""`make bench`'s runner: every script runs, a failing script fails the run, RESULTS.md is written."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

RUNNER = Path(__file__).resolve().parents[2] / "benchmarks" / "run_all.py"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run_all", RUNNER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _scripts(folder: Path, **bodies: str) -> None:
    for name, body in bodies.items():
        (folder / name).write_text(body, encoding="utf-8")


def test_a_failing_script_fails_the_run_and_is_named_in_results(tmp_path: Path) -> None:
    run_all = _runner()
    _scripts(
        tmp_path,
        a_bench_py="",  # not a benchmark name: ignored
        **{
            "fine_bench.py": "print('ratio 1.5x to the floor')\n",
            "broken_bench.py": "import sys\nprint('half way')\nsys.exit('no server to measure')\n",
        },
    )
    out = tmp_path / "RESULTS.md"
    assert run_all.main(["--dir", str(tmp_path), "--out", str(out)]) == 1
    text = out.read_text()
    assert "| scripts | 2 run, 1 failed: broken_bench.py |" in text
    assert "## broken_bench.py" in text and "**FAILED** (exit 1)" in text and "no server to measure" in text
    assert "## fine_bench.py" in text and "ratio 1.5x to the floor" in text
    for field in ("| CPU |", "| cores |", "| memory |", "| Python |", "load average", "| date |"):
        assert field in text


def test_all_scripts_passing_is_success(tmp_path: Path) -> None:
    run_all = _runner()
    _scripts(tmp_path, **{"one_bench.py": "print(__file__)\n", "two_bench.py": "print(2)\n"})
    out = tmp_path / "RESULTS.md"
    assert run_all.main(["--dir", str(tmp_path), "--out", str(out)]) == 0
    text = out.read_text()
    assert "| scripts | 2 run, 0 failed |" in text
    assert str(tmp_path.parent) not in text  # files named from the repository, not this machine
    assert f"`python {tmp_path.name}/one_bench.py`" in text
    assert run_all.main(["--dir", str(tmp_path), "--out", str(out), "one_bench.py"]) == 0
    assert "## two_bench.py" not in out.read_text()


def test_every_benchmark_in_the_repository_is_run_by_make_bench() -> None:
    run_all = _runner()
    names = {p.name for p in run_all.scripts_in(RUNNER.parent)}
    on_disk = {p.name for p in RUNNER.parent.glob("*_bench.py")} | {"trigger_validation.py"}
    assert names == on_disk
    assert set(run_all.PLAN) >= on_disk  # each has arguments sized for a run of minutes
    makefile = (RUNNER.parents[1] / "Makefile").read_text()
    bench = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert "benchmarks/run_all.py" in bench and "|| true" not in bench
