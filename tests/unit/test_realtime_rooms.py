"""Who may join which live room, and what each room is told about an event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.realtime.domain.messages import broadcast, route
from nozzly.realtime.domain.rooms import Caller, Identity, Need, RoomKind, join_need, parse_room

AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
OPERATOR = Caller(Identity.OPERATOR, sub="op-1")
SHOPPER = Caller(Identity.SHOPPER, sub="cust-1", store_id="acme")
GUEST = Caller(Identity.GUEST, store_id="acme", order_id="ord-1")


@pytest.mark.parametrize(
    ("name", "kind", "store", "subject"),
    [
        ("store:acme:operators", RoomKind.OPERATORS, "acme", None),
        ("store:acme:shoppers", RoomKind.SHOPPERS, "acme", None),
        ("shopper:acme:cust-1", RoomKind.SHOPPER, "acme", "cust-1"),
        ("operator:acme:op-1", RoomKind.OPERATOR, "acme", "op-1"),
        ("order:acme:ord-1", RoomKind.ORDER, "acme", "ord-1"),
    ],
)
def test_room_names_round_trip(name: str, kind: RoomKind, store: str, subject: str | None) -> None:
    room = parse_room(name)
    assert (room.kind, room.store_id, room.subject, room.name) == (kind, store, subject, name)


@pytest.mark.parametrize(
    "name", ["store:acme:admins", "store:ACME:operators", "order:acme:", "order:acme:a:b", "", None, 7, "x" * 300]
)
def test_unknown_rooms_are_invalid(name: object) -> None:
    with pytest.raises(InvalidInput):
        parse_room(name)


@pytest.mark.parametrize(
    ("caller", "room", "need"),
    [
        (OPERATOR, "store:acme:operators", Need.MEMBERSHIP),
        (OPERATOR, "order:other:ord-9", Need.MEMBERSHIP),
        (OPERATOR, "shopper:acme:cust-1", Need.REFUSED),
        (OPERATOR, "operator:acme:op-1", Need.MEMBERSHIP),
        (OPERATOR, "operator:acme:op-2", Need.REFUSED),
        (SHOPPER, "operator:acme:cust-1", Need.REFUSED),
        (GUEST, "operator:acme:ord-1", Need.REFUSED),
        (SHOPPER, "store:acme:shoppers", Need.NOTHING),
        (SHOPPER, "shopper:acme:cust-1", Need.NOTHING),
        (SHOPPER, "shopper:acme:cust-2", Need.REFUSED),
        (SHOPPER, "order:acme:ord-1", Need.ORDER_OWNER),
        (SHOPPER, "store:acme:operators", Need.REFUSED),
        (SHOPPER, "store:other:shoppers", Need.REFUSED),
        (SHOPPER, "shopper:other:cust-1", Need.REFUSED),
        (GUEST, "order:acme:ord-1", Need.NOTHING),
        (GUEST, "order:acme:ord-2", Need.REFUSED),
        (GUEST, "order:other:ord-1", Need.REFUSED),
        (GUEST, "store:acme:shoppers", Need.REFUSED),
    ],
)
def test_who_may_join_which_room(caller: Caller, room: str, need: Need) -> None:
    assert join_need(caller, parse_room(room)) is need


def _rooms(detail_type: str, detail: dict[str, object], customer: str | None = None) -> dict[str, dict[str, Any]]:
    return {d.room.name: d.message for d in route(detail_type, detail, AT, customer=customer)}


PLACED = {"store_id": "acme", "order_id": "ord-1", "order_number": 1001, "channel": "web"}


def test_an_order_event_reaches_the_operators_the_order_and_its_shopper() -> None:
    rooms = _rooms("OrderPlaced", PLACED, customer="cust-1")
    assert set(rooms) == {"store:acme:operators", "order:acme:ord-1", "shopper:acme:cust-1"}
    assert rooms["store:acme:operators"] == {
        "type": "OrderPlaced",
        "v": 1,
        "store": "acme",
        "data": {"order_id": "ord-1", "order_number": 1001, "channel": "web"},
        "at": "2026-12-04T12:00:00Z",
    }


def test_a_guest_order_has_no_shopper_room() -> None:
    assert set(_rooms("OrderPlaced", PLACED)) == {"store:acme:operators", "order:acme:ord-1"}


def test_a_shopper_is_not_told_who_in_the_store_moved_their_order() -> None:
    detail = {**PLACED, "from": "paid", "to": "shipped", "by": "operator:op-1", "reason": "x"}
    rooms = _rooms("OrderStatusChanged", detail, customer="cust-1")
    assert rooms["shopper:acme:cust-1"]["data"] == {
        "order_id": "ord-1",
        "order_number": 1001,
        "from": "paid",
        "to": "shipped",
    }
    assert "by" not in rooms["store:acme:operators"]["data"]


def test_stock_news_stays_with_operators_and_the_broadcast_hears_only_ids() -> None:
    low = {"store_id": "acme", "product": "mug", "variant": "blue", "available": 2, "threshold": 5}
    assert set(_rooms("LowStock", low)) == {"store:acme:operators"}
    back = _rooms("BackInStock", {**low, "available": 9, "sku": "MUG-B"})
    assert back["store:acme:shoppers"]["data"] == {"product": "mug", "variant": "blue"}
    assert back["store:acme:operators"]["data"]["available"] == 9


def test_a_review_to_moderate_reaches_the_stores_operators_only() -> None:
    detail = {"store_id": "acme", "product": "mug", "title": "Mug", "review_id": "r-1", "rating": 2, "at": 1}
    rooms = _rooms("ReviewSubmitted", detail)
    assert set(rooms) == {"store:acme:operators"}
    assert rooms["store:acme:operators"]["data"] == {"product": "mug", "title": "Mug", "review_id": "r-1", "rating": 2}


@pytest.mark.parametrize(
    ("detail_type", "detail"),
    [("CatalogChanged", PLACED), ("OrderPlaced", {"order_id": "ord-1"}), ("OrderPlaced", {**PLACED, "store_id": ""})],
)
def test_events_nobody_follows_reach_no_room(detail_type: str, detail: dict[str, object]) -> None:
    assert route(detail_type, detail, AT) == []


def test_a_broadcast_goes_to_the_store_shoppers_with_its_text_only() -> None:
    delivery = broadcast("acme", "  Sale starts now  ", AT)
    assert delivery.room.name == "store:acme:shoppers"
    assert delivery.message["data"] == {"text": "Sale starts now"}


@pytest.mark.parametrize("text", ["", "   ", None, "x" * 281])
def test_an_empty_or_long_broadcast_is_refused(text: object) -> None:
    with pytest.raises(InvalidInput):
        broadcast("acme", text, AT)
