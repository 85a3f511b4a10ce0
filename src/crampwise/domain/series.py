"""A session's time series: what the athlete was doing, second by second.

Why `array.array('d')` and not numpy: the domain layer stays standard-library light (the
`crampwise now` fast path must never pay for numpy), an `array` pickles as raw bytes (cheap to
send back from import worker processes), and the science layer can wrap one in a numpy view
without copying (`numpy.frombuffer`). Missing values are NaN, so every channel has the length
of `elapsed_s` and indexing one sample is the same index on every channel.

Units are in the names: seconds since the session start, beats per minute, metres per second,
degrees Celsius, revolutions (or steps) per minute, watts.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

CHANNELS: Final = ("heart_rate", "speed_m_s", "temperature_c", "cadence", "power")
MISSING: Final = math.nan


def _floats(values: Iterable[float | int | None]) -> array[float]:
    return array("d", (MISSING if v is None else float(v) for v in values))


@dataclass(frozen=True)
class Sample:
    """The channels at one moment (None where the device recorded nothing)."""

    elapsed_s: float
    heart_rate: float | None
    speed_m_s: float | None
    temperature_c: float | None
    cadence: float | None
    power: float | None


@dataclass(frozen=True, eq=False)
class Series:
    """Equal-length channels sampled at `elapsed_s` (non-decreasing seconds from the start)."""

    elapsed_s: array[float]
    heart_rate: array[float]
    speed_m_s: array[float]
    temperature_c: array[float]
    cadence: array[float]
    power: array[float]

    def __post_init__(self) -> None:
        n = len(self.elapsed_s)
        for name in CHANNELS:
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"series channel {name} has {len(getattr(self, name))} samples, expected {n}"
                )

    @classmethod
    def build(
        cls,
        elapsed_s: Sequence[float],
        *,
        heart_rate: Sequence[float | int | None] | None = None,
        speed_m_s: Sequence[float | int | None] | None = None,
        temperature_c: Sequence[float | int | None] | None = None,
        cadence: Sequence[float | int | None] | None = None,
        power: Sequence[float | int | None] | None = None,
    ) -> Series:
        """A series from plain sequences; an absent channel is all-missing."""
        n = len(elapsed_s)

        def channel(values: Sequence[float | int | None] | None) -> array[float]:
            return array("d", [MISSING]) * n if values is None else _floats(values)

        return cls(
            elapsed_s=array("d", (float(v) for v in elapsed_s)),
            heart_rate=channel(heart_rate),
            speed_m_s=channel(speed_m_s),
            temperature_c=channel(temperature_c),
            cadence=channel(cadence),
            power=channel(power),
        )

    @classmethod
    def empty(cls) -> Series:
        return cls.build([])

    def __len__(self) -> int:
        return len(self.elapsed_s)

    def __eq__(self, other: object) -> bool:
        """Same samples, NaN equal to NaN (missing equals missing)."""
        if not isinstance(other, Series):
            return NotImplemented
        return all(_same(getattr(self, name), getattr(other, name)) for name in ("elapsed_s", *CHANNELS))

    __hash__ = None  # type: ignore[assignment]

    def has(self, channel: str) -> bool:
        """Whether the device recorded this channel at all."""
        return any(not math.isnan(v) for v in getattr(self, channel))

    def mean(self, channel: str) -> float | None:
        """Time-weighted mean of a channel over its present samples (None when absent)."""
        values = getattr(self, channel)
        t = self.elapsed_s
        total = weight_sum = 0.0
        count = 0
        plain = 0.0
        for i, v in enumerate(values):
            if math.isnan(v):
                continue
            count += 1
            plain += v
            w = (t[i + 1] - t[i]) if i + 1 < len(t) else 0.0
            if w > 0:
                total += v * w
                weight_sum += w
        if count == 0:
            return None
        return total / weight_sum if weight_sum > 0 else plain / count

    def index_at(self, elapsed_s: float) -> int | None:
        """Index of the sample nearest to `elapsed_s` (None for an empty series)."""
        n = len(self.elapsed_s)
        if n == 0:
            return None
        i = bisect_left(self.elapsed_s, elapsed_s)
        if i == 0:
            return 0
        if i >= n:
            return n - 1
        before, after = self.elapsed_s[i - 1], self.elapsed_s[i]
        return i - 1 if elapsed_s - before <= after - elapsed_s else i

    def sample(self, index: int) -> Sample:
        def get(name: str) -> float | None:
            v = getattr(self, name)[index]
            return None if math.isnan(v) else v

        return Sample(
            elapsed_s=self.elapsed_s[index],
            heart_rate=get("heart_rate"),
            speed_m_s=get("speed_m_s"),
            temperature_c=get("temperature_c"),
            cadence=get("cadence"),
            power=get("power"),
        )


def _same(a: array[float], b: array[float]) -> bool:
    if len(a) != len(b):
        return False
    return all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))
