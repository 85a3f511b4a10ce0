"""Click's exception and command classes as Typer uses them.

Typer vendors Click as `typer._click` (0.29 and later); naming its exceptions once here keeps
the rest of the CLI independent of that detail.
"""

from __future__ import annotations

from typer import Abort, Exit
from typer._click.core import Command, Context
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup as Group

__all__ = ["Abort", "Command", "Context", "Exit", "Group", "NoArgsIsHelpError", "UsageError"]
