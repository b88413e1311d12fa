"""Checkout: a cart frozen into lines and totals for an address, a shipping method and a payment method, then
carried through the saga (statemachines/checkout.asl.json): reserve stock -> take payment -> place the order.

Pure Python. The stock reservation is planned here (which variants, how many, against which stock on hand)
and carried out by one conditional DynamoDB transaction in catalog/adapters/reservations.py
(the plan itself: catalog/domain/stock_holds.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.stock_holds import OutOfStock, shortage
from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import PaymentFlow, Provider
from nozzly.sales.domain.carts import CartLine, CartOf, CartOwner
from nozzly.sales.domain.pricing import Totals

RESERVATION_TIMEOUT_SECONDS = 15 * 60  # the template's ReservationTimeoutSeconds default
CHECKOUT_ID_LENGTH = 32


class PaymentMethod(StrEnum):
    STRIPE_PAYMENT_INTENT = PaymentFlow.STRIPE_PAYMENT_INTENT.value
    STRIPE_CHECKOUT_SESSION = PaymentFlow.STRIPE_CHECKOUT_SESSION.value
    SQUARE_CARD = PaymentFlow.SQUARE_CARD.value
    CASH_ON_DELIVERY = "cash_on_delivery"
    # An operator's order paid outside any provider (cash, a card terminal, a bank transfer); never a shopper's
    # choice: sales/contracts/checkout.py does not offer it.
    OFFLINE = "offline"

    @property
    def flow(self) -> PaymentFlow | None:
        """The provider flow; None for money no provider takes (cash on delivery, offline)."""
        return None if self in _NO_PROVIDER else PaymentFlow(self.value)

    @property
    def collected_by_hand(self) -> bool:
        """Money an operator collects and marks paid (mark-paid), not a provider."""
        return self in _NO_PROVIDER


_NO_PROVIDER = frozenset({PaymentMethod.CASH_ON_DELIVERY, PaymentMethod.OFFLINE})


@dataclass(frozen=True, slots=True)
class PaymentDetails:
    """What a shopper sends with a payment method beyond its name; kept with the checkout until it ends."""

    source_token: str | None = None  # Square: the Web Payments SDK card token
    return_url: str | None = None  # Stripe Checkout: where the provider's page sends the shopper back


# The one rule of what each payment method needs, judged when a checkout starts and again when its payment
# starts (from the stored checkout), so a checkout the edge let through never fails inside for want of it.
_NEEDS: dict[PaymentMethod, tuple[str, str]] = {
    PaymentMethod.SQUARE_CARD: ("source_token", "a Square card payment needs the card token"),
    PaymentMethod.STRIPE_CHECKOUT_SESSION: ("return_url", "a Stripe Checkout payment needs a return_url"),
}


def needs_details(method: PaymentMethod) -> bool:
    """Whether starting its payment takes details only the stored checkout holds."""
    return method in _NEEDS


def check_payment_details(method: PaymentMethod, details: PaymentDetails) -> None:
    needed = _NEEDS.get(method)
    if needed is not None and not getattr(details, needed[0]):
        raise InvalidInput(needed[1], field=needed[0])


class CheckoutStatus(StrEnum):
    PROCESSING = "processing"  # the saga is reserving stock
    RESERVED = "reserved"  # stock held; payment about to start
    AWAITING_PAYMENT = "awaiting_payment"  # the shopper pays (client secret / redirect / card) until the timeout
    PLACED = "placed"  # the order exists
    FAILED = "failed"  # nothing is held and nothing is charged; `reason` says why

    @property
    def is_final(self) -> bool:
        return self in (CheckoutStatus.PLACED, CheckoutStatus.FAILED)


HOLDS_STOCK = (CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT)


@dataclass(frozen=True, slots=True)
class CheckoutLine:
    variant_id: str
    product_slug: str
    sku: str
    title: str
    variant_title: str
    quantity: int
    unit_price: Money  # today's price when the checkout started: what is charged

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    method_id: str
    name: str
    price: Money


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    provider: Provider
    payment_id: str
    client_secret: str | None = None
    redirect_url: str | None = None


@dataclass(frozen=True, slots=True)
class Checkout:
    store_id: str
    checkout_id: str
    cart: CartOf
    cart_version: int  # the cart is cleared after the order only if it did not change meanwhile
    email: str
    address: Address
    shipping: ShippingChoice
    payment_method: PaymentMethod
    lines: tuple[CheckoutLine, ...]
    coupon: str | None
    totals: Totals
    fingerprint: str  # of the request: the same idempotency key with another request is refused
    created_at: int
    status: CheckoutStatus = CheckoutStatus.PROCESSING
    reason: str | None = None  # why it failed, for the shopper to read
    order_number: int | None = None
    payment: PaymentInfo | None = None
    source_token: str | None = field(default=None, repr=False)  # Square's card token, used once
    return_url: str | None = None  # Stripe Checkout: where the provider's page sends the shopper back
    billing_address: Address | None = None  # None: the same as the shipping address

    @property
    def currency(self) -> str:
        return self.totals.total.currency


class CheckoutInProgress(Conflict):
    """A second checkout of a cart that a live one has claimed: the caller follows that one instead."""

    code = "checkout_in_progress"

    def __init__(self, store_id: str, live_id: str, *, placed: bool = False) -> None:
        self.location = status_path(store_id, live_id)
        if placed:
            message = f"this cart was just bought: follow {self.location} (change the cart to buy again)"
        else:
            message = (
                f"this cart is already being checked out: follow {self.location} (a new checkout can start once it "
                "is placed or has failed)"
            )
        super().__init__(message, field="cart")


def status_path(store_id: str, the_id: str) -> str:
    """Where a checkout's progress is read (GET, public: the id is unguessable)."""
    return f"/stores/{store_id}/checkouts/{the_id}"


def checkout_id(store_id: str, cart: CartOf, idempotency_key: str) -> str:
    """The same store, cart and key always name the same checkout: a retried POST finds it. Unguessable, since
    a guest cart's id is a secret session id and a shopper's key is theirs."""
    raw = "\0".join((store_id, cart.owner.value, cart.owner_id, idempotency_key))
    return hashlib.sha256(raw.encode()).hexdigest()[:CHECKOUT_ID_LENGTH]


def coupon_user(cart: CartOf, email: str) -> str:
    """Whom a per-shopper coupon limit counts: the account, or a guest's email address."""
    return f"sub:{cart.owner_id}" if cart.owner is CartOwner.SHOPPER else f"email:{email}"


def fingerprint(request: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def freeze_lines(lines: Sequence[CartLine], products: Mapping[str, Product]) -> tuple[CheckoutLine, ...]:
    """Every line at today's price, or the first problem as an error naming the line."""
    if not lines:
        raise InvalidInput("the cart is empty", field="cart")
    frozen = []
    for line in lines:
        product = products.get(line.product_slug)
        variant = next((v for v in product.variants if v.variant_id == line.variant_id), None) if product else None
        if product is None or variant is None or not product.is_published:
            raise NotFound(f"{line.sku} ({line.title}) is no longer for sale; remove it", field="cart")
        if variant.available < line.quantity:
            raise OutOfStock(shortage(line.sku, line.title, variant.available), field="cart")
        frozen.append(
            CheckoutLine(
                variant_id=line.variant_id,
                product_slug=line.product_slug,
                sku=line.sku,
                title=line.title,
                variant_title=line.variant_title,
                quantity=line.quantity,
                unit_price=product.price_of(variant),
            )
        )
    return tuple(frozen)
