"""Web push for the daily check-in, up to the push service's request: a stand-in push service on
loopback receives it, and the test checks what a real one would (the VAPID signature and
claims, TTL, the encrypted payload decrypted with the browser's keys)."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from crampwise.config import ENV_PUSH_HOSTS, Settings, load_push_hosts
from crampwise.domain.errors import InvalidInput
from crampwise.services.context import AppContext, open_context
from crampwise.services.journal import add_athlete
from crampwise.services.push import (
    CHECKIN_MESSAGE,
    checkin_ttl_s,
    push_host_allowed,
    send_due_checkins,
    subscribe,
    subscription_count,
    unsubscribe,
    vapid_public_key,
)
from crampwise.services.reminders import set_checkin
from tests.push_service import (
    TEST_PUSH_HOSTS,
    Browser,
    PushService,
    b64url,
    b64url_decode,
    push_service,
)

AT_CHECKIN = datetime(2026, 6, 1, 18, 30, tzinfo=UTC)  # 20:30 in Madrid (summer time)
CONTACT = "mailto:ops@example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The store's settings with the stand-in push service allowed, as an operator adds one."""
    return dataclasses.replace(settings, push_hosts=TEST_PUSH_HOSTS)


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PushService]:
    with push_service(tmp_path) as (service, cert):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # the sender trusts the stand-in's certificate
        yield service


@pytest.fixture
def ana(ctx: AppContext) -> AppContext:
    add_athlete(ctx, data={"name": "Ana", "body_mass_kg": 61.5, "timezone": "Europe/Madrid"})
    add_athlete(ctx, data={"name": "Bo", "timezone": "America/New_York"})
    set_checkin(ctx, athlete="Ana", checkin_time="20:30")
    return ctx


