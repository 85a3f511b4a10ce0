"""Reading the knowledge-base TOML files shipped inside the package (standard library only)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """The parsed content of `knowledge/<name>` (cached: the files never change at run time)."""
    text = resources.files("crampwise.knowledge").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def knowledge_files() -> list[str]:
    """Names of every TOML file of the knowledge base."""
    root = resources.files("crampwise.knowledge")
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".toml"))
