"""`crampwise now MUSCLE --plain` and the argument handling of the fast path (CONTRACTS.md 5)."""

from __future__ import annotations

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.now_fast import CLOCK_SCALE_ENV, NowArgs, UsageProblem, parse_args, render_plain, run_now
from crampwise.domain.enums import Muscle
from crampwise.knowledge.relief import load_relief

RELIEF = load_relief()
MUSCLES = RELIEF.muscles


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["now"], NowArgs()),
        (["now", "calf", "--plain"], NowArgs(muscle="calf", plain=True)),
        (["now", "--plain", "Shin"], NowArgs(muscle="shin", plain=True)),
        (
            ["--db", "sqlite:///x.db", "--athlete=Ana", "now", "calf", "--side", "left", "--context=sleep"],
            NowArgs(muscle="calf", db="sqlite:///x.db", athlete="Ana", side="left", context="sleep"),
        ),
        (["now", "calf", "--clock-scale", "60"], NowArgs(muscle="calf", clock_scale=60.0)),
    ],
)
def test_parse_args(argv: list[str], expected: NowArgs) -> None:
    assert parse_args(argv, MUSCLES, {}) == expected


def test_clock_scale_from_the_environment() -> None:
    assert parse_args(["now"], MUSCLES, {CLOCK_SCALE_ENV: "250"}).clock_scale == 250.0


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["now", "elbow"], {}, "MUSCLE: unknown muscle 'elbow'; known muscles: calf, hamstring"),
        (["now", "calf", "shin"], {}, "MUSCLE: only one muscle"),
        (["now", "--bogus"], {}, "no such option: --bogus"),
        (["now", "calf", "--side", "middle"], {}, "--side: 'middle' is not one of left|right|both"),
        (["now", "calf", "--context", "bath"], {}, "--context: 'bath' is not one of exercise|"),
        (["now", "calf", "--side"], {}, "--side: needs a value"),
        (["now"], {CLOCK_SCALE_ENV: "fast"}, f"{CLOCK_SCALE_ENV}: 'fast' is not a positive number"),
        (["now", "--clock-scale", "0"], {}, "--clock-scale: '0' is not a positive number"),
    ],
)
def test_bad_arguments_name_the_field(argv: list[str], env: dict[str, str], message: str) -> None:
    with pytest.raises(UsageProblem, match="^" + message.replace("|", r"\|")):
        parse_args(argv, MUSCLES, env)


@pytest.mark.parametrize("muscle", [m.value for m in Muscle])
def test_plain_prints_every_step_with_seconds_and_sources(
    muscle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_now(["now", muscle, "--plain"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    protocol = RELIEF.protocol(muscle)
    assert out.startswith(f"{protocol.name} cramp:")
    flat = " ".join(out.split())
    for number, step in enumerate(protocol.steps, start=1):
        assert f"{number}. {step.title}" in out
        if step.timed:
            assert f"hold {step.hold_s} s, {step.repeats} time" in out
        assert f"Sources: {', '.join(step.sources)}" in flat
    for caution in RELIEF.cautions:
        assert " ".join(caution.text.split()) in flat
    assert "convention, not evidence" in flat
    assert "Never take quinine" in flat


def test_plain_calf_reads_right() -> None:
    text = " ".join(render_plain(RELIEF.protocol("calf"), RELIEF).split())
    assert "1. Straight-knee calf stretch (stretch; hold 30 s, 3 times)" in text
    assert "3. Gentle warmth, then easy movement (warmth; untimed)" in text
    assert "Stop and get help:" in text and "more than 10 minutes" in text


def test_unknown_muscle_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_now(["now", "elbow"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("crampwise: error: MUSCLE: unknown muscle 'elbow'; known muscles: ")
    assert err.rstrip().endswith(", ".join(MUSCLES))


def test_plain_without_muscle_exits_2_listing_muscles(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_now(["now", "--plain"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "known muscles: calf" in err


def test_without_a_terminal_the_guide_degrades_to_the_plain_protocol(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Under pytest stdin is not a TTY: no timer, no prompt, the protocol and a note on stderr.
    assert run_now(["now", "hamstring"]) == 0
    out, err = capsys.readouterr()
    assert out == render_plain(RELIEF.protocol("hamstring"), RELIEF)
    assert "not a terminal" in err


def test_the_typer_command_delegates_to_the_fast_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["now", "shin", "--plain"]) == 0
    assert capsys.readouterr().out == render_plain(RELIEF.protocol("shin"), RELIEF)
    assert run_app(["now", "elbow", "--plain"]) == 2


def test_now_is_listed_in_help_and_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["--help"]) == 0
    assert "now" in capsys.readouterr().out
    assert run_app(["now", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--plain" in out and "crampwise now calf --plain" in " ".join(out.split())


@pytest.mark.parametrize(
    ("typed", "first_line"),
    [("calves", "Calf cramp:"), ("Quads", "Quadriceps"), ("hip-flexors", "Hip flexor")],
)
def test_now_takes_plurals_and_common_names(typed: str, first_line: str) -> None:
    """Issue 13: muscle names accept plurals and common names everywhere, `now` included."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_now(["now", typed, "--plain"]) == 0
    assert out.getvalue().startswith(first_line)
