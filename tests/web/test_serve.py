"""`crampwise serve`: local mode listens on loopback only; the app is built by its factory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crampwise.cli.app import run_app
from crampwise.cli.serve import address, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_non_loopback_host_without_multi_user_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--host: '0.0.0.0' is not a loopback address" in err


def test_multi_user_without_a_secret_refuses_to_start(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRAMPWISE_SECRET_KEY", raising=False)
    monkeypatch.delenv("CRAMPWISE_SECRET_KEY_FILE", raising=False)
    assert run_app(["serve", "--multi-user", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CRAMPWISE_SECRET_KEY: missing" in err


def test_address_brackets_ipv6() -> None:
    assert address("::1", 8000) == "http://[::1]:8000/"
    assert address("127.0.0.1", 80) == "http://127.0.0.1:80/"


def test_now_and_the_cli_import_no_web_framework() -> None:
    code = (
        "import sys; from crampwise.cli.entry import main\n"
        "try:\n    main(['now', 'calf', '--plain'])\nexcept SystemExit:\n    pass\n"
        "from crampwise.cli.app import build_app; build_app()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
