"""`make bench`: run every benchmark script, write benchmarks/RESULTS.md, fail if any script fails.

Every `*_bench.py` in this folder runs (plus `trigger_validation.py`), each in its own process
with the arguments of PLAN (a run of a few minutes each on a small machine; a script not in
PLAN runs with its defaults, so a new benchmark is never skipped). Each script prints its own
figures as ratios to a floor it measures in the same run; this runner adds the machine they ran
on (CPU model, cores, memory, Python, load average before and after, date) and its own floor, a
bare interpreter start, and copies every script's output into RESULTS.md.

The exit status is 1 when any script exits non-zero (its output and error are in RESULTS.md and
on the terminal), so a broken benchmark breaks `make bench`.

    python benchmarks/run_all.py                      # everything, RESULTS.md next to this file
    python benchmarks/run_all.py startup_bench.py     # only these scripts
    python benchmarks/run_all.py --out /tmp/R.md --dir some/folder
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA_SCRIPTS = ("trigger_validation.py",)
# Arguments for a run of minutes, not hours (account_export_bench's default is a gigabyte of FIT).
PLAN: dict[str, list[str]] = {
    "startup_bench.py": ["-n", "10"],
    "now_startup_bench.py": ["-n", "10"],
    "history_scaling_bench.py": [],
    "web_load_bench.py": [],
    "bundle_bench.py": ["--years", "3", "-n", "3"],
    "report_bench.py": ["--years", "3", "-n", "3"],
    "auth_bench.py": ["-n", "100"],
    "import_bench.py": ["--files", "10"],
    "import_job_bench.py": ["--files", "100", "-n", "1"],
    "account_export_bench.py": ["--activities", "60"],
    "web_bench.py": ["-n", "1"],
    "feed_bench.py": ["-n", "3"],
    "trigger_validation.py": ["--athletes", "40"],
}


@dataclass(frozen=True)
class Outcome:
    script: str
    argv: list[str]
    returncode: int
    seconds: float
    stdout: str
    stderr: str


def scripts_in(folder: Path) -> list[Path]:
    """The benchmark scripts of `folder`: PLAN's order first, then any other, by name."""
    found = {p.name: p for p in folder.glob("*_bench.py")}
    found.update({name: folder / name for name in EXTRA_SCRIPTS if (folder / name).exists()})
    order = [name for name in PLAN if name in found] + sorted(set(found) - set(PLAN))
    return [found[name] for name in order]


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.release()}",
    }


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def bare_interpreter_ms(rounds: int = 20) -> float:
    """The runner's own floor: the median start of `python -c pass`, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(script: Path, args: list[str]) -> Outcome:
    argv = [sys.executable, str(script), *args]
    print(f"== {script.name} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=script.parent.parent)
    seconds = time.perf_counter() - start
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
    print(f"== {script.name}: {status} in {seconds:.0f} s\n", flush=True)
    root = f"{script.parent.parent}/"  # RESULTS.md names files as the repository does, not this machine
    shown = [str(Path(a).relative_to(script.parent.parent)) if a == str(script) else a for a in argv[1:]]
    return Outcome(
        script.name,
        shown,
        done.returncode,
        seconds,
        done.stdout.replace(root, ""),
        done.stderr.replace(root, ""),
    )


def render(outcomes: list[Outcome], info: dict[str, str], loads: tuple[str, str], floor_ms: float) -> str:
    failed = [o.script for o in outcomes if o.returncode != 0]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run_all.py). Every figure is a ratio to a floor that the",
        "same script measured in the same run; absolute times are given for scale only. See",
        "docs/performance.md for what each measures and the aims.",
        "",
        "| | |",
        "| --- | --- |",
        f"| date | {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} |",
        *(f"| {key} | {value} |" for key, value in info.items()),
        f"| load average (1, 5, 15 min) before | {loads[0]} |",
        f"| load average (1, 5, 15 min) after | {loads[1]} |",
        f"| bare interpreter start (`python -c pass`, median) | {floor_ms:.1f} ms |",
        f"| scripts | {len(outcomes)} run, {len(failed)} failed{': ' + ', '.join(failed) if failed else ''} |",
        "",
    ]
    for o in outcomes:
        status = "ok" if o.returncode == 0 else f"**FAILED** (exit {o.returncode})"
        lines += [f"## {o.script}", "", f"`python {' '.join(o.argv)}`: {status}, {o.seconds:.0f} s", ""]
        lines += ["```", o.stdout.rstrip() or "(no output)", "```", ""]
        if o.returncode != 0 and o.stderr.strip():
            lines += [
                "Error output (last lines):",
                "",
                "```",
                *o.stderr.rstrip().splitlines()[-15:],
                "```",
                "",
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", help="only these scripts (names in the folder)")
    parser.add_argument("--dir", type=Path, default=HERE, help="the folder of the scripts")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    chosen = scripts_in(args.dir)
    if args.scripts:
        unknown = sorted(set(args.scripts) - {p.name for p in chosen})
        if unknown:
            parser.error(f"no such benchmark script: {', '.join(unknown)}")
        chosen = [p for p in chosen if p.name in args.scripts]
    before = load_average()
    floor_ms = bare_interpreter_ms()
    outcomes = [run(script, PLAN.get(script.name, [])) for script in chosen]
    after = load_average()
    args.out.write_text(render(outcomes, machine(), (before, after), floor_ms), encoding="utf-8")
    failed = [o.script for o in outcomes if o.returncode != 0]
    print(
        f"wrote {args.out}; {len(outcomes)} scripts, {len(failed)} failed{': ' + ', '.join(failed) if failed else ''}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
