"""The small exact tests behind the red-flag frequency rules (pure; scipy only).

Kept apart from science/triage.py so each can be checked against its formula on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date

from scipy import stats


def max_days_in_week(days: Iterable[date]) -> tuple[int, list[date]]:
    """The most distinct days falling within any 7 consecutive days, and those days."""
    ordered = sorted(set(days))
    best: list[date] = []
    start = 0
    for end, day in enumerate(ordered):
        while (day - ordered[start]).days >= 7:
            start += 1
        if end - start + 1 > len(best):
            best = ordered[start : end + 1]
    return len(best), best


def rate_test(k_recent: int, t_recent_d: float, k_base: int, t_base_d: float) -> tuple[float, float]:
    """One-sided exact conditional test that the recent Poisson rate exceeds the baseline one.

    Returns (p, rate ratio). Given n = k_recent + k_base, under equal rates k_recent is
    Binomial(n, t_recent / (t_recent + t_base)); p = P(X >= k_recent). The ratio uses half an
    event in an empty baseline so that it stays finite.
    """
    n = k_recent + k_base
    share = t_recent_d / (t_recent_d + t_base_d)
    p = float(stats.binom.sf(k_recent - 1, n, share)) if k_recent > 0 else 1.0
    ratio = (k_recent / t_recent_d) / (max(k_base, 0.5) / t_base_d)
    return p, ratio


def trend_test(week_indices: Sequence[int], n_weeks: int) -> tuple[float, float]:
    """Score test of a log-linear Poisson trend given the total: (z, one-sided p)."""
    n = len(week_indices)
    if n == 0 or n_weeks < 2:
        return 0.0, 1.0
    expected = n * (n_weeks - 1) / 2
    variance = n * (n_weeks**2 - 1) / 12
    z = (sum(week_indices) - expected) / math.sqrt(variance)
    return z, float(stats.norm.sf(z))
