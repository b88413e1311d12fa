"""Orders: what a placed checkout (or, later, an operator) turns into. Pure Python.

The status machine and fulfilment belong to the orders issue; checkout creates orders as `pending`, paid or
awaiting payment (cash on delivery).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.domain.carts import CartOwner
from nozzly.domain.checkout import Checkout, CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.domain.customers import Address
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


class Channel(StrEnum):
    WEB = "web"
    POS = "pos"
    MANUAL = "manual"


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
