"""What every command shares: the root options, error reporting and JSON output.

Errors follow CONTRACTS.md section 2: one line on stderr naming the field and the accepted
form, no traceback; exit 2 for bad input, 3 for a store or file-system failure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import typer

from crampwise.cli.clicktypes import UsageError
from crampwise.domain.errors import CrampwiseError, InvalidInput, NotFound, StoreError

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3


@dataclass(frozen=True)
class CliState:
    """The root options, kept on the Typer context (`ctx.obj`)."""

    db: str | None = None
    athlete: str | None = None
    demo: bool = False  # the demo's own store (config.demo_database_url)


def state(ctx: typer.Context) -> CliState:
    """The root options of this invocation (defaults when a command runs without the root)."""
    root = ctx.find_root()
    obj = root.obj
    return obj if isinstance(obj, CliState) else CliState()


def error_line(message: str) -> None:
    """Print one error line on stderr (newlines folded: the contract says one line)."""
    flat = " ".join(message.split())
    print(f"crampwise: error: {flat}", file=sys.stderr)


def exit_with(code: int) -> NoReturn:
    raise typer.Exit(code)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    error_line(message)
    exit_with(code)


def fail_usage(exc: UsageError) -> int:
    """Click's usage errors as one line (`--rpe: ...`), exit 2."""
    message = exc.format_message()
    param = getattr(exc, "param", None)
    hint = getattr(param, "opts", None)
    if hint and not any(opt in message for opt in hint):
        message = f"{hint[0]}: {message}"
    error_line(f"{message} (see crampwise --help)")
    return EXIT_BAD_INPUT


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn crampwise errors into the contract's one-line messages and exit codes."""
    try:
        yield
    except InvalidInput as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    except NotFound as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    except StoreError as exc:
        fail(str(exc), EXIT_STORE)
    except CrampwiseError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    except OSError as exc:
        fail(f"{exc.filename or 'file'}: {exc.strerror or exc}", EXIT_STORE)


def print_json(document: Any) -> None:
    """One JSON document on stdout and nothing else (`--json` on every read command)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def parsed(parse: Callable[..., T], text: str | None, **kwargs: Any) -> T | None:
    """Apply a unit parser to an optional option value."""
    return None if text is None else parse(text, **kwargs)
