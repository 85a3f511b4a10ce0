"""The console script's own jobs: global options anywhere, usage errors as one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crampwise import __version__
from crampwise.cli.app import run_app
from crampwise.cli.entry import command_of, hoist_global_options
from crampwise.config import load_settings


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["log", "cramp", "--athlete", "Ana", "--muscle", "calf"],
            ["--athlete", "Ana", "log", "cramp", "--muscle", "calf"],
        ),
        (["--db", "sqlite:///x.db", "list", "cramps"], ["--db", "sqlite:///x.db", "list", "cramps"]),
        (
            ["list", "cramps", "--db=sqlite:///x.db", "--json"],
            ["--db=sqlite:///x.db", "list", "cramps", "--json"],
        ),
        (["log", "cramp", "--", "--athlete"], ["log", "cramp", "--", "--athlete"]),
    ],
)
def test_global_options_are_hoisted_in_order(argv: list[str], expected: list[str]) -> None:
    assert hoist_global_options(argv) == expected


def test_command_of_skips_global_options() -> None:
    assert command_of(["--db", "x", "--athlete=Ana", "now", "calf"]) == "now"
    assert command_of(["--db", "x"]) is None


def test_unknown_option_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("crampwise: error: No such option: --bogus")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["--version"]) == 0
    assert capsys.readouterr().out.startswith("crampwise 0.")


def test_settings_precedence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"CRAMPWISE_DATABASE_URL": "sqlite:///env.db", "CRAMPWISE_DATA_DIR": str(tmp_path)}
    assert load_settings(env=env).database_url == "sqlite:///env.db"
    assert load_settings(database_url="sqlite:///opt.db", env=env).database_url == "sqlite:///opt.db"
    default = load_settings(env={"CRAMPWISE_DATA_DIR": str(tmp_path)})
    assert default.database_url == f"sqlite:///{tmp_path / 'crampwise.db'}"
    assert (
        load_settings(env={"CRAMPWISE_ATHLETE": "Ana", "CRAMPWISE_DATA_DIR": str(tmp_path)}).athlete == "Ana"
    )


def test_crampwise_help_explains_a_command_and_refuses_an_unknown_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_app(["help", "log", "cramp"]) == 0
    assert capsys.readouterr().out.startswith("Usage: crampwise log cramp [OPTIONS]")
    assert run_app(["help"]) == 0
    assert capsys.readouterr().out.startswith("Usage: crampwise [OPTIONS] COMMAND")
    assert run_app(["help", "log", "elbow"]) == 2
    assert capsys.readouterr().err.startswith(
        "crampwise: error: help: no command 'log elbow'; commands: cramp,"
    )


def test_shell_completion_completes_commands_and_flags() -> None:
    import os
    import subprocess
    import sys

    def complete(words: str, index: int) -> list[str]:
        env = dict(os.environ, _CRAMPWISE_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(index))
        done = subprocess.run(
            [sys.executable, "-m", "crampwise"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("crampwise lo", 1) == ["log"]
    assert complete("crampwise log cramp --mu", 3) == ["--muscle"]
    show = subprocess.run(
        [sys.executable, "-m", "crampwise", "--show-completion", "bash"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert show.returncode == 0 and "_CRAMPWISE_COMPLETE=complete_bash" in show.stdout


def test_version_and_blas_threads_are_settled_before_any_heavy_import() -> None:
    """`crampwise --version` answers without Typer; numpy's BLAS gets one thread by default."""
    code = (
        "import atexit, os, sys\n"
        "atexit.register(lambda: print(sorted({'typer', 'sqlalchemy', 'numpy'} & set(sys.modules)),"
        " os.environ.get('OPENBLAS_NUM_THREADS')))\n"
        "from crampwise.cli.entry import main\n"
        "main(['--db', 'sqlite:///nowhere.db', '--version'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines() == [f"crampwise {__version__}", "[] 1"]
    env["OPENBLAS_NUM_THREADS"] = "2"  # the user's choice is kept
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "[] 2"
