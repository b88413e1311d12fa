"""Manual orders: an operator enters a sale (a phone order, a sale at the counter) that holds stock exactly as a
checkout does. Pure Python.

The lines are priced from the catalog as it is now (today's price, like a checkout), the totals come from
sales/domain/pricing.py as a checkout's do, and the stock is held with catalog/domain/stock_holds.plan_holds, so
fulfilment later commits it exactly as it commits a web order's. The money is taken outside any provider: either
already (a card terminal, cash at the counter) or later, when an operator marks the order paid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.catalog.domain.stock_holds import OutOfStock
from nozzly.customers.domain.customers import Address, AddressFields
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState, TimelineEntry, TimelineKind
from nozzly.sales.domain.cart_limits import MAX_QUANTITY
from nozzly.sales.domain.checkout import CHECKOUT_ID_LENGTH, CheckoutLine, PaymentMethod, ShippingChoice, fingerprint
from nozzly.sales.domain.checkout_start import priced_lines
from nozzly.sales.domain.pricing import price
from nozzly.stores.domain.tax_rules import AppliedTax

# One transaction holds the order, its request record, one hold and one purchase record per product: at most
# 2 + 2 x 40 of DynamoDB's 100 items.
MAX_LINES = 40
MAX_NOTE = 500
MANUAL_CHANNELS = frozenset({Channel.MANUAL, Channel.POS})
CHANNEL_WORDS = {Channel.MANUAL: "manual order", Channel.POS: "point of sale"}
# No shipping method named: the goods change hands in person (at the counter, picked up).
IN_PERSON = "in_person"


class ManualPayment(StrEnum):
    AWAITING = "awaiting_payment"  # collected later: an operator marks the order paid
    PAID = "paid"  # taken already, outside any provider (card terminal, cash)


@dataclass(frozen=True, slots=True)
class WantedLine:
    product: str
    variant: str | None  # may be left out when the product has only one variant
    quantity: int


@dataclass(frozen=True, slots=True)
class ManualOrderRequest:
    channel: Channel
    email: str
    customer: str | None  # a shopper account's id (sub) in this store
    lines: tuple[WantedLine, ...]
    address: AddressFields
    shipping_method: str | None
    payment: ManualPayment
    note: str | None = None

    def fingerprint(self) -> str:
        """Of everything the operator asked for: the same Idempotency-Key with another request is refused."""
        return fingerprint(
            {
                "channel": self.channel.value,
                "email": self.email,
                "customer": self.customer,
                "lines": [[x.product, x.variant, x.quantity] for x in self.lines],
                "address": {name: getattr(self.address, name) for name in self.address.__dataclass_fields__},
                "shipping_method": self.shipping_method,
                "payment": self.payment.value,
                "note": self.note,
            }
        )


def manual_order_id(store_id: str, idempotency_key: str) -> str:
    """The same store and key always name the same order, so a retried request can never write a second one.
    "manual" keeps it apart from every checkout id (those hash a cart owner in that place)."""
    raw = "\0".join((store_id, "manual", idempotency_key))
    return hashlib.sha256(raw.encode()).hexdigest()[:CHECKOUT_ID_LENGTH]


def check_request(request: ManualOrderRequest) -> None:
    """What can be judged without reading anything."""
    if request.channel not in MANUAL_CHANNELS:
        raise InvalidInput("an operator's order is a manual or a pos order", field="channel")
    if not request.lines:
        raise InvalidInput("an order needs at least one line", field="lines")
    if len(request.lines) > MAX_LINES:
        raise InvalidInput(f"an order has at most {MAX_LINES} lines", field="lines")
    for i, line in enumerate(request.lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidInput(f"the quantity must be between 1 and {MAX_QUANTITY}", field=f"lines[{i}].quantity")
    if request.note is not None and len(request.note) > MAX_NOTE:
        raise InvalidInput(f"a note has at most {MAX_NOTE} characters", field="note")


def price_lines(wanted: Sequence[WantedLine], products: Mapping[str, Product]) -> tuple[CheckoutLine, ...]:
    """Every line at today's price, the same variant's lines added up (in the order first named), or the first
    problem as an error naming the line: unknown or unpublished products and variants are bad input, too little
    stock is a conflict (409), as in a checkout."""
    merged: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for i, line in enumerate(wanted):
        product = products.get(line.product)
        if product is None or not product.is_published:
            raise InvalidInput(f"no product {line.product!r} is for sale in this store", field=f"lines[{i}].product")
        variant = _variant(product, line.variant, i)
        key = (product.slug, variant.variant_id)
        merged[key] = merged.get(key, 0) + line.quantity
        first.setdefault(key, i)
    priced = []
    for (slug, variant_id), quantity in merged.items():
        product = products[slug]
        variant = next(v for v in product.variants if v.variant_id == variant_id)
        if variant.available < quantity:
            raise OutOfStock(
                _short(first[(slug, variant_id)], product, variant), field=f"lines[{first[(slug, variant_id)]}]"
            )
        priced.append(
            CheckoutLine(
                variant_id=variant_id,
                product_slug=slug,
                sku=variant.sku,
                title=product.title,
                variant_title=variant.title,
                quantity=quantity,
                unit_price=product.price_of(variant),
            )
        )
    return tuple(priced)


def _variant(product: Product, variant_id: str | None, i: int) -> Variant:
    if variant_id is None:
        if len(product.variants) > 1:
            names = ", ".join(v.variant_id for v in product.variants)
            raise InvalidInput(
                f"{product.title} comes in several variants ({names}): name one", field=f"lines[{i}].variant"
            )
        return product.variants[0]
    found = next((v for v in product.variants if v.variant_id == variant_id), None)
    if found is None:
        raise InvalidInput(f"{product.title} has no variant {variant_id!r}", field=f"lines[{i}].variant")
    return found


def _short(i: int, product: Product, variant: Variant) -> str:
    what = f"line {i + 1}: {product.title} ({variant.sku})"
    return f"{what} is out of stock" if variant.available <= 0 else f"{what}: only {variant.available} left"


def in_person(currency: str) -> ShippingChoice:
    return ShippingChoice(IN_PERSON, "Handed over in person", Money.zero(currency))


def order_from_manual(
    *,
    store_id: str,
    order_id: str,
    number: int,
    request: ManualOrderRequest,
    lines: tuple[CheckoutLine, ...],
    address: Address,
    shipping: ShippingChoice,
    tax: AppliedTax,
    products: Mapping[str, Product],
    by: str,
    now: float,
) -> Order:
    """The order as a checkout would place it (pending), entered by `by` ("operator:{sub}"), paid offline
    already or awaiting payment."""
    currency = shipping.price.currency
    paid = request.payment is ManualPayment.PAID
    how = "paid offline" if paid else "payment to be collected"
    text = f"Order #{number} entered by an operator ({CHANNEL_WORDS[request.channel]}, {how})"
    placed = TimelineEntry(
        at=int(now),
        by=by,
        kind=TimelineKind.PLACED,
        text=f"{text}: {request.note}" if request.note else text,
        to_status=OrderStatus.PENDING,
    )
    return Order(
        store_id=store_id,
        order_id=order_id,
        number=number,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.PAID if paid else PaymentState.AWAITING,
        channel=request.channel,
        email=request.email,
        customer=request.customer,
        lines=lines,
        shipping_address=address,
        shipping=shipping,
        payment_method=PaymentMethod.OFFLINE,
        payment=None,
        coupon=None,
        totals=price(priced_lines(lines, products), currency=currency, tax=tax, now=now, shipping=shipping.price),
        created_at=int(now),
        # Money taken at the counter: who took it and when, as mark-paid records it later otherwise.
        paid_at=int(now) if paid else None,
        marked_paid_by=by if paid else None,
        timeline=(placed,),
    )
