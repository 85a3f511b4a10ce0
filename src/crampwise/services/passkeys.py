"""Passkeys (WebAuthn, with the `webauthn` library): passwordless sign-in or a second factor.

- Registration: a signed-in account asks for options (a challenge stored once in the store,
  so any worker can finish the ceremony), the browser creates a credential, the answer is
  verified (origin, relying-party id, challenge, user verification) and its public key kept.
- Passwordless sign-in: options without a user (a discoverable credential names its account);
  the assertion must carry user verification, so the passkey alone is two factors (the device
  and the PIN or biometric that unlocks it).
- Second factor: an account that asked for it gets a "passkey due" session after its password,
  which the same assertion, limited to that account's credentials, completes.

A challenge lives 5 minutes and is used once; the signature counter must grow where the
authenticator keeps one (a cloned key shows itself by going back).
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.parse_authentication_credential_json import parse_authentication_credential_json
from webauthn.helpers.parse_registration_credential_json import parse_registration_credential_json
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from crampwise.domain.accounts import Account, Passkey
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity, LoginRefused, server_settings
from crampwise.storage import accounts as store
from crampwise.storage import credentials as creds

CHALLENGE_TTL_S: Final = 5 * 60
MAX_LABEL_CHARS: Final = 80
REGISTER: Final = "register"
LOGIN: Final = "login"
SECOND: Final = "second"


def _challenge(ctx: AppContext, purpose: str, account_pk: int | None, now: datetime) -> bytes:
    value = secrets.token_bytes(32)
    with ctx.begin() as conn:
        creds.prune_challenges(conn=conn, now=now)
        creds.insert_challenge(
            conn=conn,
            challenge=bytes_to_base64url(value),
            purpose=purpose,
            account_pk=account_pk,
            expires=now + timedelta(seconds=CHALLENGE_TTL_S),
        )
    return value


def _take(
    ctx: AppContext, client_data_json: bytes, purpose: str, account_pk: int | None, now: datetime
) -> bytes:
    """The challenge the browser signed, if this server issued it for this purpose (used once)."""
    challenge = parse_client_data_json(client_data_json).challenge
    with ctx.begin() as conn:
        fresh = creds.take_challenge(
            conn=conn,
            challenge=bytes_to_base64url(challenge),
            purpose=purpose,
            account_pk=account_pk,
            now=now,
        )
    if not fresh:
        raise InvalidInput.single("credential", "this passkey request expired or was already used; try again")
    return challenge


def _descriptors(rows: list[creds.PasskeyRow]) -> list[PublicKeyCredentialDescriptor]:
    out = []
    for row in rows:
        transports = []
        for t in row.transports:
            try:
                transports.append(AuthenticatorTransport(t))
            except ValueError:
                continue
        out.append(PublicKeyCredentialDescriptor(id=_b64(row.credential_id), transports=transports or None))
    return out


def _b64(text: str) -> bytes:
    from webauthn.helpers import base64url_to_bytes

    return base64url_to_bytes(text)


def registration_options(ctx: AppContext, *, identity: Identity, rp_id: str, now: datetime) -> dict[str, Any]:
    """Options for `navigator.credentials.create()` (JSON, base64url for bytes)."""
    account = identity.account
    with ctx.read() as conn:
        user_id = store.webauthn_user_id(conn=conn, pk=account.pk)
        existing = creds.passkey_rows_of(conn=conn, account_pk=account.pk)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=server_settings(ctx).rp_name,
        user_name=account.username,
        user_id=user_id.encode("ascii"),
        challenge=_challenge(ctx, REGISTER, account.pk, now),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(existing),
        timeout=CHALLENGE_TTL_S * 1000,
    )
    document: dict[str, Any] = json.loads(options_to_json(options))
    return document


def register(
    ctx: AppContext,
    *,
    identity: Identity,
    credential: Any,
    label: str,
    rp_id: str,
    origin: str,
    now: datetime,
) -> Passkey:
    """Verify the browser's new credential and keep it for the signed-in account."""
    name = label.strip() or f"passkey of {now:%Y-%m-%d}"
    if len(name) > MAX_LABEL_CHARS:
        raise InvalidInput.single("label", f"too long; use at most {MAX_LABEL_CHARS} characters")
    try:
        parsed = parse_registration_credential_json(credential)
        challenge = _take(ctx, parsed.response.client_data_json, REGISTER, identity.account.pk, now)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        raise InvalidInput.single("credential", f"the passkey was not accepted: {exc}") from None
    transports = [t.value for t in (parsed.response.transports or [])]
    with ctx.begin() as conn:
        credential_id = bytes_to_base64url(verified.credential_id)
        if creds.passkey_by_credential(conn=conn, credential_id=credential_id) is not None:
            raise InvalidInput.single("credential", "this passkey is already registered")
        creds.insert_passkey(
            conn=conn,
            account_pk=identity.account.pk,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=transports,
            label=name,
            now=now,
        )
        return creds.passkeys_of(conn=conn, account_pk=identity.account.pk)[-1]


