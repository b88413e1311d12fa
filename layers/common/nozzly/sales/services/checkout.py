"""Starting a checkout: the cart frozen at today's prices for an address, a shipping method and a payment method,
then handed to the checkout saga (statemachines/checkout.asl.json). Reading a checkout's progress.

The same Idempotency-Key (per store and cart) always answers with the same checkout; the same key with a
different request is refused. Everything that can be judged now is judged before anything is stored, so a
bad request changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
from nozzly.accounts.services.guest_sessions import looks_like_session_id
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product
from nozzly.customers.domain.customers import AddressFields
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.observability import logger
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponNotApplicable, eligible_subtotal
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.carts import CartsRepository
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import CheckoutWorkflow
from nozzly.sales.domain.cart_reminders import snapshot
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.domain.checkout import (
    Checkout,
    CheckoutInProgress,
    CheckoutLine,
    CheckoutStatus,
    PaymentMethod,
    ShippingChoice,
    checkout_id,
    coupon_user,
    fingerprint,
    freeze_lines,
)
from nozzly.sales.domain.pricing import totals
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository, WriteConflict
from nozzly.stores.domain.store_defaults import ShippingMethod

START_ATTEMPTS = 3  # a claim lost to a concurrent start is judged again: it then answers with the winner
START_FAILED = "The checkout could not start. Nothing was reserved or charged; please try again."


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    email: str
    address: AddressFields
    shipping_method: str
    payment_method: PaymentMethod
    source_token: str | None = None  # Square card token
    return_url: str | None = None  # Stripe Checkout

    def fingerprint(self) -> str:
        return fingerprint(
            {
                "email": self.email,
                "address": {name: getattr(self.address, name) for name in self.address.__dataclass_fields__},
                "shipping_method": self.shipping_method,
                "payment_method": self.payment_method.value,
                "source_token": self.source_token,
                "return_url": self.return_url,
            }
        )


@dataclass(frozen=True)
class CheckoutService:
    checkouts: CheckoutsRepository
    carts: CartsRepository
    catalog: CatalogRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    coupons: CouponsRepository
    sessions: GuestSessionStore
    workflow: CheckoutWorkflow
    reminders: CartRemindersRepository
    clock: Callable[[], float] = field(default=time.time)

    def start(self, store_id: str, whose: CartOf, idempotency_key: str, request: CheckoutRequest) -> Checkout:
        """Judged with two reads (everything about the store, cart and request; then the cart's products and
        its code), then one write that stores the checkout and claims the cart, and the workflow's start. A
        cart is in one live checkout at most: another start of it is answered with that checkout, or 409."""
        _check_request(whose, request)
        the_id = checkout_id(store_id, whose, idempotency_key)
        for _ in range(START_ATTEMPTS):
            try:
                checkout, created = self._create(store_id, whose, the_id, request)
                break
            except WriteConflict:
                continue  # the cart was claimed or changed meanwhile: judge again from what is stored now
        else:
            raise Conflict("the cart changed while checking out; try again", field="cart")
        if checkout.status is not CheckoutStatus.PROCESSING:
            return checkout
        try:
            # Named after the checkout: a retry whose first attempt stopped before this line starts it here.
            self.workflow.start(store_id, checkout.checkout_id)
        except Exception:
            if created:
                self.checkouts.failed(checkout, START_FAILED)  # a checkout stuck in PROCESSING would never move
                self.carts.release(store_id, whose.owner, whose.owner_id, checkout.checkout_id)
            raise
        if created:
            logger.info("checkout started", extra={"store_id": store_id, "checkout_id": the_id})
        return checkout

    def _create(self, store_id: str, whose: CartOf, the_id: str, request: CheckoutRequest) -> tuple[Checkout, bool]:
        """The checkout stored now (True), or the one this request names already or the cart's live one (False)."""
        now = self.clock()
        guest = whose.owner is CartOwner.GUEST
        address = request.address.address("shipping", int(now))
        print_ = request.fingerprint()

        reads: list[Read[Any]] = [
            self.stores.profile_read(store_id),
            self.checkouts.checkout_read(store_id, the_id),
            self.carts.cart_read(store_id, whose.owner, whose.owner_id),
            self.settings.shipping_read(store_id, request.shipping_method),
            self.settings.tax_read(store_id, address.country),
        ]
        if guest:
            reads.append(self.sessions.expiry_read(store_id, whose.owner_id))
        store, existing, cart, method, tax, *session = read_together(reads)
        if store is None or not store.is_open:
            raise NotFound(f"store {store_id!r} not found", field="store")
        if existing is not None:
            return self._same(existing, print_), False
        if guest and (not session or session[0] is None or session[0] <= now):
            raise NotFound("no such guest session", field="session_id")
        if cart is None or cart.is_expired(now) or not cart.lines:
            raise InvalidInput("the cart is empty", field="cart")
        holder = self.checkouts.get(store_id, cart.checkout_id) if cart.checkout_id else None
        if holder is not None and not holder.status.is_final:
            if holder.fingerprint == print_ and holder.cart_version == cart.version:
                return holder, False  # the same request of the same cart again (a double-clicked button)
            raise CheckoutInProgress(store_id, holder.checkout_id)
        _check_settings(method, tax, request.shipping_method, address.country)

        slugs = sorted({line.product_slug for line in cart.lines})
        more: list[Read[Any]] = [self.catalog.product_read(store_id, slug) for slug in slugs]
        if cart.coupon:
            more += [
                self.coupons.coupon_read(store_id, cart.coupon),
                self.coupons.uses_read(store_id, cart.coupon, coupon_user(whose, request.email)),
            ]
        found = read_together(more)
        products = {slug: p for slug, p in zip(slugs, found, strict=False) if p is not None}
        lines = freeze_lines(cart.lines, products)
        subtotal = _sum(lines, store.currency)
        discount = Money.zero(store.currency)
        if cart.coupon:
            coupon, uses = found[len(slugs)], found[len(slugs) + 1] or 0
            discount = _discount(coupon, uses, now, lines=lines, products=products, subtotal=subtotal)
        checkout = Checkout(
            store_id=store_id,
            checkout_id=the_id,
            cart=whose,
            cart_version=cart.version + 1,  # the claim's write
            email=request.email,
            address=address,
            shipping=ShippingChoice(method.method_id, method.name, method.price),
            payment_method=request.payment_method,
            lines=lines,
            coupon=cart.coupon,
            totals=totals(subtotal, discount=discount, shipping=method.price, tax_basis_points=tax),
            fingerprint=print_,
            created_at=int(now),
            source_token=request.source_token,
            return_url=request.return_url,
        )
        # The cart's reminders go to the address given here and wait while this checkout may become an order.
        reminder = self.reminders.checkout_op(snapshot(cart, request.email, now), the_id)
        claim = self.carts.claim_op(cart, the_id, stale=cart.checkout_id)  # a claim held only by an ended one
        if self.checkouts.create(checkout, also=[claim, reminder]) is None:  # the same request raced us here
            raced = self.checkouts.get(store_id, the_id)
            if raced is None:
                raise Conflict("the checkout changed meanwhile; try again", field="idempotency_key")
            return self._same(raced, print_), False
        return checkout, True

    def get(self, store_id: str, the_id: str) -> Checkout:
        self.stores.get(store_id)
        checkout = self.checkouts.get(store_id, the_id)
        if checkout is None:
            raise NotFound("no such checkout", field="checkout")
        return checkout

    @staticmethod
    def _same(existing: Checkout, print_: str) -> Checkout:
        if existing.fingerprint != print_:
            raise Conflict(
                "this Idempotency-Key was used for a different checkout request; use a new key",
                field="Idempotency-Key",
            )
        return existing


