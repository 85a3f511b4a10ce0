"""How fast does `crampwise now calf --plain` start, against a bare interpreter in the same run?

Relief must start in a blink (DESIGN.md): the target is at most 3x the floor, where the floor is
`python -c pass` measured here, interleaved with the crampwise runs so that machine load hits
all of them alike. Prints the median wall time of each and the ratios.

    python benchmarks/now_startup_bench.py            # 20 rounds
    python benchmarks/now_startup_bench.py -n 5       # quick look
    python benchmarks/now_startup_bench.py --check    # exit 1 when a ratio exceeds the target
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 3.0


def commands() -> dict[str, list[str]]:
    """The floor and the two ways a user starts `crampwise now` (module and console script)."""
    python = sys.executable
    out = {
        "python -c pass (floor)": [python, "-c", "pass"],
        "python -m crampwise now calf --plain": [python, "-m", "crampwise", "now", "calf", "--plain"],
    }
    script = Path(python).with_name("crampwise")
    if script.exists():
        out["crampwise now calf --plain"] = [str(script), "now", "calf", "--plain"]
    else:
        print(f"note: no console script next to {python}; measuring the module only", file=sys.stderr)
    return out


def once(argv: list[str]) -> float:
    """Wall seconds of one run; fails loudly if the command does not exit 0."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio exceeds {TARGET_RATIO}")
    args = parser.parse_args()
    cmds = commands()
    for argv in cmds.values():  # warm the file cache and any .pyc compilation
        once(argv)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.rounds):
        for name, argv in cmds.items():
            times[name].append(once(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor_name = next(iter(cmds))
    floor = medians[floor_name]
    print(f"rounds: {args.rounds}   python: {sys.executable}")
    worst = 0.0
    for name, median in medians.items():
        ratio = median / floor
        if name != floor_name:
            worst = max(worst, ratio)
        print(f"{name:<40} median {median * 1000:7.1f} ms   ratio {ratio:5.2f}x")
    verdict = "within" if worst <= TARGET_RATIO else "ABOVE"
    print(f"worst ratio {worst:.2f}x: {verdict} the {TARGET_RATIO:.0f}x target")
    return 1 if args.check and worst > TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
