"""The checkout saga's steps (statemachines/checkout.asl.json), each safe to retry:

reserve -> (cash on delivery) place_order | start_payment, then wait for the payment -> place_order ->
clear_cart; any failure after reserve -> abandon (release the stock, void the payment, say why).

Every step moves the checkout's status with a condition on the status it leaves, in the same transaction as
its effect, so a retried step finds its own work done and does nothing twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.reservations import StockHoldsRepository
from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.stock_holds import plan_holds, plan_releases
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction, WriteConflict
from nozzly.kernel.domain.errors import DomainError, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.orders import FIRST_ORDER_NUMBER, order_from_checkout
from nozzly.payments.adapters.gateway import PaymentGateway
from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
from nozzly.payments.domain.payments import FLOW_PROVIDER, PaymentRequest, PaymentStatus, Provider
from nozzly.payments.domain.payouts import application_fee, require_ready
from nozzly.promotions.adapters.coupons import CountedUses, CouponsRepository
from nozzly.reviews.adapters.purchases import PurchasesRepository
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.carts import CartsRepository
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import TaskTokens
from nozzly.sales.domain.carts import CartOwner
from nozzly.sales.domain.checkout import (
    HOLDS_STOCK,
    Checkout,
    CheckoutStatus,
    PaymentDetails,
    PaymentInfo,
    PaymentMethod,
    check_payment_details,
    coupon_user,
    needs_details,
)
from nozzly.stores.adapters.store_settings import StoreSettingsRepository

RESERVE_ATTEMPTS = 5  # stock on hand changed under us (an operator's adjustment): read again and retry
RELEASE_ATTEMPTS = 3  # the stock or the code's counters changed between the read and the release
TIMED_OUT = "Payment was not completed in time. Nothing was charged and the items were released."
PAYMENT_FAILED = "The payment did not go through: {why}. Nothing was charged; please try another card."
FAILED = "The checkout could not be completed. Nothing was charged and the items were released."


@dataclass(frozen=True)
class CheckoutSaga:
    checkouts: CheckoutsRepository
    catalog: CatalogRepository
    carts: CartsRepository
    coupons: CouponsRepository
    orders: OrdersRepository
    purchases: PurchasesRepository
    settings: StoreSettingsRepository
    gateways: Mapping[Provider, PaymentGateway]
    tokens: TaskTokens
    stock: StockHoldsRepository
    reminders: CartRemindersRepository
    payouts: PayoutAccountsRepository
    default_fee_basis_points: int = 0
    # A store's own gateway (its connected Square account); None: the platform's gateways for every store.
    store_gateways: Callable[[str, Provider], PaymentGateway] | None = None
    clock: Callable[[], float] = field(default=time.time)

    def _gateway(self, store_id: str, provider: Provider) -> PaymentGateway:
        return self.store_gateways(store_id, provider) if self.store_gateways else self.gateways[provider]

    def _checkout(self, store_id: str, checkout_id: str) -> Checkout:
        checkout = self.checkouts.get(store_id, checkout_id)
        if checkout is None:
            raise NotFound("no such checkout", field="checkout")
        return checkout

    # ---- reserve
    def reserve(self, store_id: str, checkout_id: str) -> dict[str, Any]:
        """Hold every line's stock and count the coupon's use, all in one transaction with PROCESSING ->
        RESERVED; or fail the checkout with a reason naming the short line (nothing is held then)."""
        for _ in range(RESERVE_ATTEMPTS):
            checkout = self._checkout(store_id, checkout_id)
            if checkout.status is not CheckoutStatus.PROCESSING:
                return self._outcome(checkout)  # a retry of a step that did its work
            reads = ReadSet()
            products = reads.add_each(self._product_reads(checkout))
            code = reads.add(self.coupons.coupon_read(store_id, checkout.coupon)) if checkout.coupon else None
            found = reads.fetch()
            coupon = found[code] if code else None
            try:
                plan = plan_holds(checkout.lines, found.each(products))
                if checkout.coupon and coupon is None:
                    raise NotFound("the discount code no longer exists", field="coupon")
            except DomainError as refused:
                return self._refuse(checkout, refused.message)
            user = coupon_user(checkout.cart, checkout.email)
            tx = Transaction()
            tx.add("checkout", self.checkouts.moved(store_id, checkout_id, CheckoutStatus.RESERVED, expected=_NEW))
            tx.add("stock", *self.stock.holds(store_id, plan))
            tx.add("coupon", *(self.coupons.uses(coupon, user) if coupon else []))
            try:
                tx.commit()
            except WriteConflict as clash:
                if "coupon" in clash.failed:
                    return self._refuse(checkout, f"the discount code {checkout.coupon} has been used up")
                continue  # stock or status changed meanwhile: read again
            logger.info("stock reserved", extra={"store_id": store_id, "checkout_id": checkout_id})
            return self._outcome(replace(checkout, status=CheckoutStatus.RESERVED))
        raise TransientConflict("the stock kept changing while reserving; retrying")

    def _product_reads(self, checkout: Checkout) -> dict[str, Read[Product]]:
        slugs = {line.product_slug for line in checkout.lines}
        return {slug: self.catalog.product_read(checkout.store_id, slug) for slug in sorted(slugs)}

    def _refuse(self, checkout: Checkout, reason: str) -> dict[str, Any]:
        logger.info("checkout refused", extra={"checkout_id": checkout.checkout_id, "reason": reason})
        if self.checkouts.failed(checkout, reason):
            self._release_cart(checkout)
            return self._outcome(replace(checkout, status=CheckoutStatus.FAILED, reason=reason))
        return self._outcome(self._checkout(checkout.store_id, checkout.checkout_id))

    def _release_cart(self, checkout: Checkout) -> None:
        """The ended checkout's claim on its cart goes, so the cart can be checked out again (a claim left behind
        by a failure here is taken over by the next checkout, which finds its holder ended)."""
        cart = checkout.cart
        self.carts.release(checkout.store_id, cart.owner, cart.owner_id, checkout.checkout_id)

    @staticmethod
    def _outcome(checkout: Checkout) -> dict[str, Any]:
        """What the later states need, so they need not read the checkout again (never the card token)."""
        return {
            "status": checkout.status.value,
            "held": checkout.status in HOLDS_STOCK,
            "payment_method": checkout.payment_method.value,
            "reason": checkout.reason,
            "amount": checkout.totals.total.amount,
            "currency": checkout.currency,
            "cart": {
                "owner": checkout.cart.owner.value,
                "owner_id": checkout.cart.owner_id,
                "version": checkout.cart_version,
            },
        }

    # ---- payment
    def start_payment(
        self, store_id: str, checkout_id: str, task_token: str, reserved: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Ask the provider for the payment and park the task token; the webhook (or an immediate answer)
        resumes the workflow. `reserved` is the reserve step's outcome. The checkout id makes the idempotency
        key, so a retried step gets the same payment and parks its own, newer token."""
        method = PaymentMethod(reserved["payment_method"])
        flow = method.flow
        if flow is None:
            raise ValueError("cash on delivery takes no payment step")
        # A card token and a return URL are not passed through the workflow's state: they are read from the checkout,
        # and judged by the rule the checkout's start judged them by.
        checkout = self._checkout(store_id, checkout_id) if needs_details(method) else None
        details = PaymentDetails(checkout.source_token, checkout.return_url) if checkout else PaymentDetails()
        check_payment_details(method, details)
        amount = Money(int(reserved["amount"]), str(reserved["currency"]))
        destination: str | None = None
        fee: Money | None = None
        if FLOW_PROVIDER[flow] is Provider.STRIPE:  # Square pays the platform's seller account (no Connect yet)
            destination, fee = self._destination(store_id, amount)
        request = PaymentRequest(
            store_id=store_id,
            checkout_id=checkout_id,
            amount=amount,
            idempotency_key=f"pay-{checkout_id}",
            flow=flow,
            source_token=details.source_token,
            return_url=details.return_url,
            destination=destination,
            application_fee=fee,
        )
        payment = self._gateway(store_id, request.provider).start(request)
        info = PaymentInfo(payment.provider, payment.payment_id, payment.client_secret, payment.redirect_url)
        if not self.checkouts.awaiting_payment(store_id, checkout_id, info, task_token):
            logger.warning(
                "the checkout stopped waiting before its payment started", extra={"checkout_id": checkout_id}
            )
            return {"payment_status": payment.status.value, "payment_id": payment.payment_id}
        logger.info("payment started", extra={"checkout_id": checkout_id, "status": payment.status.value})
        # A card charged at once (Square) needs no webhook to go on; the webhook that follows finds it done.
        if payment.status is PaymentStatus.SUCCEEDED:
            self.tokens.succeed(task_token, {"payment_id": payment.payment_id})
        elif payment.status is PaymentStatus.FAILED:
            self.tokens.fail(task_token, "PaymentFailed", payment.failure_code or "declined")
        return {"payment_status": payment.status.value, "payment_id": payment.payment_id}

    def _destination(self, store_id: str, amount: Money) -> tuple[str, Money | None]:
        """The store's ready connected account and the platform's fee (the store's own, else the default). An
        account restricted since the checkout started fails the step, and the saga gives everything back."""
        account = require_ready(self.payouts.get(store_id))
        basis_points = self.default_fee_basis_points if account.fee_basis_points is None else account.fee_basis_points
        return account.account_id, application_fee(amount, basis_points)

    # ---- order
    def place_order(self, store_id: str, checkout_id: str) -> dict[str, Any]:
        """The order (numbered from the store's sequence) and PLACED, in one transaction."""
        checkout = self._checkout(store_id, checkout_id)
        if checkout.status is CheckoutStatus.PLACED:
            return {"order_id": checkout_id, "order_number": checkout.order_number}
        if checkout.status not in HOLDS_STOCK:
            raise CheckoutNotHeld(f"checkout {checkout_id} is {checkout.status.value}")
        number = self.settings.next_order_number(store_id, FIRST_ORDER_NUMBER)
        order = order_from_checkout(checkout, number, self.clock())
        tx = Transaction()
        tx.add("order", self.orders.put_op(order))
        tx.add("checkout", self.checkouts.placed(checkout, number))
        tx.add("purchases", *self.purchases.recorded_ops(order))
        try:
            tx.commit()
        except WriteConflict:
            placed = self._checkout(store_id, checkout_id)  # a retry racing the first attempt
            if placed.status is CheckoutStatus.PLACED:
                return {"order_id": checkout_id, "order_number": placed.order_number}
            raise
        logger.info("order placed", extra={"store_id": store_id, "order_number": number})
        return {"order_id": checkout_id, "order_number": number}

    def clear_cart(self, store_id: str, checkout_id: str, cart: Mapping[str, Any]) -> dict[str, Any]:
        """Empty the cart the order came from (`cart` from the reserve step's outcome), unless the shopper
        changed it since: their new lines stay. Its reminder goes with it in the same transaction (an ordered
        cart is never reminded of); a changed cart keeps the reminder of its new lines."""
        owner, owner_id, version = CartOwner(cart["owner"]), str(cart["owner_id"]), int(cart["version"])
        reminder = self.reminders.delete_op(store_id, owner, owner_id)
        cleared = self.carts.delete_if_unchanged(store_id, owner, owner_id, version, also=[reminder])
        if not cleared:
            self.carts.release(store_id, owner, owner_id, checkout_id)
        logger.info("cart cleared" if cleared else "cart kept", extra={"checkout_id": checkout_id})
        return {"cleared": cleared}

    # ---- compensation
    def abandon(self, store_id: str, checkout_id: str, error: Mapping[str, Any] | None) -> dict[str, Any]:
        """Release what the checkout holds, void its payment, and mark it FAILED with a reason to read."""
        reason = _reason(error)
        for _ in range(RELEASE_ATTEMPTS):
            checkout = self._checkout(store_id, checkout_id)
            if checkout.status.is_final:
                return self._outcome(checkout)
            if checkout.status not in HOLDS_STOCK:
                self.checkouts.failed(checkout, reason)
                break
            try:
                self._release(checkout, reason)
            except WriteConflict:
                continue  # the checkout, its stock or its code's counters changed meanwhile: read them again
            logger.info("stock released", extra={"store_id": store_id, "checkout_id": checkout_id, "reason": reason})
            break
        else:
            raise TransientConflict("the checkout or its stock changed while releasing; retrying")
        if checkout.payment is not None:
            self._void(store_id, checkout.payment)
        self._release_cart(checkout)
        return self._outcome(self._checkout(store_id, checkout_id))

    def _release(self, checkout: Checkout, reason: str) -> None:
        """FAILED, its stock released and its code's use given back, in one transaction: a retry finds the
        checkout failed and gives nothing back twice, and a failure before it leaves all of it to the retry."""
        store_id, user = checkout.store_id, coupon_user(checkout.cart, checkout.email)
        reads = ReadSet()
        products = reads.add_each(self._product_reads(checkout))
        code = reads.add(self.coupons.coupon_read(store_id, checkout.coupon)) if checkout.coupon else None
        uses = reads.add(self.coupons.uses_read(store_id, checkout.coupon, user)) if checkout.coupon else None
        found = reads.fetch()
        tx = Transaction()
        tx.add("checkout", self.checkouts.failed_write(checkout, reason))
        tx.add("stock", *self.stock.releases(store_id, plan_releases(checkout.lines, found.each(products))))
        if checkout.coupon and code and uses:
            counted = CountedUses.of(found[code], found[uses])
            tx.add("coupon", *self.coupons.given_back(store_id, checkout.coupon, user, counted))
        tx.commit()

    def _void(self, store_id: str, payment: PaymentInfo) -> None:
        """Cancel an uncaptured payment; one that went through after all is refunded. Best effort: logged."""
        try:
            gateway = self._gateway(store_id, payment.provider)
            current = gateway.retrieve(payment.payment_id)
            if current.status is PaymentStatus.SUCCEEDED:
                gateway.refund(payment.payment_id, None, f"void-{payment.payment_id}"[:45])
            elif not current.status.is_final and current.status is not PaymentStatus.FAILED:
                gateway.cancel(payment.payment_id)
        except Exception:
            logger.exception("voiding a payment failed", extra={"payment_id": payment.payment_id})


_NEW = (CheckoutStatus.PROCESSING,)


class TransientConflict(Exception):
    """Worth a retry by the state machine (its Retry names this error)."""


class CheckoutNotHeld(Exception):
    """The order step met a checkout that holds nothing (released meanwhile): never place that order."""


def _reason(error: Mapping[str, Any] | None) -> str:
    """What the shopper reads, from the Catch output ({Error, Cause}) of the failed state."""
    if not error:
        return FAILED
    name = str(error.get("Error", ""))
    if name == "States.Timeout":
        return TIMED_OUT
    if name == "PaymentFailed":
        return PAYMENT_FAILED.format(why=str(error.get("Cause") or "declined"))
    cause = error.get("Cause")
    try:
        message = json.loads(cause).get("errorMessage") if isinstance(cause, str) else None
    except ValueError:
        message = None
    logger.warning("checkout failed", extra={"error": name, "error_message": message})
    return FAILED
