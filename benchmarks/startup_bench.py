"""How fast do crampwise's commands start, against a bare interpreter in the same run?

Every command runs as a user runs it (the console script, a new process), on a temporary store
holding the demo athlete (about a year: 250 sessions, 40 cramps). The floor is `python -c pass`,
measured interleaved with the commands so that machine load hits all of them alike. For each
command it prints the median wall time, its ratio to the floor, the aim (issue 17) and the peak
resident memory of the process (`wait4`'s `ru_maxrss`).

Aims: `--version` and `now calf --plain` under 3x; `list cramps`, `check` and `plan` under 20x;
`insights` under 40x.

    python benchmarks/startup_bench.py            # 10 rounds
    python benchmarks/startup_bench.py -n 3       # quick look
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAN = ["plan", "--sport", "run", "--duration", "3h", "--temperature", "28", "--rpe", "6"]
AIMS: dict[str, float] = {
    "--version": 3.0,
    "now calf --plain": 3.0,
    "list cramps": 20.0,
    "check": 20.0,
    "plan": 20.0,
    "insights": 40.0,
}


def commands(script: str, db_url: str) -> dict[str, list[str]]:
    """The floor first, then each command as typed by a user."""
    store = [script, "--db", db_url]
    return {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "--version": [script, "--version"],
        "now calf --plain": [script, "now", "calf", "--plain"],
        "list cramps": [*store, "list", "cramps"],
        "check": [*store, "check"],
        "plan": [*store, *PLAN],
        "insights": [*store, "insights"],
    }


def once(argv: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one run; fails loudly if the command does not exit 0."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {err.strip()[:300]}")
    return elapsed, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=10, help="runs of each command (default 10)")
    args = parser.parse_args()
    script = str(Path(sys.executable).with_name("crampwise"))
    with tempfile.TemporaryDirectory(prefix="crampwise-startup-") as folder:
        db_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        subprocess.run([script, "--db", db_url, "demo"], check=True, stdout=subprocess.DEVNULL)
        cmds = commands(script, db_url)
        for argv in cmds.values():  # warm the file cache and the .pyc files
            once(argv)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        peaks: dict[str, int] = dict.fromkeys(cmds, 0)
        for _ in range(args.rounds):
            for name, argv in cmds.items():
                wall, rss = once(argv)
                times[name].append(wall)
                peaks[name] = max(peaks[name], rss)
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor_name = next(iter(cmds))
    floor = medians[floor_name]
    print(f"rounds: {args.rounds}; store: the demo athlete in a temporary SQLite file")
    print(f"{'command':<24} {'median':>9} {'ratio':>7} {'aim':>6}  {'peak RSS':>9}  verdict")
    for name, median in medians.items():
        ratio = median / floor
        aim = AIMS.get(name)
        verdict = "" if aim is None else ("met" if ratio <= aim else "MISSED")
        aim_text = "" if aim is None else f"{aim:.0f}x"
        print(
            f"{name:<24} {median * 1000:7.1f}ms {ratio:6.1f}x {aim_text:>6}  {peaks[name] / 1024:7.1f}MB  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
