"""`show cramp` says faster or slower in words, in the athlete's units, never past 100 %."""

from __future__ import annotations

from crampwise.cli.show import moment_lines
from crampwise.domain.enums import UnitSystem
from crampwise.science.moments import CrampMoment


def _moment(**extra: object) -> CrampMoment:
    values: dict[str, object] = {
        "elapsed_s": 3000.0, "fraction": 0.5, "during_session": True, "duration_s": 6000.0,
        "series_covers": True, "heart_rate": 160.0, "session_avg_hr": 150.0, "hr_vs_avg": 160 / 150,
        "speed_m_s": 3.64, "session_avg_speed_m_s": 2.0, "speed_vs_avg": 1.82,
        "pace_s_per_km": 1000 / 3.64, "session_avg_pace_s_per_km": 500.0, "temperature_c": 22.0,
    }  # fmt: skip
    values.update(extra)
    return CrampMoment(**values)  # type: ignore[arg-type]


def test_a_faster_pace_says_faster_not_plus() -> None:
    lines = moment_lines(_moment())
    assert (
        lines[2]
        == "  pace 4:35/km (13.1 km/h), session average 8:20/km (82% faster than the session average)"
    )
    assert lines[1] == "  heart rate 160 bpm, session average 150 (7% higher than the session average)"
    slower = moment_lines(_moment(speed_vs_avg=0.8))[2]
    assert slower.endswith("(20% slower than the session average)")


def test_imperial_athletes_see_miles_and_fahrenheit() -> None:
    lines = moment_lines(_moment(), units=UnitSystem.IMPERIAL)
    assert lines[2].startswith("  pace 7:22/mi (8.1 mph), session average 13:25/mi")
    assert lines[3] == "  device temperature 71.6F"


def test_after_the_end_says_how_long_after_never_a_percentage_over_100() -> None:
    lines = moment_lines(_moment(elapsed_s=6840.0, fraction=1.14, during_session=False))
    assert lines[0] == "  1h54m after the start: after the session ended (14m after it)"
    logged_after = moment_lines(_moment(elapsed_s=6001.0, fraction=1.0002, during_session=False))
    assert logged_after[0] == "  1h40m1s after the start: at the end of the session (1s after it)"
