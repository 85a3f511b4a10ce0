"""What server mode refuses before it starts anything: a missing or weak secret key, a SQLite
store, a non-loopback address while it has no sign-in, several web processes in local mode;
and the settings it reads from the environment."""

from __future__ import annotations

import pytest

from crampwise.cli.app import run_app
from crampwise.config import (
    DEFAULT_BACKGROUND_IMPORT_BYTES,
    ENV_SECRET_KEY,
    MIN_SECRET_KEY_CHARS,
    load_settings,
    server_secret_problem,
)
from crampwise.domain.errors import InvalidInput

GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789"


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "is not set"),
        ("   ", "is not set"),
        ("x" * (MIN_SECRET_KEY_CHARS - 1), f"has {MIN_SECRET_KEY_CHARS - 1} characters"),
        ("ab" * (MIN_SECRET_KEY_CHARS // 2), "is a placeholder"),  # long enough, but two characters
        (GOOD_KEY[:MIN_SECRET_KEY_CHARS], None),  # exactly the minimum
    ],
)
def test_the_secret_key_server_mode_needs(key: str | None, problem: str | None) -> None:
    env = {} if key is None else {ENV_SECRET_KEY: key}
    found = server_secret_problem(env)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_multi_user_without_a_secret_key_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_SECRET_KEY, raising=False)
    assert run_app(["serve", "--multi-user"]) == 2
    assert "--multi-user: CRAMPWISE_SECRET_KEY is not set" in one_error_line(capsys)


def test_multi_user_on_sqlite_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv(ENV_SECRET_KEY, GOOD_KEY)
    assert run_app(["--db", f"sqlite:///{tmp_path}/x.db", "serve", "--multi-user"]) == 2
    assert "--db: server mode needs a PostgreSQL store" in one_error_line(capsys)


def test_multi_user_stays_on_loopback_until_it_has_sign_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_SECRET_KEY, GOOD_KEY)
    assert run_app(["serve", "--multi-user", "--host", "0.0.0.0"]) == 2
    assert "--host: '0.0.0.0' is not a loopback address; server mode has no sign-in" in one_error_line(capsys)


def test_several_web_processes_need_server_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["serve", "--workers", "2"]) == 2
    assert "--workers: more than one web process needs server mode" in one_error_line(capsys)


def test_the_worker_refuses_sqlite(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    assert run_app(["--db", f"sqlite:///{tmp_path}/x.db", "worker"]) == 2
    assert "--db: the job worker needs server mode's PostgreSQL store" in one_error_line(capsys)


def test_server_mode_settings_from_the_environment() -> None:
    env = {"CRAMPWISE_DATA_DIR": "/tmp/x", "CRAMPWISE_SERVER_MODE": "1"}
    assert load_settings(env=env).server_mode is True
    assert load_settings(env={**env, "CRAMPWISE_SERVER_MODE": "0"}).server_mode is False
    assert load_settings(env=env).background_import_bytes == DEFAULT_BACKGROUND_IMPORT_BYTES
    assert (
        load_settings(env={**env, "CRAMPWISE_BACKGROUND_IMPORT_BYTES": "1024"}).background_import_bytes
        == 1024
    )
    with pytest.raises(InvalidInput, match="CRAMPWISE_BACKGROUND_IMPORT_BYTES: '4 MB' is not a whole number"):
        load_settings(env={**env, "CRAMPWISE_BACKGROUND_IMPORT_BYTES": "4 MB"})
