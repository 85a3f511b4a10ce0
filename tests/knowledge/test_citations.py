"""Every `sources` list in every knowledge TOML file resolves in sources.toml.

Generic on purpose: it walks every table and array of every `knowledge/*.toml`, so a file
another engineer adds (red flags, routines, ...) is covered the day it lands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crampwise.knowledge.loader import knowledge_files, load_toml
from crampwise.knowledge.sources import all_sources


def sources_lists(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every key named `sources`, at any depth of tables and arrays."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if key == "sources":
                yield child, value
            else:
                yield from sources_lists(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from sources_lists(item, f"{path}[{index}]")


def dangling(data: Any, known: set[str]) -> list[str]:
    """Problems with the `sources` lists of one parsed file, as `path: problem` lines."""
    problems = []
    for path, value in sources_lists(data):
        if not isinstance(value, list) or not value:
            problems.append(f"{path}: must be a non-empty list of source ids")
            continue
        problems.extend(f"{path}: unknown source id {item!r}" for item in value if item not in known)
    return problems


CITING_FILES = [name for name in knowledge_files() if name != "sources.toml"]


def test_the_walker_finds_nested_and_dangling_ids() -> None:
    data = {
        "a": {"sources": ["miller2022_jat"]},
        "b": [{"c": [{"sources": ["nope"]}]}, {"sources": []}],
    }
    assert [p for p, _ in sources_lists(data)] == ["a.sources", "b[0].c[0].sources", "b[1].sources"]
    assert dangling(data, set(all_sources())) == [
        "b[0].c[0].sources: unknown source id 'nope'",
        "b[1].sources: must be a non-empty list of source ids",
    ]


def test_relief_is_among_the_checked_files() -> None:
    assert "relief.toml" in CITING_FILES


@pytest.mark.parametrize("name", CITING_FILES)
def test_every_cited_source_resolves(name: str) -> None:
    assert dangling(load_toml(name), set(all_sources())) == []


@pytest.mark.parametrize("name", CITING_FILES)
def test_each_file_cites_something(name: str) -> None:
    assert list(sources_lists(load_toml(name))), f"{name} cites no sources at all"