def login_options(
    ctx: AppContext, *, rp_id: str, now: datetime, identity: Identity | None = None
) -> dict[str, Any]:
    """Options for `navigator.credentials.get()`: any passkey (passwordless), or, for a session
    owing its second factor, only that account's passkeys."""
    allow: list[PublicKeyCredentialDescriptor] | None = None
    purpose, account_pk = LOGIN, None
    if identity is not None:
        with ctx.read() as conn:
            allow = _descriptors(creds.passkey_rows_of(conn=conn, account_pk=identity.account.pk))
        purpose, account_pk = SECOND, identity.account.pk
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=_challenge(ctx, purpose, account_pk, now),
        allow_credentials=allow,
        user_verification=UserVerificationRequirement.REQUIRED
        if identity is None
        else UserVerificationRequirement.PREFERRED,
        timeout=CHALLENGE_TTL_S * 1000,
    )
    document: dict[str, Any] = json.loads(options_to_json(options))
    return document


def authenticate(
    ctx: AppContext,
    *,
    credential: Any,
    rp_id: str,
    origin: str,
    now: datetime,
    identity: Identity | None = None,
) -> Account:
    """The account whose passkey signed this assertion (`LoginRefused` otherwise).

    Without `identity`: passwordless sign-in (user verification required). With a session owing
    its second factor: the passkey must be one of that account's.
    """
    purpose = LOGIN if identity is None else SECOND
    expected_pk = None if identity is None else identity.account.pk
    try:
        parsed = parse_authentication_credential_json(credential)
        challenge = _take(ctx, parsed.response.client_data_json, purpose, expected_pk, now)
    except (WebAuthnException, InvalidInput) as exc:
        raise LoginRefused(f"passkey refused: {exc}") from None
    with ctx.read() as conn:
        row = creds.passkey_by_credential(conn=conn, credential_id=bytes_to_base64url(parsed.raw_id))
        account = None if row is None else store.account_by_pk(conn=conn, pk=row.account_pk)
        handle = None if account is None else store.webauthn_user_id(conn=conn, pk=account.pk)
    if row is None or account is None or (expected_pk is not None and account.pk != expected_pk):
        raise LoginRefused("passkey refused: this passkey is not registered here")
    user_handle = parsed.response.user_handle
    if user_handle is not None and handle is not None and user_handle != handle.encode("ascii"):
        raise LoginRefused("passkey refused: it names another account")
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=row.public_key,
            credential_current_sign_count=row.sign_count,
            require_user_verification=identity is None,
        )
    except WebAuthnException as exc:
        raise LoginRefused(f"passkey refused: {exc}") from None
    if account.disabled:
        raise LoginRefused("this account is disabled; ask the server's administrator")
    with ctx.begin() as conn:
        creds.passkey_used(conn=conn, pk=row.pk, sign_count=verified.new_sign_count, now=now)
    return account


def list_passkeys(ctx: AppContext, *, account: Account) -> list[Passkey]:
    with ctx.read() as conn:
        return creds.passkeys_of(conn=conn, account_pk=account.pk)


def remove_passkey(ctx: AppContext, *, account: Account, passkey_pk: int) -> None:
    """Delete one of the account's passkeys; the last one also turns the second factor off."""
    with ctx.begin() as conn:
        if not creds.delete_passkey(conn=conn, account_pk=account.pk, pk=passkey_pk):
            raise NotFound(f"passkey: no passkey {passkey_pk} of yours")
        if not creds.passkeys_of(conn=conn, account_pk=account.pk):
            store.set_second_factor(conn=conn, pk=account.pk, on=False)


def set_second_factor(ctx: AppContext, *, account: Account, on: bool) -> None:
    """Ask (or stop asking) for a passkey after the password; needs a registered passkey."""
    with ctx.begin() as conn:
        if on and not creds.passkeys_of(conn=conn, account_pk=account.pk):
            raise InvalidInput.single("second_factor", "register a passkey first, then ask for it at sign-in")
        store.set_second_factor(conn=conn, pk=account.pk, on=on)
