"""Shoppers' live passes: a shop page's way into the shopper's own room without the Cognito token reaching scripts."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.orders.domain.tracking import tracking_token
from nozzly.orders.services.order_tracking import OrderTracking
from nozzly.realtime.domain.passes import PASS_SECONDS, is_shopper_pass, shopper_pass
from nozzly.realtime.domain.rooms import Caller, Identity, Need, join_need, order, shopper
from nozzly.realtime.services.gate import Gate
from nozzly.realtime.services.live_passes import LivePasses

KEY = "k" * 32
NOW = 1_800_000_000.0


def _passes(now: float = NOW, key: str = KEY) -> LivePasses:
    return LivePasses(lambda: key, clock=lambda: now)


def _gate(now: float = NOW) -> Gate:
    def never(token: str) -> str | None:
        raise AssertionError("a pass is not Cognito's to check")

    return Gate("https://ops", "https://shops", never, OrderTracking(lambda: KEY).admits, _passes(now).admits)


def test_a_pass_opens_the_shoppers_own_room_as_that_shopper_until_it_ends() -> None:
    minted = _passes().mint("acme", "sub-1")
    assert minted is not None
    query = {"room": "shopper:acme:sub-1", "token": minted}
    caller = _gate().caller(query, {})
    assert caller == Caller(Identity.SHOPPER, sub="sub-1", store_id="acme")
    assert join_need(caller, shopper("acme", "sub-1")) is Need.NOTHING
    assert join_need(caller, shopper("acme", "sub-2")) is Need.REFUSED
    assert join_need(caller, order("acme", "o1")) is Need.ORDER_OWNER  # their own orders only, checked on join
    with pytest.raises(Unauthorized):
        _gate(NOW + PASS_SECONDS).caller(query, {})


@pytest.mark.parametrize(
    "room", ["shopper:acme:sub-2", "shopper:acme-2:sub-1", "store:acme:shoppers", "operator:acme:sub-1"]
)
def test_a_pass_opens_no_other_room(room: str) -> None:
    minted = _passes().mint("acme", "sub-1")
    with pytest.raises(Unauthorized):
        _gate().caller({"room": room, "token": str(minted)}, {})


def test_an_order_token_is_no_pass_and_a_pass_no_order_token() -> None:
    order_token = tracking_token(KEY.encode(), "acme", "sub-1")
    assert not is_shopper_pass(KEY.encode(), "acme", "sub-1", order_token, NOW)
    minted = str(shopper_pass(KEY.encode(), "acme", "o1", NOW))
    with pytest.raises(Unauthorized):
        _gate().caller({"room": "order:acme:o1", "token": minted}, {})


def test_a_forged_or_extended_pass_is_refused() -> None:
    minted = str(_passes().mint("acme", "sub-1"))
    expires, mac = minted.split(".")
    assert not _passes().admits("acme", "sub-1", f"{int(expires) + 3600}.{mac}")
    assert not _passes().admits("acme", "sub-1", f"{expires}.{'A' * 43}")
    assert not _passes(key="j" * 32).admits("acme", "sub-1", minted)
    assert _passes(key="").mint("acme", "sub-1") is None


def test_a_page_renews_a_pass_in_its_last_hour_only() -> None:
    minted = _passes().mint("acme", "sub-1")
    assert not _passes().due(minted)
    assert _passes(NOW + PASS_SECONDS - 1800).due(minted)
    assert _passes().due(None) and _passes().due("garbage")
