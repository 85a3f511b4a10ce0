"""Docs are tested: every command of the whole CLI has help text and is named in docs/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from crampwise.cli.app import build_app, run_app

ROOT = Path(__file__).resolve().parents[1]


def _leaf_commands() -> Iterator[str]:
    def walk(command: object, path: list[str]) -> Iterator[str]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path)

    yield from walk(typer.main.get_command(build_app()), [])


def _documented() -> set[str]:
    """Command paths named as `crampwise group sub` or `crampwise group a|b|c` in README and docs/."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")])
    found: set[str] = set()
    for group, subs in re.findall(r"crampwise (?:--\w+ \S+ )*([a-z]+)(?: ([a-z_|]+))?", text):
        found.add(group)
        found.update(f"{group} {sub}" for sub in subs.split("|") if sub)
    return found


COMMANDS = sorted(_leaf_commands())


def test_the_cli_has_the_contract_commands() -> None:
    for command in (
        "now",
        "plan",
        "sweat",
        "insights",
        "check",
        "report",
        "export",
        "import",
        "demo",
        "log cramp",
    ):
        assert command in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app([*command.split(), "--help"]) == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith(f"Usage: crampwise {command}")
    assert len(help_text.split("\n\n")[1].strip()) > 10, "a sentence of help"
    assert command in _documented(), f"`crampwise {command}` is not named in README.md or docs/"
