"""A TOML reader for the `crampwise now` fast path: parsed once, then cached with `marshal`.

Like a `.pyc`, the cache sits in `__pycache__` beside the file and is keyed on the file's size and
modification time; a cache that cannot be written is simply skipped (a read-only install parses
each time). `tomllib` is imported only when the file changed. Used for relief.toml and
emergency.toml (knowledge/relief.py explains the start-up budget).
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from typing import Any


def _cache_path(path: str) -> str:
    folder = os.path.join(os.path.dirname(path), "__pycache__")
    return os.path.join(folder, f"{os.path.basename(path)}.{sys.implementation.cache_tag}.marshal")


def read_cached_toml(path: str) -> dict[str, Any]:
    """The parsed TOML file at `path`: from the marshal cache when it matches the file, else parsed."""
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size)
    cache = _cache_path(path)
    try:
        with open(cache, "rb") as handle:
            cached_key, data = marshal.load(handle)
        if tuple(cached_key) == key and isinstance(data, dict):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import tomllib

    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        partial = f"{cache}.{os.getpid()}"
        with open(partial, "wb") as handle:
            marshal.dump((key, data), handle)
        os.replace(partial, cache)
    except (OSError, ValueError):
        pass  # read-only install: parse each time, as Python does without its .pyc
    return data
