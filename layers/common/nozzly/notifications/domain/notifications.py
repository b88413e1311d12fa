"""What lands in a person's inbox for each domain event on the bus. Pure Python.

`compose` turns one event into at most one operator notification and one shopper notification (a template each,
filled in per recipient by `Notification.for_recipient`). Ids sort newest first: the event's time inverted, then
the event's id, so a redelivered event names the same notification and is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

__all__ = [
    "DETAIL_TYPES",
    "KEEP_DAYS",
    "MAX_MS",
    "OPERATOR_KINDS",
    "SHOPPER_EVENTS",
    "SHOPPER_KINDS",
    "Audience",
    "BusEvent",
    "Composed",
    "Kind",
    "Notification",
    "Preferences",
    "Recipient",
    "compose",
    "notification_id",
]

KEEP_DAYS: Final = 90
MAX_MS: Final = 9_999_999_999_999  # 13 digits: epoch milliseconds until the year 2286
_SYMBOLS: Final = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}


class Audience(StrEnum):
    OPERATOR = "operator"
    SHOPPER = "shopper"


class Kind(StrEnum):
    # an operator's
    ORDER_PLACED = "order_placed"
    PAYMENT_RECEIVED = "payment_received"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_REFUNDED = "order_refunded"
    LOW_STOCK = "low_stock"
    BACK_IN_STOCK = "back_in_stock"
    REVIEW_SUBMITTED = "review_submitted"
    # a shopper's
    ORDER_PAID = "order_paid"
    ORDER_SHIPPED = "order_shipped"
    ORDER_DELIVERED = "order_delivered"
    MY_ORDER_CANCELLED = "my_order_cancelled"
    MY_ORDER_REFUNDED = "my_order_refunded"


OPERATOR_KINDS: Final = (
    Kind.ORDER_PLACED,
    Kind.PAYMENT_RECEIVED,
    Kind.ORDER_CANCELLED,
    Kind.ORDER_REFUNDED,
    Kind.LOW_STOCK,
    Kind.BACK_IN_STOCK,
    Kind.REVIEW_SUBMITTED,
)
SHOPPER_KINDS: Final = (
    Kind.ORDER_PAID,
    Kind.ORDER_SHIPPED,
    Kind.ORDER_DELIVERED,
    Kind.MY_ORDER_CANCELLED,
    Kind.MY_ORDER_REFUNDED,
)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Whose inbox: an operator of one store, or one store's shopper (`sub` is their Cognito subject)."""

    audience: Audience
    store_id: str
    sub: str

    @property
    def room(self) -> str:
        """The live channel the realtime capability delivers to: one person's, never a whole store's."""
        if self.audience is Audience.OPERATOR:
            return f"operator:{self.store_id}:{self.sub}"
        return f"shopper:{self.store_id}:{self.sub}"


@dataclass(frozen=True, slots=True)
class BusEvent:
    """One bus event as the inbox needs it: `at` is the event's time in epoch milliseconds."""

    event_id: str
    detail_type: str
    at: int
    detail: Mapping[str, Any]

    @property
    def store_id(self) -> str | None:
        store = self.detail.get("store_id")
        return store if isinstance(store, str) and store else None

    @property
    def order_id(self) -> str | None:
        order = self.detail.get("order_id")
        return order if isinstance(order, str) and order else None


def notification_id(at_ms: int, event_id: str) -> str:
    """Sorts newest first as a string: the time inverted to 13 digits, then the event's id."""
    if not 0 <= at_ms <= MAX_MS:
        raise InvalidInput("event time out of range", field="time")
    return f"{MAX_MS - at_ms:013d}-{event_id}"


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    store_id: str
    kind: Kind
    title: str
    body: str
    link: str
    created_at: int  # epoch seconds
    read_at: int | None = None
    recipient: Recipient | None = None

    @property
    def expires_at(self) -> int:
        return self.created_at + KEEP_DAYS * 86_400

    def for_recipient(self, recipient: Recipient) -> Notification:
        return replace(self, recipient=recipient)


@dataclass(frozen=True, slots=True)
class Composed:
    """An event's notifications: the one for the store's operators, the one for the order's shopper."""

    operators: Notification | None
    shopper: Notification | None


@dataclass(frozen=True, slots=True)
class Preferences:
    """The kinds an operator does not want in one store's inbox; default: none muted (they get every kind)."""

    muted: frozenset[Kind] = frozenset()

    @classmethod
    def validated(cls, muted: list[str]) -> Preferences:
        kinds: set[Kind] = set()
        for name in muted:
            if name not in OPERATOR_KINDS:
                raise InvalidInput(f"{name!r} is not a kind an operator receives", field="muted")
            kinds.add(Kind(name))
        return cls(frozenset(kinds))

    def wants(self, kind: Kind) -> bool:
        return kind not in self.muted

    @property
    def enabled(self) -> list[Kind]:
        return [k for k in OPERATOR_KINDS if k not in self.muted]


def _money(detail: Mapping[str, Any]) -> str | None:
    amount, currency = detail.get("amount"), detail.get("currency")
    if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(currency, str):
        return None
    try:
        decimal = Money(amount, currency).to_decimal_string()
    except InvalidInput:
        return None
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{decimal}" if symbol else f"{currency} {decimal}"


