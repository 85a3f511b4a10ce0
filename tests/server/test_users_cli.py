"""`crampwise user add|list|disable|enable|passwd`, the password from standard input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.journal import add_athlete, list_athletes
from crampwise.services.logins import LoginRefused


def _run(db: str, args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run_app(["--db", db, "user", *args])


def test_add_list_disable_enable_and_passwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert (
        _run(db, ["add", "Ana", "--role", "athlete", "--password-stdin"], "first-password-1\n", monkeypatch)
        == 0
    )
    assert (
        _run(
            db, ["add", "coach.lee", "--role", "coach", "--password-stdin"], "coach-password-1\n", monkeypatch
        )
        == 0
    )
    assert capsys.readouterr().out == "Added athlete ana\nAdded coach coach.lee\n"
    assert _run(db, ["list", "--json"], "", monkeypatch) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role"], a["keeps_journal"], a["disabled"]) for a in listed] == [
        ("ana", "athlete", True, False),
        ("coach.lee", "coach", False, False),
    ]
    assert _run(db, ["disable", "ana"], "", monkeypatch) == 0
    assert _run(db, ["list"], "", monkeypatch) == 0
    assert "ana\tathlete\tdisabled (keeps a journal)" in capsys.readouterr().out
    assert _run(db, ["enable", "ana"], "", monkeypatch) == 0
    assert _run(db, ["passwd", "ana", "--password-stdin"], "second-password-2\n", monkeypatch) == 0
    settings = Settings(database_url=db, data_dir=tmp_path)
    from crampwise.config import ServerSettings
    from tests.conftest import FIXED_NOW
    from tests.server.conftest import SECRET

    with open_context(
        Settings(database_url=db, data_dir=tmp_path, server=ServerSettings(secret_key=SECRET))
    ) as ctx:
        from crampwise.services.logins import sign_in

        with pytest.raises(LoginRefused):
            sign_in(ctx, username="ana", password="first-password-1", address="a", now=FIXED_NOW)
        assert (
            sign_in(ctx, username="ana", password="second-password-2", address="a", now=FIXED_NOW).username
            == "ana"
        )
    with open_context(settings) as ctx:
        assert [a.name for a in list_athletes(ctx)] == ["ana"]


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (
            ["add", "ana", "--role", "boss", "--password-stdin"],
            "long-enough-pass\n",
            "--role: unknown role 'boss'; expected athlete|coach|clinician|admin",
        ),
        (
            ["add", "a", "--role", "coach", "--password-stdin"],
            "long-enough-pass\n",
            "username: 'a' is not a user name",
        ),
        (
            ["add", "lee", "--role", "coach", "--password-stdin"],
            "short\n",
            "password: too short; use at least 12 characters",
        ),
        (
            ["add", "lee", "--role", "coach", "--password-stdin"],
            "\n",
            "--password-stdin: standard input held no password",
        ),
        (
            ["add", "lee", "--role", "coach", "--password-stdin", "--athlete", "Lee"],
            "long-enough-pass\n",
            "athlete: only an athlete account keeps a journal",
        ),
        (["disable", "nobody"], "", "user: no account named 'nobody'"),
        (["add", "lee", "--role", "coach"], "long-enough-pass\n", "--password-stdin: no terminal to ask on"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    says: str,
) -> None:
    assert _run(f"sqlite:///{tmp_path / 'c.db'}", args, stdin, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


def test_an_athlete_account_links_the_journal_of_that_name_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with open_context(Settings(database_url=db, data_dir=tmp_path)) as ctx:
        add_athlete(ctx, data={"name": "Ana López", "timezone": "Europe/Madrid"})
    assert (
        _run(
            db,
            ["add", "ana", "--role", "athlete", "--athlete", "Ana López", "--password-stdin"],
            "long-enough-pass\n",
            monkeypatch,
        )
        == 0
    )
    assert (
        _run(
            db,
            ["add", "ana2", "--role", "athlete", "--athlete", "Ana López", "--password-stdin"],
            "long-enough-pass\n",
            monkeypatch,
        )
        == 2
    )
    assert "already belongs to another account" in capsys.readouterr().err
    with open_context(Settings(database_url=db, data_dir=tmp_path)) as ctx:
        assert [a.name for a in list_athletes(ctx)] == ["Ana López"]


def test_user_add_athlete_names_the_journal_even_on_the_whole_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the console script's entry (which moves global options to the front), `--athlete`
    after `user` is the account's journal, not the global athlete: an existing athlete is linked,
    no new one is made."""
    from crampwise.cli.entry import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    with open_context(Settings(database_url=db, data_dir=tmp_path)) as ctx:
        add_athlete(ctx, data={"name": "Ana López", "timezone": "UTC"})
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password-1\n"))
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "--db",
                db,
                "user",
                "add",
                "ana",
                "--role",
                "athlete",
                "--athlete",
                "Ana López",
                "--password-stdin",
            ]
        )
    assert exited.value.code == 0, capsys.readouterr().err
    with open_context(Settings(database_url=db, data_dir=tmp_path)) as ctx:
        assert [a.name for a in list_athletes(ctx)] == ["Ana López"]
    assert "Added athlete ana" in capsys.readouterr().out
    # the global option is still global for every other command, wherever it stands
    with pytest.raises(SystemExit) as exited:
        main(["list", "cramps", "--athlete", "Ana López", "--db", db, "--json"])
    assert exited.value.code == 0 and json.loads(capsys.readouterr().out) == []
