"""Orders' tracking tokens and the WebSocket gate's guests: a guest with an order's own token follows that order,
and nothing else opens it."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.orders.domain.tracking import is_tracking_token, tracking_token
from nozzly.orders.services.order_tracking import OrderTracking
from nozzly.realtime.domain.rooms import Caller, Identity, Need, join_need, order, parse_room, shopper
from nozzly.realtime.services.gate import Gate
from nozzly.realtime.services.live_passes import LivePasses

KEY = b"k" * 32
OTHER_KEY = b"j" * 32


def test_a_token_is_the_orders_own_stable_and_url_safe() -> None:
    token = tracking_token(KEY, "acme", "a1b2c3d4")
    assert token is not None and len(token) == 43
    assert token == tracking_token(KEY, "acme", "a1b2c3d4")
    assert token.replace("-", "").replace("_", "").isalnum()
    assert is_tracking_token(KEY, "acme", "a1b2c3d4", token)


@pytest.mark.parametrize(
    ("store", "order_id", "key"),
    [("acme", "a1b2c3d5", KEY), ("acme-2", "a1b2c3d4", KEY), ("acme", "a1b2c3d4", OTHER_KEY)],
)
def test_another_orders_stores_or_keys_token_is_refused(store: str, order_id: str, key: bytes) -> None:
    theirs = tracking_token(key, store, order_id)
    assert not is_tracking_token(KEY, "acme", "a1b2c3d4", theirs)


@pytest.mark.parametrize("candidate", [None, "", "x" * 43 + "=", "short", 42, "a" * 44])
def test_what_is_not_a_token_is_refused(candidate: object) -> None:
    assert not is_tracking_token(KEY, "acme", "a1b2c3d4", candidate)


def test_without_a_usable_key_there_are_no_tokens() -> None:
    assert tracking_token(b"", "acme", "a1") is None
    assert tracking_token(b"short", "acme", "a1") is None
    assert not is_tracking_token(b"", "acme", "a1", "A" * 43)


def _gate(key: str = KEY.decode()) -> Gate:
    def never(token: str) -> str | None:
        raise AssertionError("a guest's token is not Cognito's to check")

    tracking, passes = OrderTracking(lambda: key), LivePasses(lambda: key)
    return Gate("https://ops", "https://shops", never, tracking.admits, passes.admits)


def test_a_guest_with_the_orders_token_connects_to_follow_exactly_that_order() -> None:
    token = tracking_token(KEY, "acme", "a1b2c3d4")
    assert token is not None
    caller = _gate().caller({"token": token, "room": "order:acme:a1b2c3d4"}, {})
    assert caller == Caller(Identity.GUEST, store_id="acme", order_id="a1b2c3d4")
    assert join_need(caller, order("acme", "a1b2c3d4")) is Need.NOTHING
    assert join_need(caller, order("acme", "a1b2c3d5")) is Need.REFUSED
    assert join_need(caller, parse_room("store:acme:shoppers")) is Need.REFUSED
    assert join_need(caller, shopper("acme", "a1b2c3d4")) is Need.REFUSED


@pytest.mark.parametrize(
    "query",
    [
        {"token": "A" * 43, "room": "order:acme:a1b2c3d4"},  # a guessed token
        {"token": str(tracking_token(KEY, "acme", "ffff0000")), "room": "order:acme:a1b2c3d4"},  # another order's
        {"token": str(tracking_token(KEY, "acme", "a1b2c3d4")), "room": "order:acme-2:a1b2c3d4"},  # another store's
        {"token": str(tracking_token(KEY, "acme", "a1b2c3d4")), "room": "store:acme:operators"},  # not an order
        {"token": str(tracking_token(KEY, "acme", "a1b2c3d4")), "room": "shopper:acme:a1b2c3d4"},  # not a pass
        {"token": str(tracking_token(KEY, "acme", "a1b2c3d4")), "room": "order:acme"},
        {"room": "order:acme:a1b2c3d4"},  # no token at all
    ],
)
def test_a_wrong_token_or_room_is_no_connection(query: dict[str, str]) -> None:
    with pytest.raises(Unauthorized):
        _gate().caller(query, {})


def test_with_no_key_configured_no_guest_connects() -> None:
    with pytest.raises(Unauthorized):
        _gate("").caller({"token": str(tracking_token(KEY, "acme", "a1")), "room": "order:acme:a1"}, {})