def verified_claims(authorization: str, public_key: str) -> dict[str, object]:
    """The JWT's claims, after checking its ES256 signature with the key the header names."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key  # RFC 8292: the server's key, as the browser was given it
    head, body, signature = parts["t"].split(".")
    assert json.loads(b64url_decode(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
    key.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))  # raises when forged
    claims: dict[str, object] = json.loads(b64url_decode(body))
    return claims


def test_the_check_in_reaches_the_push_service_encrypted_and_signed(
    ana: AppContext, stand_in: PushService
) -> None:
    browser = Browser.new()
    assert subscribe(
        ana, athlete="Ana", body=browser.subscription(stand_in.endpoint("ana-1")), now=AT_CHECKIN
    )
    report = send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)
    assert report.as_json()["sent"] == 1 and report.skipped == {}
    [request] = stand_in.received
    assert request.path == "/push/ana-1"
    headers = request.headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(3 * 3600 + 30 * 60)  # until midnight in Madrid
    assert (headers["topic"], headers["urgency"]) == ("checkin", "normal")
    claims = verified_claims(headers["authorization"], vapid_public_key(ana, now=AT_CHECKIN))
    assert claims["aud"] == stand_in.base_url and claims["sub"] == CONTACT
    assert time.time() < float(str(claims["exp"])) <= time.time() + 24 * 3600
    assert json.loads(browser.decrypt(request.body)) == CHECKIN_MESSAGE
    with pytest.raises(http_ece.ECEException, match="InvalidTag"):  # another browser's keys cannot read it
        Browser.new().decrypt(request.body)


def test_sent_once_a_day_from_its_local_time_on(ana: AppContext, stand_in: PushService) -> None:
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("a")), now=AT_CHECKIN)
    early = send_due_checkins(ana, now=AT_CHECKIN - timedelta(minutes=1), contact=CONTACT)
    assert early.skipped == {"Ana": "not yet: check-in at 20:30"} and stand_in.received == []
    send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)
    again = send_due_checkins(ana, now=AT_CHECKIN + timedelta(hours=3), contact=CONTACT)
    assert again.skipped == {"Ana": "already sent today"}
    assert len(stand_in.received) == 1
    send_due_checkins(ana, now=AT_CHECKIN + timedelta(days=1), contact=CONTACT)
    assert len(stand_in.received) == 2


def test_no_subscription_leaves_the_day_unclaimed(ana: AppContext, stand_in: PushService) -> None:
    report = send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)
    assert report.skipped == {"Ana": "no browser subscribed"}
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("late")), now=AT_CHECKIN)
    assert (
        send_due_checkins(ana, now=AT_CHECKIN + timedelta(minutes=5), contact=CONTACT).as_json()["sent"] == 1
    )


def test_a_gone_subscription_is_dropped(ana: AppContext, stand_in: PushService) -> None:
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("gone")), now=AT_CHECKIN)
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("here")), now=AT_CHECKIN)
    stand_in.status_by_path["/push/gone"] = 410
    report = send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT).as_json()
    assert (report["sent"], report["gone"]) == (1, 1)
    assert subscription_count(ana, athlete="Ana") == 1


def test_a_failed_send_is_tried_again_on_the_next_run(ana: AppContext, stand_in: PushService) -> None:
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("a")), now=AT_CHECKIN)
    stand_in.status = 503
    failed = send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)
    assert failed.as_json()["failed"] == 1 and failed.deliveries[0].error == "push service answered 503"
    stand_in.status = 201
    assert (
        send_due_checkins(ana, now=AT_CHECKIN + timedelta(minutes=5), contact=CONTACT).as_json()["sent"] == 1
    )
    assert subscription_count(ana, athlete="Ana") == 1


def test_an_unreachable_push_service_is_a_failure_not_a_crash(ana: AppContext, stand_in: PushService) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscribe(
        ana,
        athlete="Ana",
        body=Browser.new().subscription(f"https://127.0.0.1:{port}/push/x"),
        now=AT_CHECKIN,
    )
    report = send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)
    assert report.deliveries[0].outcome == "failed" and "ConnectionError" in str(report.deliveries[0].error)
    assert (
        send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT).deliveries[0].outcome == "failed"
    )  # retried


def test_two_senders_at_once_send_it_once(ana: AppContext, stand_in: PushService) -> None:
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("a")), now=AT_CHECKIN)
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        send_due_checkins(ana, now=AT_CHECKIN, contact=CONTACT)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(stand_in.received) == 1


def test_only_the_named_athlete(ana: AppContext, stand_in: PushService) -> None:
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("a")), now=AT_CHECKIN)
    assert send_due_checkins(ana, now=AT_CHECKIN, athlete="Bo", contact=CONTACT).as_json()["sent"] == 0
    assert stand_in.received == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "http://push.example.org/x"}, "endpoint"),
        ({"endpoint": "https://user:pw@push.example.org/x"}, "endpoint"),
        ({"endpoint": "https://push.example.org/" + "x" * 2100}, "endpoint"),
        ({"keys": None}, "keys"),
        ({"keys": {"p256dh": b64url(b"\x04" + bytes(64)), "auth": b64url(bytes(16))}}, "keys.p256dh"),
        ({"keys": {"p256dh": "%%%", "auth": b64url(bytes(16))}}, "keys.p256dh"),
        ("auth", "keys.auth"),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(ana: AppContext, change: object, field: str) -> None:
    body = Browser.new().subscription("https://push.example.org/x")
    if change == "auth":
        body["keys"]["auth"] = b64url(bytes(8))
    else:
        assert isinstance(change, dict)
        body.update(change)
    with pytest.raises(InvalidInput) as caught:
        subscribe(ana, athlete="Ana", body=body, now=AT_CHECKIN)
    assert caught.value.errors[0].path == field
    assert subscription_count(ana, athlete="Ana") == 0


def test_a_browser_subscribing_again_moves_and_unsubscribes_only_its_own(ana: AppContext) -> None:
    body = Browser.new().subscription("https://push.example.org/one")
    assert subscribe(ana, athlete="Ana", body=body, now=AT_CHECKIN)
    assert not subscribe(ana, athlete="Bo", body=body, now=AT_CHECKIN)  # the same browser, now Bo's
    assert (subscription_count(ana, athlete="Ana"), subscription_count(ana, athlete="Bo")) == (0, 1)
    assert not unsubscribe(ana, athlete="Ana", endpoint=body["endpoint"])
    assert unsubscribe(ana, athlete="Bo", endpoint=body["endpoint"])


def test_one_vapid_key_pair_per_store(ana: AppContext) -> None:
    key = vapid_public_key(ana, now=AT_CHECKIN)
    assert vapid_public_key(ana, now=AT_CHECKIN) == key
    point = b64url_decode(key)
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def test_ttl_runs_to_local_midnight_and_never_below_a_minute() -> None:
    from zoneinfo import ZoneInfo

    madrid = ZoneInfo("Europe/Madrid")
    assert checkin_ttl_s(datetime(2026, 6, 1, 20, 30, tzinfo=madrid)) == 3.5 * 3600
    assert checkin_ttl_s(datetime(2026, 6, 1, 23, 59, 30, tzinfo=madrid)) == 60
    # the night clocks go back, the day is 25 hours long: midnight is still 4 h after 20:00
    assert checkin_ttl_s(datetime(2026, 10, 25, 20, 0, tzinfo=madrid)) == 4 * 3600


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91b",  # Chrome
        "https://jmt17.google.com/fcm/send/dQw4w9WgXcQ:APA91b",  # Chromium without Google's keys
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",  # Firefox
        "https://web.push.apple.com/QGuQyavXutnMH",  # Safari
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",  # Edge
        "https://FCM.googleapis.com:443/fcm/send/x",  # host names are not case-sensitive
    ],
)
def test_the_browsers_push_services_are_accepted(settings: Settings, endpoint: str) -> None:
    with open_context(dataclasses.replace(settings, push_hosts=())) as ctx:  # no operator's host
        add_athlete(ctx, data={"name": "Cy"})
        assert subscribe(ctx, athlete="Cy", body=Browser.new().subscription(endpoint), now=AT_CHECKIN)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/push",
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://10.0.0.5/admin",
        "https://127.0.0.1:8443/push/x",  # the tests' stand-in, when the setting does not name it
        "https://[::1]/x",
        "https://localhost:5432/",
        "https://push.apple.com/x",  # `*.push.apple.com` is its sub-domains, not the domain itself
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com/x",
        "https://storage.googleapis.com/bucket/x",  # Google's, but no push service
        "https://fcm.googleapis.com\\@evil.example/x",
        "https://fcm.googleapis.com:notaport/x",
    ],
)
def test_an_endpoint_on_another_host_is_refused(settings: Settings, endpoint: str) -> None:
    """SSRF: the sender POSTs to the endpoint, so only push services' hosts are kept."""
    with open_context(dataclasses.replace(settings, push_hosts=())) as ctx:
        add_athlete(ctx, data={"name": "Cy"})
        with pytest.raises(InvalidInput) as caught:
            subscribe(ctx, athlete="Cy", body=Browser.new().subscription(endpoint), now=AT_CHECKIN)
        assert caught.value.errors[0].path == "endpoint"
        assert subscription_count(ctx, athlete="Cy") == 0


