"""The `check --ask` questions as a form: answers recorded on the latest cramp, then the review.

The same steps as the CLI's `check --ask` (services.triage): symptoms answered yes are added to
the latest cramp, the other "yes" answers are kept on it; with no cramp logged yet the answers
count for this review only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crampwise.science.triage_flags import Review
from crampwise.services.context import AppContext
from crampwise.services.triage import check, latest_cramp, record_answers


def answer_and_check(
    ctx: AppContext, *, athlete: str | None, symptoms: Sequence[str], flags: Sequence[str], now: datetime
) -> Review:
    if latest_cramp(ctx, athlete=athlete) is not None:
        record_answers(ctx, athlete=athlete, symptoms=symptoms, flags=flags, now=now)
    return check(ctx, athlete=athlete, now=now, answers=flags)
