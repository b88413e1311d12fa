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
from nozzly.catalog.adapters.reservations import hold_ops, release_ops
from nozzly.catalog.domain.stock_holds import plan_holds, plan_releases
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.domain.errors import DomainError, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.orders import FIRST_ORDER_NUMBER, order_from_checkout
from nozzly.payments.adapters.gateway import PaymentGateway
from nozzly.payments.domain.payments import PaymentRequest, PaymentStatus, Provider
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.reviews.adapters.purchases import PurchasesRepository
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.carts import CartsRepository
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import TaskTokens
from nozzly.sales.domain.carts import CartOwner
from nozzly.sales.domain.checkout import HOLDS_STOCK, Checkout, CheckoutStatus, PaymentInfo, PaymentMethod, coupon_user
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import WriteConflict, write_atomically

RESERVE_ATTEMPTS = 5  # stock on hand changed under us (an operator's adjustment): read again and retry
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
    catalog_table: str
    reminders: CartRemindersRepository
    clock: Callable[[], float] = field(default=time.time)

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
            slugs = sorted({line.product_slug for line in checkout.lines})
            reads: list[Read[Any]] = [self.catalog.product_read(store_id, slug) for slug in slugs]
            reads += [self.coupons.coupon_read(store_id, checkout.coupon)] if checkout.coupon else []
            found = read_together(reads)
            products = {slug: p for slug, p in zip(slugs, found, strict=False) if p is not None}
            coupon = found[-1] if checkout.coupon else None
            try:
                plan = plan_holds(checkout.lines, products)
                if checkout.coupon and coupon is None:
                    raise NotFound("the discount code no longer exists", field="coupon")
            except DomainError as refused:
                return self._refuse(checkout, refused.message)
            user = coupon_user(checkout.cart, checkout.email)
            reserved = (CheckoutStatus.PROCESSING,)
            ops = [
                self.checkouts.move_op(store_id, checkout_id, CheckoutStatus.RESERVED, expected=reserved),
                *hold_ops(self.catalog_table, store_id, plan),
                *(self.coupons.use_ops(coupon, user) if coupon else []),
            ]
            try:
                write_atomically(ops)
            except WriteConflict as conflict:
                coupon_ops = range(1 + len(plan), len(ops))
                if any(i in conflict.failed for i in coupon_ops):
                    return self._refuse(checkout, f"the discount code {checkout.coupon} has been used up")
                continue  # stock or status changed meanwhile: read again
            logger.info("stock reserved", extra={"store_id": store_id, "checkout_id": checkout_id})
            return self._outcome(replace(checkout, status=CheckoutStatus.RESERVED))
        raise TransientConflict("the stock kept changing while reserving; retrying")

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
        # A card token and a return URL are not passed through the workflow's state: they are read from the checkout.
        checkout = self._checkout(store_id, checkout_id) if flow.needs_checkout_details else None
        request = PaymentRequest(
            store_id=store_id,
            checkout_id=checkout_id,
            amount=Money(int(reserved["amount"]), str(reserved["currency"])),
            idempotency_key=f"pay-{checkout_id}",
            flow=flow,
            source_token=checkout.source_token if checkout else None,
            return_url=checkout.return_url if checkout else None,
        )
        payment = self.gateways[request.provider].start(request)
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
        try:
            write_atomically(
                [
                    self.orders.put_op(order),
                    self.checkouts.placed_op(checkout, number),
                    *self.purchases.recorded_ops(order),
                ]
            )
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
        checkout = self._checkout(store_id, checkout_id)
        if checkout.status.is_final:
            return self._outcome(checkout)
        reason = _reason(error)
        if checkout.status in HOLDS_STOCK:
            products = self.catalog.products_by_slug(store_id, {line.product_slug for line in checkout.lines})
            plan = plan_releases(checkout.lines, products)
            fail = self.checkouts.failed_op(checkout, reason)
            try:
                write_atomically([fail, *release_ops(self.catalog_table, store_id, plan)])
            except WriteConflict:
                raise TransientConflict("the checkout or its stock changed while releasing; retrying") from None
            if checkout.coupon:
                self.coupons.give_back(store_id, checkout.coupon, coupon_user(checkout.cart, checkout.email))
            logger.info("stock released", extra={"store_id": store_id, "checkout_id": checkout_id, "reason": reason})
        else:
            self.checkouts.failed(checkout, reason)
        if checkout.payment is not None:
            self._void(checkout.payment)
        self._release_cart(checkout)
        return self._outcome(self._checkout(store_id, checkout_id))

    def _void(self, payment: PaymentInfo) -> None:
        """Cancel an uncaptured payment; one that went through after all is refunded. Best effort: logged."""
        gateway = self.gateways[payment.provider]
        try:
            current = gateway.retrieve(payment.payment_id)
            if current.status is PaymentStatus.SUCCEEDED:
                gateway.refund(payment.payment_id, None, f"void-{payment.payment_id}"[:45])
            elif not current.status.is_final and current.status is not PaymentStatus.FAILED:
                gateway.cancel(payment.payment_id)
        except Exception:
            logger.exception("voiding a payment failed", extra={"payment_id": payment.payment_id})


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