def test_the_operator_adds_a_push_service_with_the_setting(tmp_path: Path) -> None:
    """CRAMPWISE_PUSH_HOSTS: exact hosts, or `*.domain` for the hosts under it."""
    from crampwise.config import load_settings

    env = {ENV_PUSH_HOSTS: " Push.Example.org , *.push.example.net,", "CRAMPWISE_DATA_DIR": str(tmp_path)}
    settings = load_settings(env=env, database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert settings.push_hosts == ("push.example.org", "*.push.example.net")
    assert push_host_allowed("push.example.org", settings.push_hosts)
    assert push_host_allowed("eu.push.example.net", settings.push_hosts)
    assert not push_host_allowed("push.example.net", settings.push_hosts)
    assert not push_host_allowed("push.example.org.evil", settings.push_hosts)
    assert not push_host_allowed("push.example.org", ())
    with open_context(settings) as ctx:
        add_athlete(ctx, data={"name": "Cy"})
        body = Browser.new().subscription("https://push.example.org/x")
        assert subscribe(ctx, athlete="Cy", body=body, now=AT_CHECKIN)


@pytest.mark.parametrize(
    "value",
    ["https://push.example.org", "push.example.org:8443", "push.example.org/x", "push_example.org", "*."],
)
def test_a_bad_push_hosts_setting_names_the_variable(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_push_hosts({ENV_PUSH_HOSTS: value})
    assert caught.value.errors[0].path == ENV_PUSH_HOSTS
    assert "expected e.g. push.example.org" in caught.value.errors[0].message


def test_a_kept_subscription_whose_host_is_no_longer_allowed_is_not_sent_to(
    ana: AppContext, stand_in: PushService
) -> None:
    """Subscriptions kept before the check (or before the operator removed a host) get no request."""
    subscribe(ana, athlete="Ana", body=Browser.new().subscription(stand_in.endpoint("old")), now=AT_CHECKIN)
    without = dataclasses.replace(ana.settings, push_hosts=())
    with open_context(without) as strict:
        report = send_due_checkins(strict, now=AT_CHECKIN, contact=CONTACT)
        assert [d.outcome for d in report.deliveries] == ["failed"]
        assert f"add it to {ENV_PUSH_HOSTS}" in str(report.deliveries[0].error)
        assert stand_in.received == []
        assert unsubscribe(strict, athlete="Ana", endpoint=stand_in.endpoint("old"))  # still removable
