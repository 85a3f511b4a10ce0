"""Two one-dimensional solvers the statistics need, in plain Python.

Why not `scipy.optimize`: importing it costs about half a second (it pulls in scipy.linalg,
scipy.sparse and the LP solvers), more than the whole analysis of a year of data, and every
`crampwise insights` or web request on a fresh worker paid it for two scalar searches. These are
the textbook algorithms scipy itself uses for the same calls:

- `brent_root`: Brent's method (Brent 1973, *Algorithms for Minimization without Derivatives*,
  ch. 4; the `zeroin` of netlib), as `scipy.optimize.brentq`: bisection, secant and inverse
  quadratic steps, always keeping the root bracketed;
- `golden_max`: golden-section search for the maximum of a unimodal function on an interval
  (Kiefer 1953), to `xtol` in the argument.

Tests check both against scipy on the functions the statistics use.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_EPS = 2.220446049250313e-16  # float64 machine epsilon
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # 1/golden ratio, ~0.618


def brent_root(
    f: Callable[[float], float], a: float, b: float, *, xtol: float = 2e-12, max_iter: int = 100
) -> float:
    """A root of `f` in [a, b], where f(a) and f(b) differ in sign, to within about `xtol`.

    `ValueError` when the interval does not bracket a sign change (as scipy's brentq).
    """
    fa, fb = f(a), f(b)
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    if (fa > 0.0) == (fb > 0.0):
        raise ValueError("f(a) and f(b) must have different signs")
    c, fc = a, fa
    d = e = b - a
    for _ in range(max_iter):
        if (fb > 0.0) == (fc > 0.0):  # keep the root between b and c
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):  # b is the best guess so far
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2.0 * _EPS * abs(b) + 0.5 * xtol
        m = 0.5 * (c - b)
        if abs(m) <= tol or fb == 0.0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:  # secant
                p, q = 2.0 * m * s, 1.0 - s
            else:  # inverse quadratic interpolation
                q, r = fa / fc, fb / fc
                p = s * (2.0 * m * q * (q - r) - (b - a) * (r - 1.0))
                q = (q - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            if 2.0 * p < min(3.0 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:  # interpolation would leave the bracket or converge slowly: bisect
                d = e = m
        else:
            d = e = m
        a, fa = b, fb
        b += d if abs(d) > tol else math.copysign(tol, m)
        fb = f(b)
    return b


def golden_max(f: Callable[[float], float], low: float, high: float, *, xtol: float = 1e-5) -> float:
    """The argument of the maximum of a unimodal `f` on [low, high], to within `xtol`."""
    x1 = high - _INV_PHI * (high - low)
    x2 = low + _INV_PHI * (high - low)
    f1, f2 = f(x1), f(x2)
    while high - low > xtol:
        if f1 >= f2:
            high, x2, f2 = x2, x1, f1
            x1 = high - _INV_PHI * (high - low)
            f1 = f(x1)
        else:
            low, x1, f1 = x1, x2, f2
            x2 = low + _INV_PHI * (high - low)
            f2 = f(x2)
    return (low + high) / 2.0
