"""Orders: what a placed checkout (or an operator's manual order) turns into. Pure Python.

Checkout creates orders as `pending`, paid or awaiting payment (cash on delivery). What may happen to an order
is decided in orders/domain/order_rules.py (cancel, refund, mark paid) and orders/domain/order_status.py (the status
machine); each change appends to the order's timeline, so the order itself says who did what and when.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce

from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.carts import CartOwner
from nozzly.sales.domain.checkout import Checkout, CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import Totals

FIRST_ORDER_NUMBER = 1001


class OrderStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentState(StrEnum):
    AWAITING = "awaiting_payment"  # cash on delivery until an operator marks it paid
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class RefundState(StrEnum):
    REQUESTED = "requested"  # the amount is claimed on the order; the provider has not answered yet
    PENDING = "pending"  # the provider accepted it and completes it later
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the provider refused it: the amount is free again

    @property
    def counts(self) -> bool:
        """Whether the amount is spoken for: everything but a failed refund."""
        return self is not RefundState.FAILED


class Channel(StrEnum):
    WEB = "web"
    POS = "pos"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class OrderRefund:
    """One refund of an order, keyed by the idempotency key that asked for it: one refund per key."""

    key: str
    amount: Money
    state: RefundState
    reason: str
    by: str  # "operator:{sub}" or "shopper:{sub}" (a shopper's cancellation)
    at: int  # epoch seconds when it was asked for
    provider_key: str  # the idempotency key the provider gets: a retry reaches the same refund
    requested: int | None = None  # the amount asked for; None: everything not yet refunded at the time
    refund_id: str | None = None  # the provider's; None for cash and until the provider answers


class TimelineKind(StrEnum):
    PLACED = "placed"
    STATUS_CHANGED = "status_changed"
    MARKED_PAID = "marked_paid"
    REFUND_REQUESTED = "refund_requested"
    REFUND_SETTLED = "refund_settled"  # the provider's answer: ref names the refund, state says which
    FULFILMENT_CREATED = "fulfilment_created"
    TRACKING_UPDATED = "tracking_updated"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One change of an order: who (`by`), when (`at`, epoch seconds), what (`kind` and a sentence)."""

    at: int
    by: str  # "operator:{sub}", "shopper:{sub}", "guest", "system"
    kind: TimelineKind
    text: str
    ref: str | None = None  # the refund key or fulfilment id the entry is about
    from_status: OrderStatus | None = None
    to_status: OrderStatus | None = None
    note: str | None = None  # what the person who made the change said (a cancellation's reason)


@dataclass(frozen=True, slots=True)
class FulfilmentLine:
    product_slug: str
    variant_id: str
    quantity: int

    @property
    def item_id(self) -> str:
        return f"{self.product_slug}:{self.variant_id}"


@dataclass(frozen=True, slots=True)
class Fulfilment:
    """Lines that left the warehouse together, with the parcel's tracking. Its stock is committed (taken off
    on hand and reserved) in the same write that records it."""

    fulfilment_id: str
    lines: tuple[FulfilmentLine, ...]
    created_at: int
    by: str
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    updated_at: int | None = None


class FulfilmentState(StrEnum):
    UNFULFILLED = "unfulfilled"
    PARTIAL = "partially_fulfilled"
    FULFILLED = "fulfilled"


def line_item_id(line: CheckoutLine) -> str:
    return f"{line.product_slug}:{line.variant_id}"


