"""Web push for the daily check-in: the server's VAPID key, browsers' subscriptions, the sender.

- **Keys** (RFC 8292): one P-256 key pair per store, made on first use and kept in the store
  (the one state every web and sender process shares); the public half is the browser's
  `applicationServerKey`.
- **Subscriptions**: what `PushSubscription.toJSON()` gives in the browser (`endpoint`, and
  `keys.p256dh`, `keys.auth` of RFC 8291), checked before it is kept: an `https` endpoint on a
  known push service (`push_host_allowed`: the browsers' own, `config.KNOWN_PUSH_HOSTS`, and
  the operator's `CRAMPWISE_PUSH_HOSTS`), a real P-256 point, a 16-byte auth secret. The sender
  POSTs to whatever endpoint it holds, so without that check an account could make the server
  send requests to any host it names (SSRF); hosts are matched by name, never resolved.
- **Sending** (`send_due_checkins`, run by `crampwise remind send` every few minutes): for each
  athlete whose check-in time has come today (their local day, their zone) and who has a
  subscription, the day is claimed once in the store (two senders never send it twice), the
  message is encrypted for each browser (aes128gcm, RFC 8291) and POSTed to its push service
  with VAPID authorisation, a TTL up to the athlete's local midnight (a check-in that arrives
  tomorrow is stale) and `Topic: checkin` (a newer one replaces an undelivered one). A push
  service's 404 or 410 means the browser unsubscribed: the subscription is dropped. A
  subscription kept before its host stopped being allowed is not sent to ("failed", naming the
  setting). When every send failed otherwise, the claim is released so the next run tries again.

pywebpush (with py-vapid and http_ece) does the encryption, the VAPID header and the request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Final
from urllib.parse import urlsplit

from crampwise.config import ENV_PUSH_HOSTS, KNOWN_PUSH_HOSTS
from crampwise.domain.errors import InvalidInput
from crampwise.services.context import AppContext
from crampwise.services.journal import resolve_athlete
from crampwise.storage import reminders as store
from crampwise.storage.repository import list_athletes

MAX_ENDPOINT_CHARS: Final = 2048
MIN_TTL_S: Final = 60
TIMEOUT_S: Final = 10.0
DEFAULT_CONTACT: Final = "mailto:crampwise@localhost"
TOPIC: Final = "checkin"
CHECKIN_MESSAGE: Final = {
    "title": "crampwise check-in",
    "body": "How did you sleep? Any cramps today? Tap to log your day.",
    "url": "/log/day",
    "tag": "crampwise-checkin",
}


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --- the VAPID key pair ---------------------------------------------------------------------


def _new_key_pair() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return pem, _b64url(public)


def _vapid(ctx: AppContext, now: datetime) -> store.VapidRow:
    with ctx.begin() as conn:
        found = store.get_vapid(conn=conn)
        if found is not None:
            return found
        pem, public = _new_key_pair()
        return store.create_vapid(conn=conn, private_pem=pem, public_key=public, now=now)


def vapid_public_key(ctx: AppContext, *, now: datetime) -> str:
    """The server's VAPID public key (base64url, uncompressed P-256 point), made on first use."""
    return _vapid(ctx, now).public_key


