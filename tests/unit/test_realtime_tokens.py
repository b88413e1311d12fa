"""Reading who a WebSocket token claims to be (Cognito verifies it; these only pick the identity)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.realtime.domain.rooms import Identity
from nozzly.realtime.domain.tokens import caller_of, token_from, unverified_claims

OPS, SHOPS = "https://cognito-idp.eu-west-1.amazonaws.com/ops", "https://cognito-idp.eu-west-1.amazonaws.com/shops"


def token(claims: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.signature"


def test_an_operator_and_a_shopper_are_told_apart_by_their_pool() -> None:
    operator = caller_of(
        {"iss": OPS, "token_use": "access", "sub": "s1", "username": "a@b.c"}, operator_issuer=OPS, shopper_issuer=SHOPS
    )
    shopper = caller_of(
        unverified_claims(token({"iss": SHOPS, "token_use": "access", "sub": "s2", "username": "acme#a@b.c"})),
        operator_issuer=OPS,
        shopper_issuer=SHOPS,
    )
    assert (operator.identity, operator.sub, operator.store_id) == (Identity.OPERATOR, "s1", None)
    assert (shopper.identity, shopper.sub, shopper.store_id) == (Identity.SHOPPER, "s2", "acme")


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": OPS, "token_use": "id", "sub": "s1", "username": "a@b.c"},
        {"iss": "https://elsewhere", "token_use": "access", "sub": "s1", "username": "a@b.c"},
        {"iss": SHOPS, "token_use": "access", "sub": "s1", "username": "no-store"},
        {"iss": OPS, "token_use": "access", "username": "a@b.c"},
    ],
)
def test_id_tokens_foreign_issuers_and_incomplete_claims_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(Unauthorized):
        caller_of(claims, operator_issuer=OPS, shopper_issuer=SHOPS)


@pytest.mark.parametrize(
    "text", ["", "a.b", "a.!!!.c", "a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c", "x" * 9000]
)
def test_what_is_not_a_token_is_refused(text: str) -> None:
    with pytest.raises(Unauthorized):
        unverified_claims(text)


def test_the_token_comes_from_the_query_or_a_bearer_protocol_offer() -> None:
    assert token_from({"token": "t1"}, {"Sec-WebSocket-Protocol": "bearer, t2"}) == "t1"
    assert token_from(None, {"sec-websocket-protocol": "bearer, t2"}) == "t2"
    assert token_from({}, {"Sec-WebSocket-Protocol": "chat"}) is None
    assert token_from(None, None) is None
