"""Judging a checkout's start: from everything read about the store, the cart and the request, the checkout to
create, the one this request already made, or a domain error saying what is wrong. Pure Python.

Nothing is stored before this has judged, so a bad request changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nozzly.catalog.domain.catalog import Product, Store
from nozzly.customers.domain.customers import AddressFields
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.payments.domain.payments import FLOW_PROVIDER, Provider
from nozzly.payments.domain.payouts import ConnectedAccount, require_ready
from nozzly.promotions.domain.coupons import Coupon, CouponNotApplicable
from nozzly.sales.domain.carts import Cart, CartOf, CartOwner
from nozzly.sales.domain.checkout import (
    Checkout,
    CheckoutInProgress,
    CheckoutLine,
    CheckoutStatus,
    PaymentDetails,
    PaymentMethod,
    ShippingChoice,
    check_payment_details,
    fingerprint,
    freeze_lines,
)
from nozzly.sales.domain.pricing import CouponUse, PricedLine, price
from nozzly.stores.domain.shipping_rules import ShippingMethod, ShippingSettings, default_shipping_settings
from nozzly.stores.domain.tax_rules import TaxSettings, default_tax_settings
from nozzly.stores.domain.zones import Destination


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    email: str
    address: AddressFields
    shipping_method: str
    payment_method: PaymentMethod
    source_token: str | None = None  # Square card token
    return_url: str | None = None  # Stripe Checkout
    billing: AddressFields | None = None  # None: the same as the shipping address

    @property
    def details(self) -> PaymentDetails:
        return PaymentDetails(source_token=self.source_token, return_url=self.return_url)

    def fingerprint(self) -> str:
        return fingerprint(
            {
                "email": self.email,
                "address": {name: getattr(self.address, name) for name in self.address.__dataclass_fields__},
                "shipping_method": self.shipping_method,
                "payment_method": self.payment_method.value,
                "source_token": self.source_token,
                "return_url": self.return_url,
                "billing": None
                if self.billing is None
                else {name: getattr(self.billing, name) for name in self.billing.__dataclass_fields__},
            }
        )


@dataclass(frozen=True, slots=True)
class StartFacts:
    """What one fetch found. The cart's products, its code and the checkout holding it are read only when there
    is a cart to check out (and no checkout of this request yet)."""

    store: Store | None
    existing: Checkout | None  # the checkout this request's id names
    cart: Cart | None
    session_expiry: int | None  # a guest's session; None for a shopper's cart or no session
    tax_rules: TaxSettings | None  # None: never saved, the store's defaults apply
    shipping_rules: ShippingSettings | None  # likewise
    payout_account: ConnectedAccount | None = None  # the store's Stripe account, read for a Stripe payment only
    holder: Checkout | None = None  # the checkout that claimed the cart
    products: Mapping[str, Product] | None = None
    coupon: Coupon | None = None
    coupon_uses: int = 0  # the shopper's own


@dataclass(frozen=True, slots=True)
class Judged:
    checkout: Checkout
    new: bool  # False: the checkout this request (or the same request of the same cart) made already


def needs_cart_reads(facts: StartFacts, now: float) -> bool:
    """Whether the products, the code and the holder need reading: not for an answer judged already."""
    return (
        facts.existing is None and facts.cart is not None and not facts.cart.is_expired(now) and bool(facts.cart.lines)
    )


def check_request(request: CheckoutRequest) -> None:
    """What can be judged before reading anything."""
    check_payment_details(request.payment_method, request.details)


def judge_start(
    facts: StartFacts, *, store_id: str, checkout_id: str, whose: CartOf, request: CheckoutRequest, now: float
) -> Judged:
    """The checkout to create (new), or the one to answer with; a domain error otherwise."""
    store = facts.store
    if store is None or not store.is_open:
        raise NotFound(f"store {store_id!r} not found", field="store")
    print_ = request.fingerprint()
    if facts.existing is not None:
        return Judged(same(facts.existing, print_), new=False)
    if whose.owner is CartOwner.GUEST and (facts.session_expiry is None or facts.session_expiry <= now):
        raise NotFound("no such guest session", field="session_id")
    cart = facts.cart
    if cart is None or cart.is_expired(now) or not cart.lines or facts.products is None:
        raise InvalidInput("the cart is empty", field="cart")
    holder = facts.holder
    if holder is not None and holder.checkout_id == cart.checkout_id:
        unchanged = holder.cart_version == cart.version
        # A placed holder whose cart is unchanged bought this cart; the cart is only waiting to be cleared, and a
        # late click (another key) must not buy it again.
        bought = holder.status is CheckoutStatus.PLACED and unchanged
        if not holder.status.is_final or bought:
            if holder.fingerprint == print_ and unchanged:
                return Judged(holder, new=False)  # the same request of the same cart again (a double-clicked button)
            raise CheckoutInProgress(store_id, holder.checkout_id, placed=bought)
    flow = request.payment_method.flow
    if flow is not None and FLOW_PROVIDER[flow] is Provider.STRIPE:
        require_ready(facts.payout_account)  # 409 payouts_not_ready: nothing stored, nothing reserved
    address = request.address.address("shipping", int(now))
    billing = request.billing.address("billing", int(now)) if request.billing is not None else None
    lines = freeze_lines(cart.lines, facts.products)
    used = None
    if cart.coupon:
        if facts.coupon is None:
            raise CouponNotApplicable("the cart's code no longer exists; remove it", field="coupon")
        used = CouponUse(facts.coupon, facts.coupon_uses)
    to = Destination(address.country, address.region, address.postal_code)
    tax = (facts.tax_rules or default_tax_settings(store.country)).applied(to)
    priced = priced_lines(lines, facts.products)
    goods = price(priced, currency=store.currency, tax=tax, now=now, coupon=used)
    offered = (facts.shipping_rules or default_shipping_settings(store.country, store.currency)).options(
        to, subtotal=goods.subtotal - goods.discount, weight_grams=parcel_grams(lines, facts.products)
    )
    method = chosen(offered, request.shipping_method, address.country)
    checkout = Checkout(
        store_id=store_id,
        checkout_id=checkout_id,
        cart=whose,
        cart_version=cart.version + 1,  # the claim's write
        email=request.email,
        address=address,
        shipping=ShippingChoice(method.method_id, method.name, method.price),
        payment_method=request.payment_method,
        lines=lines,
        coupon=cart.coupon,
        totals=price(priced, currency=store.currency, tax=tax, now=now, coupon=used, shipping=method.price),
        fingerprint=print_,
        created_at=int(now),
        source_token=request.source_token,
        return_url=request.return_url,
        billing_address=billing,
    )
    return Judged(checkout, new=True)


def chosen(
    offered: tuple[ShippingMethod, ...], wanted: str, country: str, *, country_field: str = "address.country"
) -> ShippingMethod:
    """The method asked for, if the store offers it for this parcel and address."""
    if not offered:
        raise InvalidInput(f"this store does not ship to {country}", field=country_field)
    found = next((m for m in offered if m.method_id == wanted), None)
    if found is None:
        names = ", ".join(m.method_id for m in offered)
        raise InvalidInput(
            f"shipping method {wanted!r} is not offered for this address and cart; choose one of: {names}",
            field="shipping_method",
        )
    return found


def parcel_grams(lines: tuple[CheckoutLine, ...], products: Mapping[str, Product]) -> int:
    """The parcel's weight: each line's variant weight times its quantity."""
    grams = 0
    for line in lines:
        variants = products[line.product_slug].variants
        grams += next((v.weight_grams for v in variants if v.variant_id == line.variant_id), 0) * line.quantity
    return grams


def priced_lines(lines: tuple[CheckoutLine, ...], products: Mapping[str, Product]) -> list[PricedLine]:
    """Frozen lines with the categories a code's restrictions look at (their products were read with them)."""
    return [PricedLine.of(line.total, products[line.product_slug]) for line in lines]


def same(existing: Checkout, print_: str) -> Checkout:
    if existing.fingerprint != print_:
        raise Conflict(
            "this Idempotency-Key was used for a different checkout request; use a new key",
            field="Idempotency-Key",
        )
    return existing
