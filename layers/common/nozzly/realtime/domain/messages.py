"""Which bus events reach which rooms, and the message each room is pushed. Pure Python.

A message is small and versioned: `{"type": <detail-type>, "v": 1, "store": ..., "data": {...}, "at": iso}`.
`data` keeps only what the audience may see and a screen needs to refresh itself (ids, status, totals); a
screen re-reads the rest through the API it already uses. The store's shoppers room only ever hears that a
product is back in stock: it is a broadcast, so nothing about an order or a person goes there.

A review waiting for moderation (ReviewSubmitted) reaches the store's operators only. The dashboard's figures
(DashboardCounters: revenue and the order pipeline) reach only the operators who may see revenue, each in their
own room: the store's operators room also holds staff, whose role does not include reports. A shopper's cart that
changed (CartChanged, sales/domain/cart_events.py) reaches that shopper's own room only: nobody in the store is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.realtime.domain.rooms import Room, operator, operators, order, shopper, shoppers

VERSION: Final = 1
MAX_BROADCAST_TEXT: Final = 280

_ORDER_IDS: Final = ("order_id", "order_number")
# What each event shows an operator of the store (who may read the whole order anyway).
_OPERATOR_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "OrderPlaced": (*_ORDER_IDS, "channel"),
    "PaymentReceived": (*_ORDER_IDS, "amount", "currency"),
    "OrderStatusChanged": (*_ORDER_IDS, "from", "to"),
    "ShipmentCreated": (*_ORDER_IDS, "shipment_id", "carrier", "tracking_number", "tracking_url"),
    "OrderDelivered": _ORDER_IDS,
    "OrderCancelled": (*_ORDER_IDS, "reason"),
    "OrderRefunded": (*_ORDER_IDS, "amount", "currency"),
    "LowStock": ("product", "variant", "title", "variant_title", "sku", "available", "threshold"),
    "BackInStock": ("product", "variant", "title", "variant_title", "sku", "available"),
    "ReviewSubmitted": ("product", "title", "review_id", "rating"),
}
# What the order's own shopper, or a guest following it, sees: their order, not who in the store acted.
_ORDER_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "OrderPlaced": _ORDER_IDS,
    "PaymentReceived": (*_ORDER_IDS, "amount", "currency"),
    "OrderStatusChanged": (*_ORDER_IDS, "from", "to"),
    "ShipmentCreated": (*_ORDER_IDS, "carrier", "tracking_number", "tracking_url"),
    "OrderDelivered": _ORDER_IDS,
    "OrderCancelled": _ORDER_IDS,
    "OrderRefunded": (*_ORDER_IDS, "amount", "currency"),
}
_BROADCAST_FIELDS: Final[dict[str, tuple[str, ...]]] = {"BackInStock": ("product", "variant")}
# What a shopper's own devices hear of their own doings: ids and counts only. The event names the shopper itself.
_SHOPPER_FIELDS: Final[dict[str, tuple[str, ...]]] = {"CartChanged": ("version", "lines", "quantity")}

DASHBOARD_COUNTERS: Final = "DashboardCounters"
_COUNTERS_FIELDS: Final = ("today", "currency", "revenue", "pipeline")

DETAIL_TYPES: Final = (*_OPERATOR_FIELDS, *_SHOPPER_FIELDS)
# What each kind of room hears, type -> the `data` fields shown (asyncapi.yaml is made from it).
SHOWN: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "operators": _OPERATOR_FIELDS,
    "operator": {DASHBOARD_COUNTERS: _COUNTERS_FIELDS},
    "order": _ORDER_FIELDS,
    "shopper": {**_ORDER_FIELDS, **_SHOPPER_FIELDS},
    "shoppers": {**_BROADCAST_FIELDS, "Broadcast": ("text",)},
}
ORDER_EVENTS: Final = frozenset(_ORDER_FIELDS)


@dataclass(frozen=True, slots=True)
class Delivery:
    room: Room
    message: dict[str, Any]


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def message(kind: str, store_id: str, data: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    return {"type": kind, "v": VERSION, "store": store_id, "data": dict(data), "at": iso(at)}


def _pick(detail: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: detail[name] for name in fields if detail.get(name) is not None}


def route(detail_type: str, detail: Mapping[str, Any], at: datetime, *, customer: str | None = None) -> list[Delivery]:
    """The rooms one bus event reaches with what each is shown. `customer` is the order's shopper (the sub),
    which order events do not carry: the caller looks it up; None for a guest's order or an unknown one."""
    store = detail.get("store_id")
    if detail_type in _SHOPPER_FIELDS:
        return _to_shopper(detail_type, detail, at)
    if detail_type not in _OPERATOR_FIELDS or not isinstance(store, str) or not store:
        return []
    found = [Delivery(operators(store), message(detail_type, store, _pick(detail, _OPERATOR_FIELDS[detail_type]), at))]
    order_id = detail.get("order_id")
    if detail_type in _ORDER_FIELDS and isinstance(order_id, str) and order_id:
        shown = message(detail_type, store, _pick(detail, _ORDER_FIELDS[detail_type]), at)
        found.append(Delivery(order(store, order_id), shown))
        if customer:
            found.append(Delivery(shopper(store, customer), shown))
    if detail_type in _BROADCAST_FIELDS:
        data = _pick(detail, _BROADCAST_FIELDS[detail_type])
        found.append(Delivery(shoppers(store), message(detail_type, store, data, at)))
    return found


def _to_shopper(detail_type: str, detail: Mapping[str, Any], at: datetime) -> list[Delivery]:
    store, customer = detail.get("store_id"), detail.get("customer")
    if not isinstance(store, str) or not store or not isinstance(customer, str) or not customer:
        return []
    data = _pick(detail, _SHOPPER_FIELDS[detail_type])
    return [Delivery(shopper(store, customer), message(detail_type, store, data, at))]


def broadcast(store_id: str, text: object, at: datetime) -> Delivery:
    """An admin's announcement to the store's connected shoppers (a sale starts, the shop closes early)."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_BROADCAST_TEXT:
        raise InvalidInput(f"a broadcast is 1 to {MAX_BROADCAST_TEXT} characters of text", field="text")
    return Delivery(shoppers(store_id), message("Broadcast", store_id, {"text": text.strip()}, at))


def dashboard_counters(detail: Mapping[str, Any], at: datetime, reporters: Iterable[str]) -> list[Delivery]:
    """The dashboard's figures to the own room of each operator of the store who may see revenue (`reporters`:
    the caller judged their roles); nothing without a store."""
    store = detail.get("store_id")
    if not isinstance(store, str) or not store:
        return []
    shown = message(DASHBOARD_COUNTERS, store, _pick(detail, _COUNTERS_FIELDS), at)
    return [Delivery(operator(store, sub), shown) for sub in sorted(set(reporters))]
