"""A stand-in push service on loopback, and a stand-in browser's push subscription.

No real push service (FCM, Mozilla's, Apple's) is reachable from the tests, so this plays one:
an HTTPS server on 127.0.0.1 with a self-signed certificate (the sender trusts it through
`REQUESTS_CA_BUNDLE`, as `requests` reads it), which records each request (path, headers,
body) and answers with the status the test chose. `Browser` makes the subscription keys a
browser would (RFC 8291: a P-256 key pair and a 16-byte auth secret) and can decrypt what it
receives, so a test checks the payload end to end.

crampwise sends only to the browsers' push services and to hosts the operator adds with
`CRAMPWISE_PUSH_HOSTS`: tests allow the stand-in's address (and push.example.org, a service
that is subscribed to but never sent to) exactly that way (`TEST_PUSH_HOSTS`).
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import os
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crampwise.config import ENV_PUSH_HOSTS, load_push_hosts

# The value of CRAMPWISE_PUSH_HOSTS the tests run with, and the setting it gives.
TEST_PUSH_HOSTS_ENV = "127.0.0.1, push.example.org"
TEST_PUSH_HOSTS = load_push_hosts({ENV_PUSH_HOSTS: TEST_PUSH_HOSTS_ENV})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """The stand-in's address, what it received, and the status it answers (per path or all)."""

    base_url: str
    received: list[Received] = field(default_factory=list)
    status: int = 201
    status_by_path: dict[str, int] = field(default_factory=dict)

    def endpoint(self, name: str) -> str:
        return f"{self.base_url}/push/{name}"


@dataclass
class Browser:
    """A browser's push subscription: its receiving key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> Browser:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    def subscription(self, endpoint: str) -> dict[str, Any]:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> bytes:
        import http_ece

        return bytes(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "push-cert.pem", folder / "push-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@contextmanager
def push_service(folder: Path) -> Iterator[tuple[PushService, Path]]:
    """Run the stand-in on a free loopback port; yields it and the certificate to trust."""
    cert_path, key_path = _certificate(folder)
    state = PushService(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status_by_path.get(self.path, state.status))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.base_url = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state, cert_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
