"""Orders: what a placed checkout (or, later, an operator) turns into. Pure Python.

The status machine and fulfilment belong to the orders issue; checkout creates orders as `pending`, paid or
awaiting payment (cash on delivery). What may happen to an order (cancel, refund, mark paid) is decided in
domain/order_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import reduce

from nozzly.domain.carts import CartOwner
from nozzly.domain.checkout import Checkout, CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.domain.customers import Address
from nozzly.domain.money import Money
from nozzly.domain.pricing import Totals

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


def order_from_checkout(checkout: Checkout, number: int, now: float) -> Order:
    paid = checkout.payment_method is not PaymentMethod.CASH_ON_DELIVERY
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
        shipping=checkout.shipping,
        payment_method=checkout.payment_method,
        payment=checkout.payment,
        coupon=checkout.coupon,
        totals=checkout.totals,
        created_at=int(now),
    )
