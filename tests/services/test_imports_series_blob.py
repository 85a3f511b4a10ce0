"""The stored series format: compact, and exact for every FIT value."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.series import Series
from crampwise.storage.series import decode_series, encode_series

maybe = st.one_of(st.none(), st.integers(min_value=0, max_value=65534))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), maybe, maybe, st.one_of(st.none(), st.integers(-40, 60))), max_size=200
    )
)
def test_fit_values_round_trip_exactly(rows: list[tuple[int, int | None, int | None, int | None]]) -> None:
    elapsed, t = [], 0
    for step, *_ in rows:
        t += step
        elapsed.append(t)
    series = Series.build(
        elapsed,
        heart_rate=[r[1] if r[1] is None else r[1] % 255 for r in rows],
        speed_m_s=[None if r[2] is None else r[2] / 1000 for r in rows],  # FIT speed: raw / 1000
        temperature_c=[r[3] for r in rows],
        power=[r[2] for r in rows],
        cadence=[None if r[1] is None else r[1] % 255 for r in rows],
    )
    assert decode_series(encode_series(series)) == series


def test_cm_per_s_speeds_and_missing_values_are_exact() -> None:
    series = Series.build([0, 1, 2], speed_m_s=[354 / 100, None, 0.07], heart_rate=[None, 93, None])
    back = decode_series(encode_series(series))
    assert back.speed_m_s[0] == 3.54 and math.isnan(back.speed_m_s[1]) and back.speed_m_s[2] == 0.07
    assert back == series


def test_an_hour_at_one_hertz_is_small() -> None:
    n = 3600
    series = Series.build(
        list(range(n)),
        heart_rate=[140 + (i % 20) for i in range(n)],
        speed_m_s=[3.0 + (i % 7) / 100 for i in range(n)],
        temperature_c=[24] * n,
    )
    blob = encode_series(series)
    assert len(blob) < 6 * n  # under 6 bytes a second for five channels
