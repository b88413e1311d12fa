"""The store's recent-activity feed: one plain sentence per domain event an operator cares about. Pure Python.

StoreActivity hands every bus event here; `describe` says what it was (kind, sentence, what it is about) or None
for events the feed leaves out. Status changes to cancelled or delivered are left out because the order also
announces OrderCancelled / OrderDelivered, and the feed should say it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from nozzly.analytics.domain.dashboard import Activity
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

__all__ = ["DETAIL_TYPES", "KEEP_DAYS", "Activity", "ActivityEvent", "describe", "money_text"]

KEEP_DAYS: Final = 30  # the feed shows the last few events; older ones expire (the table's TTL)
_SYMBOLS: Final = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
_ANNOUNCED_ELSEWHERE: Final = frozenset({"cancelled", "delivered"})


@dataclass(frozen=True, slots=True)
class ActivityEvent:
    """One bus event as the feed needs it: `at` is the event's time in epoch milliseconds (the feed shows seconds)."""

    event_id: str
    source: str
    detail_type: str
    at: int
    detail: Mapping[str, Any]

    @property
    def store_id(self) -> str | None:
        store = self.detail.get("store_id")
        return store if isinstance(store, str) and store else None


def money_text(amount: object, currency: object) -> str | None:
    """`€44.00`, `CHF 12.50`, `¥500`: integer minor units as an operator reads them; None when not money."""
    if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(currency, str):
        return None
    try:
        decimal = Money(amount, currency).to_decimal_string()
    except InvalidInput:
        return None
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{decimal}" if symbol else f"{currency} {decimal}"


def _order(detail: Mapping[str, Any]) -> str:
    number = detail.get("order_number")
    return f"Order #{number}" if number is not None else "An order"


def _with_amount(text: str, detail: Mapping[str, Any]) -> str:
    amount = money_text(detail.get("amount"), detail.get("currency"))
    return f"{text} — {amount}" if amount else text


def _variant(detail: Mapping[str, Any]) -> str:
    title = str(detail.get("title") or detail.get("product") or "A product")
    variant = detail.get("variant_title")
    return f"{title} ({variant})" if variant and variant != title else title


Described = tuple[str, str, str | None]


def _placed(d: Mapping[str, Any]) -> Described | None:
    return "order_placed", _with_amount(f"{_order(d)} placed", d), d.get("order_id")


def _paid(d: Mapping[str, Any]) -> Described | None:
    return "payment_received", _with_amount(f"Payment received for {_order(d).lower()}", d), d.get("order_id")


def _refunded(d: Mapping[str, Any]) -> Described | None:
    return "order_refunded", _with_amount(f"{_order(d)} refunded", d), d.get("order_id")


def _cancelled(d: Mapping[str, Any]) -> Described | None:
    reason = d.get("reason")
    text = f"{_order(d)} cancelled" + (f": {reason}" if reason else "")
    return "order_cancelled", text, d.get("order_id")


def _delivered(d: Mapping[str, Any]) -> Described | None:
    return "order_delivered", f"{_order(d)} delivered", d.get("order_id")


def _status(d: Mapping[str, Any]) -> Described | None:
    to = d.get("to")
    if not isinstance(to, str) or to in _ANNOUNCED_ELSEWHERE:
        return None
    if to == "shipped":
        return "order_shipped", f"{_order(d)} shipped", d.get("order_id")
    return "status_changed", f"{_order(d)} is now {to.replace('_', ' ')}", d.get("order_id")


def _low(d: Mapping[str, Any]) -> Described | None:
    return "low_stock", f"{_variant(d)} is running low: {d.get('available')} left", d.get("product")


def _back(d: Mapping[str, Any]) -> Described | None:
    return "back_in_stock", f"{_variant(d)} is back in stock: {d.get('available')} available", d.get("product")


# detail-type -> sentence; the sources are Nozzly's own (only Nozzly writes to the bus).
_DESCRIBE: Final[dict[str, Callable[[Mapping[str, Any]], Described | None]]] = {
    "OrderPlaced": _placed,
    "PaymentReceived": _paid,
    "OrderRefunded": _refunded,
    "OrderCancelled": _cancelled,
    "OrderDelivered": _delivered,
    "OrderStatusChanged": _status,
    "LowStock": _low,
    "BackInStock": _back,
}
DETAIL_TYPES: Final = tuple(_DESCRIBE)


def describe(event: ActivityEvent) -> Activity | None:
    """The feed's line for the event, or None when the feed leaves it out (unknown, or no store)."""
    build = _DESCRIBE.get(event.detail_type)
    found = build(event.detail) if build is not None and event.store_id else None
    if found is None:
        return None
    kind, text, ref = found
    return Activity(at=event.at // 1000, kind=kind, text=text, ref=str(ref) if ref is not None else None)
