"""Wearable import speed: crampwise's full import against a bare fitdecode decode, same run.

For two sets of FIT files, the shared real files (../shared/data/activities/fit) and a larger
generated set (benchmarks/.data/fit-set, see make_fit_set.py), this prints:

- reference: a bare single-process fitdecode decode of every file (iterating every frame,
  fitdecode's default data processor, CRC check off and lenient error handling: its fastest
  configuration, so the floor is as low as fitdecode goes);
- crampwise: `services.imports.import_paths` on the same files into a fresh temp SQLite
  store (parsing in the process pool, series compression and store writes included; the
  athlete is created and the schema migrated before the clock starts);
- the ratio reference / crampwise (target: >= 3), how many files needed the fitdecode
  fallback, and the lean decoder alone for comparison.

    python benchmarks/import_bench.py [--files 40] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fit_set import generate

REPO = Path(__file__).resolve().parents[1]
SHARED = next(
    (
        p
        for p in (REPO.parent / "shared" / "data" / "activities", Path("/work/shared/data/activities"))
        if p.is_dir()
    ),
    None,
)


def fitdecode_decode(paths: list[Path]) -> float:
    import fitdecode

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    for path in paths:
        try:
            with fitdecode.FitReader(
                str(path),
                check_crc=fitdecode.CrcCheck.DISABLED,
                error_handling=fitdecode.ErrorHandling.IGNORE,
            ) as reader:
                for _frame in reader:
                    pass
        except Exception:
            continue
    return time.perf_counter() - start


def lean_decode(paths: list[Path]) -> float:
    from crampwise.importers.fit import read_contents

    start = time.perf_counter()
    for path in paths:
        read_contents(path.read_bytes())
    return time.perf_counter() - start


def crampwise_import(paths: list[Path], workers: int | None) -> tuple[float, dict[str, int], int]:
    from crampwise.config import Settings
    from crampwise.services import journal
    from crampwise.services.context import open_context
    from crampwise.services.imports import import_paths

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", data_dir=Path(tmp))
        with open_context(settings) as ctx:
            journal.add_athlete(ctx, data={"name": "Bench", "timezone": "UTC"})
            start = time.perf_counter()
            report = import_paths(ctx, athlete=None, paths=paths, now=datetime.now(UTC), workers=workers)
            elapsed = time.perf_counter() - start
    doc = report.to_json()
    counts = {k: doc[k] for k in ("imported", "duplicates", "skipped", "errors")}
    fallbacks = sum(1 for f in report.files if f.decoder == "fitdecode")
    return elapsed, counts, fallbacks


def measure(name: str, paths: list[Path], repeat: int, workers: int | None) -> float:
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    reference = min(fitdecode_decode(paths) for _ in range(repeat))
    lean = min(lean_decode(paths) for _ in range(repeat))
    runs = [crampwise_import(paths, workers) for _ in range(repeat)]
    full, counts, fallbacks = min(runs, key=lambda r: r[0])
    print(f"\n{name}: {len(paths)} FIT files, {megabytes:.2f} MB")
    print(
        f"  reference  fitdecode decode, 1 process     {reference:7.3f} s  ({megabytes / reference:6.2f} MB/s)"
    )
    print(
        f"  lean       crampwise decoder alone, 1 proc {lean:7.3f} s  ({reference / lean:6.1f}x the reference)"
    )
    print(f"  crampwise  full import into SQLite         {full:7.3f} s  ({megabytes / full:6.2f} MB/s)")
    print(f"  results    {counts}; fitdecode fallback used for {fallbacks} file(s)")
    ratio = reference / full
    print(f"  RATIO reference / crampwise full import = {ratio:.1f}x  (target >= 3x)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description="crampwise import speed vs a bare fitdecode decode")
    parser.add_argument("--files", type=int, default=40, help="generated FIT files (default 40)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    parser.add_argument("--workers", type=int, default=None, help="import worker processes (default: cores)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers or 'default'}")
    ratios = []
    if SHARED is not None:
        ratios.append(
            measure("shared real files", sorted((SHARED / "fit").glob("*.fit")), args.repeat, args.workers)
        )
    else:
        print("shared files absent: measuring the generated set only")
    generated = generate(Path(__file__).with_name(".data") / "fit-set", args.files)
    ratios.append(measure("generated set", generated, args.repeat, args.workers))
    print(f"\nlowest ratio: {min(ratios):.1f}x")


if __name__ == "__main__":
    main()
