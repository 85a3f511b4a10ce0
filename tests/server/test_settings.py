"""Typed server settings: server mode refuses to start with a missing, short or placeholder
secret, and reads its other settings with one-line errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from crampwise.cli.app import run_app
from crampwise.config import ENV_MULTI_USER, load_server_settings, load_settings, load_web_settings
from crampwise.domain.errors import InvalidInput
from tests.server.conftest import SECRET


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        ("", "missing"),
        ("x" * 31, "too short (31 characters)"),
        ("change-me-" + "k" * 40, "placeholder"),
        ("your-secret-key-here-0123456789abcdef", "placeholder"),
        ("ab" * 20, "too repetitive"),
    ],
)
def test_a_missing_short_or_default_secret_is_refused(secret: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_server_settings({"CRAMPWISE_SECRET_KEY": secret})
    assert str(caught.value).startswith("CRAMPWISE_SECRET_KEY: ") and says in str(caught.value)


def test_a_random_secret_of_32_characters_is_accepted() -> None:
    assert load_server_settings({"CRAMPWISE_SECRET_KEY": SECRET}).secret_key == SECRET
    assert len(SECRET) == 32


def test_the_secret_can_come_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text(SECRET + "\n", encoding="utf-8")
    assert load_server_settings({"CRAMPWISE_SECRET_KEY_FILE": str(path)}).secret_key == SECRET
    with pytest.raises(InvalidInput, match="CRAMPWISE_SECRET_KEY_FILE: cannot read"):
        load_server_settings({"CRAMPWISE_SECRET_KEY_FILE": str(tmp_path / "absent")})


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CRAMPWISE_PUBLIC_URL", "cramps.example.org", "expected the site's origin"),
        ("CRAMPWISE_PUBLIC_URL", "https://cramps.example.org/app", "expected the site's origin"),
        ("CRAMPWISE_TRUSTED_PROXIES", "10.0.0.1,proxy.local", "'proxy.local' is not an address"),
        ("CRAMPWISE_SESSION_HOURS", "0", "expected a whole number above 0"),
        ("CRAMPWISE_LOGIN_MAX_FAILURES", "five", "expected a whole number above 0"),
    ],
)
def test_bad_server_settings_name_their_variable(name: str, value: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_server_settings({"CRAMPWISE_SECRET_KEY": SECRET, name: value})
    assert str(caught.value).startswith(f"{name}: ") and says in str(caught.value)


def test_server_settings_are_typed_with_units() -> None:
    server = load_server_settings(
        {
            "CRAMPWISE_SECRET_KEY": SECRET,
            "CRAMPWISE_PUBLIC_URL": "https://cramps.example.org/",
            "CRAMPWISE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/24",
            "CRAMPWISE_SESSION_HOURS": "12",
            "CRAMPWISE_TOKEN_DAYS": "30",
            "CRAMPWISE_LOGIN_WINDOW_MINUTES": "10",
        }
    )
    assert server.public_url == "https://cramps.example.org" and server.https_only
    assert server.trusted_proxies == ("127.0.0.1", "10.0.0.0/24")
    assert (server.session_max_age_s, server.token_max_age_s, server.login_window_s) == (
        12 * 3600,
        30 * 86400,
        600,
    )


def test_server_mode_keeps_no_default_athlete(tmp_path: Path) -> None:
    env = {"CRAMPWISE_SECRET_KEY": SECRET, "CRAMPWISE_ATHLETE": "ana", "CRAMPWISE_DATA_DIR": str(tmp_path)}
    assert load_settings(env=env).athlete == "ana"
    server = load_settings(env=env, multi_user=True)
    assert server.athlete is None and server.multi_user
    assert not load_web_settings(env).multi_user
    assert load_web_settings({**env, ENV_MULTI_USER: "1"}).multi_user


def test_serve_multi_user_refuses_athlete_and_placeholder_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRAMPWISE_SECRET_KEY", SECRET)
    assert run_app(["--athlete", "ana", "serve", "--multi-user"]) == 2
    assert "--athlete: server mode acts for each signed-in account" in capsys.readouterr().err
    monkeypatch.setenv("CRAMPWISE_SECRET_KEY", "changeme-changeme-changeme-changeme")
    assert (
        run_app(["--db", f"sqlite:///{tmp_path / 's.db'}", "serve", "--multi-user", "--host", "0.0.0.0"]) == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CRAMPWISE_SECRET_KEY: looks like a placeholder" in err
