"""Starting a checkout: the cart frozen at today's prices for an address, a shipping method and a payment method,
then handed to the checkout saga (statemachines/checkout.asl.json). Reading a checkout's progress.

The same Idempotency-Key (per store and cart) always answers with the same checkout; the same key with a
different request is refused. Everything that can be judged now is judged before anything is stored, so a
bad request changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
from nozzly.accounts.services.guest_sessions import looks_like_session_id
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.observability import logger
from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
from nozzly.payments.domain.payments import FLOW_PROVIDER, Provider
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.carts import CartsRepository
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import CheckoutWorkflow
from nozzly.sales.domain.cart_reminders import snapshot
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.domain.checkout import Checkout, CheckoutStatus, checkout_id, coupon_user
from nozzly.sales.domain.checkout_start import (
    CheckoutRequest,
    StartFacts,
    check_request,
    judge_start,
    needs_cart_reads,
    same,
)
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository

__all__ = ["CheckoutService"]

START_ATTEMPTS = 3  # a claim lost to a concurrent start is judged again: it then answers with the winner
START_FAILED = "The checkout could not start. Nothing was reserved or charged; please try again."


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
    payouts: PayoutAccountsRepository
    clock: Callable[[], float] = field(default=time.time)

    def start(self, store_id: str, whose: CartOf, idempotency_key: str, request: CheckoutRequest) -> Checkout:
        """Fetched (at most two reads: the store, cart and request; then the cart's products, its code and the
        checkout holding it), judged (sales/domain/checkout_start.py), then one transaction that stores the
        checkout and claims the cart, and the workflow's start. A cart is in one live checkout at most: another
        start of it is answered with that checkout, or 409."""
        check_request(request)
        if whose.owner is CartOwner.GUEST and not looks_like_session_id(whose.owner_id):
            raise NotFound("no such guest session", field="session_id")
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
        facts = self._fetch(store_id, whose, the_id, request, now)
        judged = judge_start(facts, store_id=store_id, checkout_id=the_id, whose=whose, request=request, now=now)
        if not judged.new:
            return judged.checkout, False
        checkout, cart = judged.checkout, facts.cart
        assert cart is not None  # judged: a cart with lines
        # The cart's reminders go to the address given here and wait while this checkout may become an order.
        tx = Transaction()
        tx.add("checkout", self.checkouts.created(checkout))
        tx.add("cart", self.carts.claimed(cart, the_id, stale=cart.checkout_id))  # a claim only an ended one held
        tx.add("reminder", self.reminders.checkout_op(snapshot(cart, request.email, now), the_id))
        try:
            tx.commit()
        except WriteConflict as clash:
            if "checkout" not in clash.failed:
                raise
            raced = self.checkouts.get(store_id, the_id)  # the same request raced us here
            if raced is None:
                raise Conflict("the checkout changed meanwhile; try again", field="idempotency_key") from None
            return same(raced, request.fingerprint()), False
        return checkout, True

    def _fetch(self, store_id: str, whose: CartOf, the_id: str, request: CheckoutRequest, now: float) -> StartFacts:
        reads = ReadSet()
        store = reads.add(self.stores.profile_read(store_id))
        existing = reads.add(self.checkouts.checkout_read(store_id, the_id))
        cart = reads.add(self.carts.cart_read(store_id, whose.owner, whose.owner_id))
        tax = reads.add(self.settings.tax_rules_read(store_id))
        shipping = reads.add(self.settings.shipping_rules_read(store_id))
        guest = whose.owner is CartOwner.GUEST
        session = reads.add(self.sessions.expiry_read(store_id, whose.owner_id)) if guest else None
        flow = request.payment_method.flow
        by_stripe = flow is not None and FLOW_PROVIDER[flow] is Provider.STRIPE
        payouts = reads.add(self.payouts.account_read(store_id, Provider.STRIPE)) if by_stripe else None
        found = reads.fetch()
        facts = StartFacts(
            store=found[store],
            existing=found[existing],
            cart=found[cart],
            session_expiry=found[session] if session else None,
            tax_rules=found[tax],
            shipping_rules=found[shipping],
            payout_account=found[payouts] if payouts else None,
        )
        stored = facts.cart
        if stored is None or not needs_cart_reads(facts, now):
            return facts
        more = ReadSet()
        products = more.add_each(
            {s: self.catalog.product_read(store_id, s) for s in sorted({x.product_slug for x in stored.lines})}
        )
        holder = more.add(self.checkouts.checkout_read(store_id, stored.checkout_id)) if stored.checkout_id else None
        coupon = more.add(self.coupons.coupon_read(store_id, stored.coupon)) if stored.coupon else None
        user = coupon_user(whose, request.email)
        uses = more.add(self.coupons.uses_read(store_id, stored.coupon, user)) if stored.coupon else None
        also = more.fetch()
        return replace(
            facts,
            products=also.each(products),
            holder=also[holder] if holder else None,
            coupon=also[coupon] if coupon else None,
            coupon_uses=(also[uses] if uses else None) or 0,
        )

    def get(self, store_id: str, the_id: str) -> Checkout:
        self.stores.get(store_id)
        checkout = self.checkouts.get(store_id, the_id)
        if checkout is None:
            raise NotFound("no such checkout", field="checkout")
        return checkout
