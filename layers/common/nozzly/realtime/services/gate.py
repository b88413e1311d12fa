"""The $connect authorizer's decision: who the caller is, or no connection."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.realtime.domain.rooms import Caller
from nozzly.realtime.domain.tokens import caller_of, token_from, unverified_claims


class Gate:
    def __init__(self, operator_issuer: str, shopper_issuer: str, verify: Callable[[str], str | None]) -> None:
        self.operator_issuer = operator_issuer
        self.shopper_issuer = shopper_issuer
        self.verify = verify

    def caller(self, query: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> Caller:
        """Raises Unauthorized without a token Cognito accepts. Guests following an order with its tracking
        token are not admitted yet: orders have no tracking token to check."""
        token = token_from(query, headers)
        if token is None:
            raise Unauthorized("a token is required")
        claims = unverified_claims(token)
        caller = caller_of(claims, operator_issuer=self.operator_issuer, shopper_issuer=self.shopper_issuer)
        if self.verify(token) != claims.get("username"):
            raise Unauthorized("the token is not valid")
        return caller
