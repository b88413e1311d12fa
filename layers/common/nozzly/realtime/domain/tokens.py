"""Reading who a connection's token claims to be. Pure Python.

The claims are only read here, never trusted: the gate has Cognito itself verify the access token (GetUser
refuses an expired, revoked or forged one), so no signature check is written again. The `iss` only picks which
pool's identity the caller has: the operators' or one store's shoppers'.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from nozzly.kernel.domain.errors import InvalidInput, Unauthorized
from nozzly.realtime.domain.rooms import Caller, Identity, Room, RoomKind, parse_room

MAX_TOKEN_LENGTH = 8192


def unverified_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(token) > MAX_TOKEN_LENGTH or len(parts) != 3:
        raise Unauthorized("not a token")
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError) as error:
        raise Unauthorized("not a token") from error
    if not isinstance(claims, dict):
        raise Unauthorized("not a token")
    return claims


def caller_of(claims: Mapping[str, Any], *, operator_issuer: str, shopper_issuer: str) -> Caller:
    """The connection's caller from an access token's claims (an ID token cannot sign out: refused, as on HTTP)."""
    sub, username, issuer = claims.get("sub"), claims.get("username"), claims.get("iss")
    if claims.get("token_use") != "access" or not isinstance(sub, str) or not isinstance(username, str):
        raise Unauthorized("an access token is required")
    if issuer == operator_issuer:
        return Caller(Identity.OPERATOR, sub=sub)
    store, separator, _ = username.partition("#")  # a shopper's username is "<store>#<email>" (accounts)
    if issuer == shopper_issuer and separator and store:
        return Caller(Identity.SHOPPER, sub=sub, store_id=store)
    raise Unauthorized("the token is not one of Nozzly's")


def token_from(query: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> str | None:
    """`?token=` (browsers cannot set headers on a WebSocket), else a `Sec-WebSocket-Protocol` offer of
    `bearer, <token>`: the browser's only other way to send one."""
    token = (query or {}).get("token")
    if token:
        return token
    offered = {k.lower(): v for k, v in (headers or {}).items()}.get("sec-websocket-protocol", "")
    protocols = [p.strip() for p in offered.split(",")]
    if len(protocols) == 2 and protocols[0].lower() == "bearer" and protocols[1]:
        return protocols[1]
    return None


def followed_room(name: object) -> Room:
    """The room a connection without a Cognito token names beside its `token` (`?room=`): an order's (the token
    is the order's tracking token) or a shopper's own (a shop page's live pass). Unauthorized for anything else:
    such a token never opens a store's or an operator's room."""
    try:
        room = parse_room(name)
    except InvalidInput as error:
        raise Unauthorized("unknown room") from error
    if room.kind not in (RoomKind.ORDER, RoomKind.SHOPPER) or not room.subject:
        raise Unauthorized("a tracking token follows one order, a live pass one shopper")
    return room