def _order(d: Mapping[str, Any]) -> str:
    number = d.get("order_number")
    return f"Order #{number}" if number is not None else "An order"


def _your_order(d: Mapping[str, Any]) -> str:
    number = d.get("order_number")
    return f"Your order #{number}" if number is not None else "Your order"


def _amount(d: Mapping[str, Any], text: str) -> str:
    found = _money(d)
    return f"{text} {found}." if found else ""


def _product(d: Mapping[str, Any]) -> str:
    title = str(d.get("title") or d.get("product") or "A product")
    variant = d.get("variant_title")
    return f"{title} ({variant})" if variant and variant != title else title


def _plain(text: str, limit: int) -> str:
    """One line of plain text: no markup reaches the inbox, whatever a title held."""
    flat = " ".join(text.replace("<", "‹").replace(">", "›").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# (kind, title, body) per audience; None: this audience hears nothing of the event.
Texts = tuple[Kind, str, str]
Builder = Callable[[Mapping[str, Any]], Texts | None]


def _tracking(d: Mapping[str, Any]) -> str:
    carrier, number, url = d.get("carrier"), d.get("tracking_number"), d.get("tracking_url")
    parts = [p for p in (str(carrier) if carrier else "", f"tracking {number}" if number else "") if p]
    text = "Shipped" + (f" with {' '.join(parts)}" if parts else "") + "."
    return f"{text} Track it: {url}" if url else text


_OPERATOR: Final[dict[str, Builder]] = {
    "OrderPlaced": lambda d: (Kind.ORDER_PLACED, f"New order: {_order(d)}", _amount(d, "Total")),
    "PaymentReceived": lambda d: (Kind.PAYMENT_RECEIVED, f"Payment received: {_order(d)}", _amount(d, "Paid")),
    "OrderCancelled": lambda d: (
        Kind.ORDER_CANCELLED,
        f"{_order(d)} cancelled",
        f"Reason: {d['reason']}" if d.get("reason") else "",
    ),
    "OrderRefunded": lambda d: (Kind.ORDER_REFUNDED, f"{_order(d)} refunded", _amount(d, "Refunded")),
    "LowStock": lambda d: (Kind.LOW_STOCK, f"Low stock: {_product(d)}", f"{d.get('available')} left."),
    "BackInStock": lambda d: (Kind.BACK_IN_STOCK, f"Back in stock: {_product(d)}", f"{d.get('available')} available."),
    "ReviewSubmitted": lambda d: (
        Kind.REVIEW_SUBMITTED,
        f"Review to moderate: {_product(d)}",
        f"{d['rating']} of 5 stars." if isinstance(d.get("rating"), int) else "",
    ),
}
_SHOPPER: Final[dict[str, Builder]] = {
    "PaymentReceived": lambda d: (Kind.ORDER_PAID, f"{_your_order(d)} is paid", _amount(d, "We received")),
    "ShipmentCreated": lambda d: (Kind.ORDER_SHIPPED, f"{_your_order(d)} is on its way", _tracking(d)),
    "OrderDelivered": lambda d: (Kind.ORDER_DELIVERED, f"{_your_order(d)} was delivered", ""),
    "OrderCancelled": lambda d: (Kind.MY_ORDER_CANCELLED, f"{_your_order(d)} was cancelled", ""),
    "OrderRefunded": lambda d: (Kind.MY_ORDER_REFUNDED, f"{_your_order(d)} was refunded", _amount(d, "Refunded")),
}
SHOPPER_EVENTS: Final = frozenset(_SHOPPER)
DETAIL_TYPES: Final = tuple(sorted(set(_OPERATOR) | set(_SHOPPER)))


def _link(audience: Audience, store_id: str, detail: Mapping[str, Any]) -> str:
    order, product = detail.get("order_id"), detail.get("product")
    if audience is Audience.SHOPPER:
        # relative to the store's storefront (the account pages' order page)
        return f"/account/orders/{order}" if order else "/account/orders"
    if order:
        return f"#/s/{store_id}/orders/{order}"
    if detail.get("review_id"):
        return f"#/s/{store_id}/reviews"  # the moderation queue
    if product:
        return f"#/s/{store_id}/products/{product}"
    return f"#/s/{store_id}"


def _build(builders: Mapping[str, Builder], audience: Audience, event: BusEvent, store_id: str) -> Notification | None:
    build = builders.get(event.detail_type)
    texts = build(event.detail) if build is not None else None
    if texts is None:
        return None
    kind, title, body = texts
    return Notification(
        id=notification_id(event.at, event.event_id),
        store_id=store_id,
        kind=kind,
        title=_plain(title, 120),
        body=_plain(body, 300),
        link=_link(audience, store_id, event.detail),
        created_at=event.at // 1000,
    )


def compose(event: BusEvent) -> Composed:
    """The event's notifications; none for an event without a store or one nobody is told of."""
    store_id = event.store_id
    if store_id is None:
        return Composed(None, None)
    return Composed(
        operators=_build(_OPERATOR, Audience.OPERATOR, event, store_id),
        shopper=_build(_SHOPPER, Audience.SHOPPER, event, store_id) if event.order_id else None,
    )
