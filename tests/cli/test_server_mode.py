"""What server mode refuses before it starts anything: a SQLite store, several web processes in
local mode, a job worker without server mode's settings; that sign-in lets it listen beyond
loopback; and the one switch (`CRAMPWISE_MULTI_USER`) and settings it reads from the
environment. (The secret key's own checks: tests/server/test_settings.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.config import (
    DEFAULT_BACKGROUND_IMPORT_BYTES,
    ENV_MULTI_USER,
    ENV_SECRET_KEY,
    ENV_SECRET_KEY_FILE,
    load_settings,
    load_web_settings,
)
from crampwise.domain.errors import InvalidInput

GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789"


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_multi_user_on_sqlite_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_SECRET_KEY, GOOD_KEY)
    assert run_app(["--db", f"sqlite:///{tmp_path}/x.db", "serve", "--multi-user"]) == 2
    assert "--db: server mode needs a PostgreSQL store" in one_error_line(capsys)
    assert not (tmp_path / "x.db").exists()  # refused before the store is opened


def test_multi_user_may_listen_beyond_loopback_now_that_it_has_sign_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`--host 0.0.0.0` passes the address check in server mode (the next check, the store, is
    what stops this one); without --multi-user the same address is refused."""
    monkeypatch.setenv(ENV_SECRET_KEY, GOOD_KEY)
    db = f"sqlite:///{tmp_path}/x.db"
    assert run_app(["--db", db, "serve", "--multi-user", "--host", "0.0.0.0"]) == 2
    err = one_error_line(capsys)
    assert "--host" not in err and "--db: server mode needs a PostgreSQL store" in err
    assert run_app(["--db", db, "serve", "--host", "0.0.0.0"]) == 2
    assert "--host: '0.0.0.0' is not a loopback address" in one_error_line(capsys)


def test_several_web_processes_need_server_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["serve", "--workers", "2"]) == 2
    assert "--workers: more than one web process needs server mode" in one_error_line(capsys)


def test_the_worker_refuses_sqlite(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_SECRET_KEY, GOOD_KEY)
    assert run_app(["--db", f"sqlite:///{tmp_path}/x.db", "worker"]) == 2
    assert "--db: the job worker needs server mode's PostgreSQL store" in one_error_line(capsys)


def test_the_worker_checks_the_secret_like_serve(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker is server mode: it reads the same settings, so a bad environment stops it too."""
    monkeypatch.delenv(ENV_SECRET_KEY, raising=False)
    monkeypatch.delenv(ENV_SECRET_KEY_FILE, raising=False)
    assert run_app(["--db", f"sqlite:///{tmp_path}/x.db", "worker"]) == 2
    assert "CRAMPWISE_SECRET_KEY: missing" in one_error_line(capsys)


def test_server_mode_is_one_switch_in_the_environment() -> None:
    env = {"CRAMPWISE_DATA_DIR": "/tmp/x", ENV_SECRET_KEY: GOOD_KEY}
    server = load_web_settings({**env, ENV_MULTI_USER: "1"}).server
    assert server is not None and server.background_import_bytes == DEFAULT_BACKGROUND_IMPORT_BYTES
    assert load_web_settings({**env, ENV_MULTI_USER: "0"}).server is None
    assert load_web_settings(env).server is None
    # the old half-way switch of the jobs is gone: it no longer turns server mode on
    assert load_web_settings({**env, "CRAMPWISE_SERVER_MODE": "1"}).server is None
    sized = load_settings(env={**env, "CRAMPWISE_BACKGROUND_IMPORT_BYTES": "1024"}, multi_user=True)
    assert sized.server is not None and sized.server.background_import_bytes == 1024
    with pytest.raises(InvalidInput, match="CRAMPWISE_BACKGROUND_IMPORT_BYTES: '4 MB' is not a whole number"):
        load_settings(env={**env, "CRAMPWISE_BACKGROUND_IMPORT_BYTES": "4 MB"}, multi_user=True)
    # local mode does not read server mode's variables at all
    assert load_settings(env={**env, "CRAMPWISE_BACKGROUND_IMPORT_BYTES": "4 MB"}).server is None
