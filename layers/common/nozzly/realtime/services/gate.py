"""The $connect authorizer's decision: who the caller is, or no connection."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.realtime.domain.rooms import Caller, Identity, RoomKind
from nozzly.realtime.domain.tokens import caller_of, followed_room, token_from, unverified_claims

# Whether a token is the tracking token of the store's order (orders' OrderTracking.admits), or the live pass of
# the store's shopper (LivePasses.admits): (store, order or sub, token).
Admits = Callable[[str, str, object], bool]


class Gate:
    def __init__(
        self,
        operator_issuer: str,
        shopper_issuer: str,
        verify: Callable[[str], str | None],
        tracking: Admits,
        passes: Admits,
    ) -> None:
        self.operator_issuer = operator_issuer
        self.shopper_issuer = shopper_issuer
        self.verify = verify
        self.tracking = tracking
        self.passes = passes

    def caller(self, query: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> Caller:
        """Raises Unauthorized without a token Cognito accepts, or, for a caller naming the room it follows
        (`?room=`), without that order's own tracking token or that shopper's unexpired live pass."""
        token = token_from(query, headers)
        if token is None:
            raise Unauthorized("a token is required")
        followed = (query or {}).get("room")
        if followed is not None:
            return self._follower(followed, token)
        claims = unverified_claims(token)
        caller = caller_of(claims, operator_issuer=self.operator_issuer, shopper_issuer=self.shopper_issuer)
        if self.verify(token) != claims.get("username"):
            raise Unauthorized("the token is not valid")
        return caller

    def _follower(self, room_name: str, token: str) -> Caller:
        room = followed_room(room_name)
        subject = room.subject or ""
        if room.kind is RoomKind.SHOPPER:
            if not self.passes(room.store_id, subject, token):
                raise Unauthorized("not this shopper's live pass")
            return Caller(Identity.SHOPPER, sub=subject, store_id=room.store_id)
        if not self.tracking(room.store_id, subject, token):
            raise Unauthorized("not this order's tracking token")
        return Caller(Identity.GUEST, store_id=room.store_id, order_id=subject)
