"""The documented nginx configuration (deploy/nginx/crampwise.conf), run as it is by Debian's
nginx on loopback ports in front of two `crampwise serve --multi-user` processes.

Only the addresses change: the listening ports, the two upstream ports and the certificate
(a throw-away self-signed one); the web processes trust the proxy as docs/server.md says
(`CRAMPWISE_TRUSTED_PROXIES=127.0.0.1`). It checks HTTPS end to end, that both web processes
answer, that the app sees `https` and the client's host (a redirect it builds points back at
the proxy; its cookies are `Secure` and `__Host-`), that HSTS is sent once, that a client
cannot forge its address through `X-Forwarded-For` (neither in the access log nor in the
sign-in limits per address), that plain HTTP is sent to HTTPS, and that a signed-in upload
larger than nginx's default 1 MB limit goes through.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.processes import Processes, password_of, wait_for
from tests.server.test_processes import export_zip

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "nginx" / "crampwise.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_config(example: str, *, https: int, http: int, upstreams: list[int], cert: Path, key: Path) -> str:
    """The example with this test's addresses; fails if a line to replace is missing."""
    replacements = [
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        (r"listen \[::\]:443 ssl http2;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http};"),
        (r"listen \[::\]:80;\n", ""),
        (r"ssl_certificate +/etc/letsencrypt/\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key +/etc/letsencrypt/\S+;", f"ssl_certificate_key {key};"),
        (r"server 127\.0\.0\.1:8001;", f"server 127.0.0.1:{upstreams[0]};"),
        (r"server 127\.0\.0\.1:8002;", f"server 127.0.0.1:{upstreams[1]};"),
    ]
    for pattern, replacement in replacements:
        example, n = re.subn(pattern, replacement, example)
        assert n >= 1, f"the example configuration no longer has {pattern!r}"
    return example


def main_config(folder: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers may read the test's private folder
    temp = "\n".join(
        f"  {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log {folder / 'access.log'};\n{temp}\n  include {site};\n}}\n"
    )


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def proxied(
    processes: Processes, certificate: tuple[Path, Path], tmp_path: Path
) -> Iterator[tuple[str, str, Processes]]:
    """nginx in front of two web processes; (https URL, http URL, the processes)."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run make system-deps (installs Debian's nginx)")
    processes.env["CRAMPWISE_TRUSTED_PROXIES"] = "127.0.0.1"  # nginx, on this host
    ports = [
        int(url.rsplit(":", 1)[1])
        for _p, url in (processes.serve(name="web-a"), processes.serve(name="web-b"))
    ]
    https, http = free_port(), free_port()
    site = tmp_path / "crampwise.conf"
    site.write_text(
        site_config(
            EXAMPLE.read_text(),
            https=https,
            http=http,
            upstreams=ports,
            cert=certificate[0],
            key=certificate[1],
        )
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(main_config(tmp_path, site))
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    checked = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-e", str(tmp_path / "error.log")], stderr=subprocess.PIPE
    )
    base = f"https://127.0.0.1:{https}"
    try:
        wait_for(lambda: _answers(base, certificate[0]), 30, "nginx to answer")
        yield base, f"http://127.0.0.1:{http}", processes
    finally:
        nginx.terminate()
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
            nginx.wait()


def _answers(base: str, cert: Path) -> bool:
    try:
        return (
            httpx.get(f"{base}/login", verify=ssl.create_default_context(cafile=cert), timeout=2).status_code
            == 200
        )
    except httpx.TransportError:
        return False


def test_the_documented_nginx_config_serves_two_web_processes_over_https(
    proxied: tuple[str, str, Processes], certificate: tuple[Path, Path], tokens: dict[str, dict[str, str]]
) -> None:
    base, plain, processes = proxied
    client = httpx.Client(base_url=base, verify=ssl.create_default_context(cafile=certificate[0]), timeout=30)

    for _ in range(6):
        answer = client.get("/now", headers={"X-Forwarded-For": "203.0.113.7"})
        assert answer.status_code == 200
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
    # both web processes answered (round robin), each logging the client nginx saw, not the forged one
    logs = [processes.log(p) for p in processes.started]
    assert all('"GET /now HTTP/1.1" 200' in log for log in logs)
    assert all("203.0.113.7" not in log for log in logs)
    assert all(re.search(r"127\.0\.0\.1:\d+ - \"GET /now HTTP/1\.1\" 200", log) for log in logs)

    # the app builds absolute URLs with the scheme and host the browser used
    redirect = client.get("/history/", follow_redirects=False)
    assert redirect.status_code in (307, 308)
    assert redirect.headers["location"] == f"{base}/history"

    # an account export above nginx's default 1 MB body limit
    big = export_zip(10, points=1500, compression=zipfile.ZIP_STORED)
    assert len(big) > 1024 * 1024
    queued = client.post(
        "/api/v1/imports",
        files={"files": ("export.zip", big, "application/zip")},
        headers={"Prefer": "respond-async", **tokens["ana"]},
    )
    assert queued.status_code == 202, queued.text

    # HTTPS as the trusted proxy says: the sign-in form's cookie is Secure, with the __Host- prefix
    fresh = httpx.get(f"{base}/login", verify=ssl.create_default_context(cafile=certificate[0]), timeout=30)
    cookie = fresh.headers["set-cookie"]  # (a client that has the cookie already is not sent it again)
    assert cookie.startswith("__Host-crampwise_presession=") and "; secure" in cookie.lower()
    # the sign-in limit per address counts the address nginx saw, not the one a client claims
    for attempt in range(3):
        refused = client.post(
            "/api/v1/token",
            data={"username": "ben", "password": f"wrong-{attempt}-long-enough"},
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        )
        assert refused.status_code == 401
    assert _failures_from("127.0.0.1", processes) == 3
    assert _failures_from("198.51.100.0", processes) == 0
    signed_in = client.post("/api/v1/token", data={"username": "ben", "password": password_of("ben")})
    assert signed_in.status_code == 200 and signed_in.json()["token_type"] == "bearer"

    # plain HTTP goes to HTTPS
    moved = httpx.get(f"{plain}/history", follow_redirects=False, timeout=10)
    assert moved.status_code == 301
    assert moved.headers["location"] == "https://127.0.0.1/history"


def _failures_from(address: str, processes: Processes) -> int:
    """Failed sign-ins the store counted for the client `address` (as the web processes saw it)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(processes.env["CRAMPWISE_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM login_failures WHERE scope = 'address' AND key = :key"),
                    {"key": address},
                ).scalar_one()
            )
    finally:
        engine.dispose()
