"""The small exact tests behind the red-flag frequency rules (pure; standard library only).

Kept apart from science/triage.py so each can be checked against its formula on its own. The
two tails are written out (a binomial sum, the normal's `erfc`) rather than taken from
scipy.stats, whose import alone (about 0.7 s) was most of `crampwise check`'s start-up; tests
check them against scipy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date


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
    p = binomial_upper_tail(k_recent, n, share) if k_recent > 0 else 1.0
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
    return z, 0.5 * math.erfc(z / math.sqrt(2.0))  # the standard normal's upper tail


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly term by term (in logs, so that large n
    neither overflows nor underflows)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    total = math.fsum(
        math.exp(log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q)
        for i in range(k, n + 1)
    )
    return min(1.0, total)