@dataclass(frozen=True, slots=True)
class Order:
    store_id: str
    order_id: str  # the checkout's id: one checkout, at most one order
    number: int
    status: OrderStatus
    payment_state: PaymentState
    channel: Channel
    email: str
    customer: str | None  # the shopper's sub; None for a guest
    lines: tuple[CheckoutLine, ...]
    shipping_address: Address
    shipping: ShippingChoice
    payment_method: PaymentMethod
    payment: PaymentInfo | None
    coupon: str | None
    totals: Totals
    created_at: int
    refunds: tuple[OrderRefund, ...] = ()
    version: int = 0  # every change after placement bumps it; writes are conditioned on the version read
    cancelled_at: int | None = None
    paid_at: int | None = None  # cash on delivery: when an operator marked it paid
    marked_paid_by: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()
    fulfilments: tuple[Fulfilment, ...] = ()
    billing_address: Address | None = None  # None: the same as the shipping address

    @property
    def currency(self) -> str:
        return self.totals.total.currency

    @property
    def paid(self) -> Money:
        """What the shopper has paid: the total once paid, nothing while a cash order awaits payment."""
        if self.payment_state is PaymentState.AWAITING:
            return Money.zero(self.currency)
        return self.totals.total

    @property
    def refunded(self) -> Money:
        """Refunded or on its way back: every refund but failed ones."""
        amounts = [r.amount for r in self.refunds if r.state.counts]
        return reduce(lambda a, b: a + b, amounts, Money.zero(self.currency))

    @property
    def refundable(self) -> Money:
        return self.paid - self.refunded

    def refund(self, key: str) -> OrderRefund | None:
        return next((r for r in self.refunds if r.key == key), None)

    def fulfilment(self, fulfilment_id: str) -> Fulfilment | None:
        return next((f for f in self.fulfilments if f.fulfilment_id == fulfilment_id), None)

    @property
    def ordered_quantities(self) -> dict[str, int]:
        """Quantity per line item (`{product}:{variant}`)."""
        wanted: dict[str, int] = {}
        for line in self.lines:
            wanted[line_item_id(line)] = wanted.get(line_item_id(line), 0) + line.quantity
        return wanted

    @property
    def fulfilled_quantities(self) -> dict[str, int]:
        done: dict[str, int] = {}
        for f in self.fulfilments:
            for line in f.lines:
                done[line.item_id] = done.get(line.item_id, 0) + line.quantity
        return done

    @property
    def unfulfilled_quantities(self) -> dict[str, int]:
        """What is still to ship, per line item; items fully shipped are left out."""
        done = self.fulfilled_quantities
        left = {item: q - done.get(item, 0) for item, q in self.ordered_quantities.items()}
        return {item: q for item, q in left.items() if q > 0}

    @property
    def fulfilment_state(self) -> FulfilmentState:
        if not self.fulfilments:
            return FulfilmentState.UNFULFILLED
        return FulfilmentState.PARTIAL if self.unfulfilled_quantities else FulfilmentState.FULFILLED

    def logged(self, entry: TimelineEntry) -> Order:
        """The order with one more timeline entry (the caller bumps the version with the change it records)."""
        return dataclasses.replace(self, timeline=(*self.timeline, entry))


def order_from_checkout(checkout: Checkout, number: int, now: float) -> Order:
    paid = checkout.payment_method is not PaymentMethod.CASH_ON_DELIVERY
    shopper = checkout.cart.owner is CartOwner.SHOPPER
    placed = TimelineEntry(
        at=int(now),
        by=f"shopper:{checkout.cart.owner_id}" if shopper else "guest",
        kind=TimelineKind.PLACED,
        text=f"Order #{number} placed online ({checkout.payment_method.value.replace('_', ' ')})",
        to_status=OrderStatus.PENDING,
    )
    return Order(
        store_id=checkout.store_id,
        order_id=checkout.checkout_id,
        number=number,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.PAID if paid else PaymentState.AWAITING,
        channel=Channel.WEB,
        email=checkout.email,
        customer=checkout.cart.owner_id if checkout.cart.owner is CartOwner.SHOPPER else None,
        lines=checkout.lines,
        shipping_address=checkout.address,
        billing_address=checkout.billing_address,
        shipping=checkout.shipping,
        payment_method=checkout.payment_method,
        payment=checkout.payment,
        coupon=checkout.coupon,
        totals=checkout.totals,
        created_at=int(now),
        timeline=(placed,),
    )
