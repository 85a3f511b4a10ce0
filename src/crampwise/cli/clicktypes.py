"""Click's exception classes as Typer raises them.

Typer vendors Click as `typer._click` (0.29 and later); naming its exceptions once here keeps
the rest of the CLI independent of that detail.
"""

from __future__ import annotations

from typer import Abort, Exit
from typer._click.exceptions import NoArgsIsHelpError, UsageError

__all__ = ["Abort", "Exit", "NoArgsIsHelpError", "UsageError"]