def _check_request(whose: CartOf, request: CheckoutRequest) -> None:
    if request.payment_method is PaymentMethod.SQUARE_CARD and not request.source_token:
        raise InvalidInput("a Square card payment needs the card token", field="source_token")
    if request.payment_method is PaymentMethod.STRIPE_CHECKOUT_SESSION and not request.return_url:
        raise InvalidInput("a Stripe Checkout payment needs a return_url", field="return_url")
    if whose.owner is CartOwner.GUEST and not looks_like_session_id(whose.owner_id):
        raise NotFound("no such guest session", field="session_id")


def _check_settings(method: ShippingMethod | None, tax: int | None, method_id: str, country: str) -> None:
    if method is None:
        raise InvalidInput(f"no shipping method {method_id!r} in this store", field="shipping_method")
    if tax is None:
        raise InvalidInput(f"this store does not ship to {country}", field="address.country")


def _discount(
    coupon: Coupon | None,
    uses: int,
    now: float,
    *,
    lines: tuple[CheckoutLine, ...],
    products: dict[str, Product],
    subtotal: Money,
) -> Money:
    if coupon is None:
        raise CouponNotApplicable("the cart's code no longer exists; remove it", field="coupon")
    coupon.check_usable(now, shopper_uses=uses)
    eligible = []
    for line in lines:
        product = products[line.product_slug]
        eligible.append((line.total, line.product_slug, product.category_path or (product.category,)))
    return coupon.discount(subtotal, eligible_subtotal(coupon, eligible))


def _sum(lines: tuple[CheckoutLine, ...], currency: str) -> Money:
    total = Money.zero(currency)
    for line in lines:
        total += line.total
    return total
