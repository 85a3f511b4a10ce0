"""Kill rates per package from mutmut's results (`mutants/**/*.py.meta`), as a Markdown table.

`make mutate` prints it after `mutmut run`; docs/testing.md keeps the figures of the last run.
Killed = a test failed (or timed out) with the mutant in place; survived = every test that
reaches the mutated function passed; no tests = no test reaches it. The kill rate is killed /
(killed + survived + no tests); mutants not checked yet are counted apart.

Usage: python scripts/mutation_rates.py [--survivors PACKAGE] (run in the repository's root)
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # test failure, pytest error, timeouts, type check
SURVIVED = {0}
NO_TESTS = {5, 33}
PACKAGES = ("domain", "importers", "science")


def outcomes(root: Path = Path("mutants")) -> dict[str, Counter[str]]:
    """Per package, how many mutants were killed, survived, reached by no test, not checked."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for meta in sorted(root.glob("src/crampwise/*/**/*.py.meta")):
        package = meta.relative_to(root / "src" / "crampwise").parts[0]
        for code in json.loads(meta.read_text())["exit_code_by_key"].values():
            if code is None:
                out[package]["not checked"] += 1
            elif code in KILLED:
                out[package]["killed"] += 1
            elif code in SURVIVED:
                out[package]["survived"] += 1
            elif code in NO_TESTS:
                out[package]["no tests"] += 1
            else:
                out[package]["other"] += 1
    return out


def survivors(package: str, root: Path = Path("mutants")) -> list[str]:
    names = []
    for meta in sorted(root.glob(f"src/crampwise/{package}/**/*.py.meta")):
        names += [k for k, v in json.loads(meta.read_text())["exit_code_by_key"].items() if v in SURVIVED]
    return names


def table(counts: dict[str, Counter[str]]) -> str:
    lines = [
        "| package | mutants checked | killed | survived | no tests | kill rate | not checked yet |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for package in PACKAGES:
        c = counts.get(package, Counter())
        judged = c["killed"] + c["survived"] + c["no tests"]
        rate = f"{100 * c['killed'] / judged:.1f} %" if judged else "-"
        lines.append(
            f"| `{package}/` | {judged} | {c['killed']} | {c['survived']} | {c['no tests']} | {rate} | "
            f"{c['not checked']} |"
        )
    return "\n".join(lines)


def main() -> None:
    if not Path("mutants").is_dir():
        sys.exit("mutation_rates: no mutants/ here: run `make mutate` first")
    if len(sys.argv) == 3 and sys.argv[1] == "--survivors":
        print("\n".join(survivors(sys.argv[2])))
        return
    print(table(outcomes()))


if __name__ == "__main__":
    main()