# --- subscriptions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str

    @property
    def endpoint_sha256(self) -> str:
        return hashlib.sha256(self.endpoint.encode("utf-8")).hexdigest()

    def info(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def push_host_allowed(host: str, extra_hosts: tuple[str, ...] = ()) -> bool:
    """True if `host` is a known push service's: equal to an entry, or under a `*.domain` one
    (not the bare domain). `extra_hosts` are the operator's (`Settings.push_hosts`)."""
    name = host.lower()
    for pattern in (*KNOWN_PUSH_HOSTS, *extra_hosts):
        if pattern.startswith("*."):
            if name.endswith(pattern[1:]) and len(name) > len(pattern) - 1:
                return True
        elif name == pattern:
            return True
    return False


def _endpoint(value: object, extra_hosts: tuple[str, ...] | None = None) -> str:
    """A well-formed https endpoint; with `extra_hosts` (not None) also on an allowed host."""
    if not isinstance(value, str) or not value:
        raise InvalidInput.single("endpoint", "required: the push service URL the browser gave")
    if len(value) > MAX_ENDPOINT_CHARS:
        raise InvalidInput.single("endpoint", f"longer than {MAX_ENDPOINT_CHARS} characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise InvalidInput.single("endpoint", "expected an https:// URL of a push service") from None
    odd = any(c.isspace() or c == "\\" or not c.isprintable() for c in value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password or odd:
        raise InvalidInput.single("endpoint", "expected an https:// URL of a push service")
    if extra_hosts is not None and not push_host_allowed(parts.hostname, extra_hosts):
        raise InvalidInput.single(
            "endpoint",
            f"{parts.hostname} is not a known push service (the browsers' own: FCM, Mozilla, Apple, "
            f"Windows); an operator can add a host with {ENV_PUSH_HOSTS}",
        )
    return value


def _key(value: object, path: str, length: int, what: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise InvalidInput.single(path, f"required: {what} (base64url)")
    try:
        raw = _b64url_decode(value)
    except (binascii.Error, ValueError):
        raise InvalidInput.single(path, f"not base64url: expected {what}") from None
    if len(raw) != length:
        raise InvalidInput.single(path, f"expected {what} of {length} bytes, got {len(raw)}")
    return raw


def read_subscription(body: Mapping[str, Any], extra_hosts: tuple[str, ...] = ()) -> Subscription:
    """A browser's `PushSubscription.toJSON()`, checked (`InvalidInput` naming the field); the
    endpoint on a known push service or one of `extra_hosts` (`Settings.push_hosts`)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    endpoint = _endpoint(body.get("endpoint"), extra_hosts)
    keys = body.get("keys")
    if not isinstance(keys, Mapping):
        raise InvalidInput.single("keys", "required: an object with p256dh and auth")
    public = _key(keys.get("p256dh"), "keys.p256dh", 65, "the browser's P-256 public key")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    except ValueError:
        raise InvalidInput.single("keys.p256dh", "not a point on the P-256 curve") from None
    _key(keys.get("auth"), "keys.auth", 16, "the browser's auth secret")
    return Subscription(endpoint, str(keys["p256dh"]), str(keys["auth"]))


def subscribe(ctx: AppContext, *, athlete: str | None, body: Mapping[str, Any], now: datetime) -> bool:
    """Keep this browser's subscription for the athlete; True when it is new."""
    sub = read_subscription(body, ctx.settings.push_hosts)
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        return store.save_subscription(
            conn=conn,
            athlete_pk=pk,
            endpoint=sub.endpoint,
            endpoint_sha256=sub.endpoint_sha256,
            p256dh=sub.p256dh,
            auth=sub.auth,
            now=now,
        )


def unsubscribe(ctx: AppContext, *, athlete: str | None, endpoint: str) -> bool:
    """Forget this browser's subscription (of this athlete only); False when there was none.
    Any host: one kept before its host stopped being allowed can still be forgotten."""
    digest = hashlib.sha256(_endpoint(endpoint).encode("utf-8")).hexdigest()
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        return store.delete_subscription(conn=conn, athlete_pk=pk, endpoint_sha256=digest)


def subscription_count(ctx: AppContext, *, athlete: str | None) -> int:
    with ctx.read() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        return len(store.subscriptions_of(conn=conn, athlete_pk=pk))


# --- sending --------------------------------------------------------------------------------

# (subscription info, payload, VAPID private key PEM, VAPID claims, TTL in s, headers) -> HTTP status;
# raises OSError-like `SendFailed` when the push service cannot be reached.
Sender = Callable[[dict[str, Any], bytes, str, dict[str, Any], int, dict[str, str]], int]


class SendFailed(Exception):
    """The push service could not be reached (a network error); the next run tries again."""


def pywebpush_sender(
    info: dict[str, Any],
    payload: bytes,
    private_pem: str,
    claims: dict[str, Any],
    ttl: int,
    headers: dict[str, str],
) -> int:
    """Encrypt and POST with pywebpush; the push service's HTTP status."""
    import requests
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    try:
        response = webpush(
            info,
            data=payload.decode("utf-8"),
            vapid_private_key=Vapid(private_key=key),
            vapid_claims=dict(claims),
            ttl=ttl,
            headers=dict(headers),
            timeout=TIMEOUT_S,
        )
    except WebPushException as exc:
        if exc.status_code is None:
            raise SendFailed(str(exc)) from None
        return int(exc.status_code)
    except requests.RequestException as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}") from None
    return int(getattr(response, "status_code", 201))


@dataclass(frozen=True)
class Delivery:
    """One push: to which athlete and push service, and how it went."""

    athlete: str
    host: str
    outcome: str  # sent | gone | failed
    status: int | None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "push_service": self.host,
            "outcome": self.outcome,
            "status": self.status,
            "error": self.error,
        }


@dataclass
class RemindReport:
    """What a run of the sender did: due athletes, deliveries, and athletes it left alone and why."""

    deliveries: list[Delivery] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        outcomes = [d.outcome for d in self.deliveries]
        return {
            "sent": outcomes.count("sent"),
            "gone": outcomes.count("gone"),
            "failed": outcomes.count("failed"),
            "deliveries": [d.as_json() for d in self.deliveries],
            "skipped": self.skipped,
        }


def checkin_ttl_s(local_now: datetime) -> int:
    """Seconds until the athlete's next local midnight (at least a minute)."""
    midnight = datetime.combine(local_now.date() + timedelta(days=1), time(0), tzinfo=local_now.tzinfo)
    seconds = (midnight.astimezone(local_now.tzinfo) - local_now).total_seconds()
    return max(MIN_TTL_S, int(seconds))


def _due(checkin_time: str, local_now: datetime) -> bool:
    hour, minute = (int(x) for x in checkin_time.split(":"))
    return local_now.time() >= time(hour, minute)


def send_due_checkins(
    ctx: AppContext,
    *,
    now: datetime,
    athlete: str | None = None,
    contact: str = DEFAULT_CONTACT,
    sender: Sender = pywebpush_sender,
) -> RemindReport:
    """Send today's check-in to every athlete (or the one named) whose time has come."""
    report = RemindReport()
    vapid = _vapid(ctx, now)
    claims = {"sub": contact}
    payload = json.dumps(CHECKIN_MESSAGE).encode("utf-8")
    with ctx.read() as conn:
        names = {pk: a for pk, a in list_athletes(conn=conn)}
        only = None if athlete is None else resolve_athlete(ctx, conn, athlete)[0]
        due_rows = [(pk, row) for pk, row in store.checkin_athletes(conn=conn) if only in (None, pk)]
        subscriptions = {pk: store.subscriptions_of(conn=conn, athlete_pk=pk) for pk, _ in due_rows}
    for pk, row in due_rows:
        who = names[pk]
        local_now = now.astimezone(who.zone)
        assert row.checkin_time is not None
        if not _due(row.checkin_time, local_now):
            report.skipped[who.name] = f"not yet: check-in at {row.checkin_time}"
            continue
        if row.checkin_sent_on is not None and row.checkin_sent_on >= local_now.date():
            report.skipped[who.name] = "already sent today"
            continue
        subs = subscriptions[pk]
        if not subs:
            report.skipped[who.name] = "no browser subscribed"
            continue
        with ctx.begin() as conn:
            claimed = store.claim_checkin(conn=conn, athlete_pk=pk, local_day=local_now.date())
        if not claimed:
            report.skipped[who.name] = "already sent today"
            continue
        headers = {"Urgency": "normal", "Topic": TOPIC}
        ttl = checkin_ttl_s(local_now)
        results: list[tuple[store.SubscriptionRow, Delivery]] = []
        for sub in subs:
            host = urlsplit(sub.endpoint).hostname or "?"
            if not push_host_allowed(host, ctx.settings.push_hosts):
                refused = f"{host} is not a known push service; add it to {ENV_PUSH_HOSTS} to send there"
                results.append((sub, Delivery(who.name, host, "failed", None, refused)))
                continue
            info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
            try:
                status = sender(info, payload, vapid.private_pem, claims, ttl, headers)
            except SendFailed as exc:
                results.append((sub, Delivery(who.name, host, "failed", None, str(exc))))
                continue
            outcome = "sent" if 200 <= status < 300 else "gone" if status in (404, 410) else "failed"
            error = None if outcome != "failed" else f"push service answered {status}"
            results.append((sub, Delivery(who.name, host, outcome, status, error)))
        with ctx.begin() as conn:
            for sub, delivery in results:
                if delivery.outcome == "sent":
                    store.mark_sent(conn=conn, subscription_pk=sub.pk, now=now)
                elif delivery.outcome == "gone":
                    digest = hashlib.sha256(sub.endpoint.encode("utf-8")).hexdigest()
                    store.delete_subscription(conn=conn, athlete_pk=None, endpoint_sha256=digest)
            outcomes = {d.outcome for _, d in results}
            if "sent" not in outcomes and "failed" in outcomes:
                store.release_checkin(
                    conn=conn, athlete_pk=pk, local_day=local_now.date(), previous=row.checkin_sent_on
                )
        report.deliveries.extend(d for _, d in results)
    return report
