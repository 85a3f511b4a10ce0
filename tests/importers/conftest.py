"""Where the shared real activity files are (skipped with the reason when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = (Path("/work/shared/data/activities"), _REPO.parent / "shared" / "data" / "activities")


def shared_dir() -> Path | None:
    return next((p for p in _CANDIDATES if (p / "fit").is_dir()), None)


def shared_files(kind: str) -> list[Path]:
    base = shared_dir()
    return sorted((base / kind).glob(f"*.{kind}")) if base else []


@pytest.fixture
def activities_dir() -> Path:
    base = shared_dir()
    if base is None:
        pytest.skip("shared activity files absent (../shared/data/activities)")
    return base
