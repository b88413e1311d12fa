"""Judging a checkout's start in the domain: what each payment method needs (one rule for the start and the saga's
payment step), and the checkout a request makes from what was read, or why not."""

from __future__ import annotations

import dataclasses

import pytest

from nozzly.catalog.domain.catalog import Product, Store, Variant
from nozzly.customers.domain.customers import AddressFields
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import Provider
from nozzly.payments.domain.payouts import ConnectedAccount, PayoutsNotReady
from nozzly.promotions.domain.coupons import Coupon, CouponKind, CouponNotApplicable
from nozzly.sales.domain.carts import Cart, CartOf, CartOwner
from nozzly.sales.domain.checkout import (
    CheckoutInProgress,
    CheckoutStatus,
    PaymentDetails,
    PaymentMethod,
    check_payment_details,
    needs_details,
)
from nozzly.sales.domain.checkout_start import CheckoutRequest, StartFacts, check_request, judge_start
from nozzly.stores.domain.shipping_rules import (
    RateKind,
    ShippingSettings,
    shipping_rate,
    shipping_settings,
    shipping_zone,
)
from nozzly.stores.domain.tax_rules import tax_settings, tax_zone

pytestmark = pytest.mark.unit
NOW = 1_790_000_000.0
SHOPPER = CartOf(CartOwner.SHOPPER, "sub-1")
ADDRESS = AddressFields(name="Sam", line1="Hauptstrasse 1", city="Berlin", postal_code="10115", country="DE")


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


SWORD = Product("forge", "sword", "Sword", eur(4000), "blades", variants=(Variant("std", "S-1", "Standard", 5),))


def ships(country: str, method: str = "standard") -> ShippingSettings:
    rate = shipping_rate(method, method.title(), RateKind.FLAT, days_min=2, days_max=4, price=490)
    return shipping_settings([shipping_zone(country, [country], [rate])])


TAX = tax_settings([tax_zone("Germany", ["DE"], standard_bp=1900, reduced_bp=700)])
READY = ConnectedAccount(Provider.STRIPE, "acct_forge", charges_enabled=True, payouts_enabled=True)


def request(**changes: object) -> CheckoutRequest:
    values: dict[str, object] = {
        "email": "sam@example.com",
        "address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": PaymentMethod.STRIPE_PAYMENT_INTENT,
    }
    return CheckoutRequest(**(values | changes))  # type: ignore[arg-type]


def cart(coupon: str | None = None) -> Cart:
    stored = Cart.empty("forge", CartOwner.SHOPPER, "sub-1", "EUR").with_added(SWORD, SWORD.variants[0], 2, NOW)
    return dataclasses.replace(stored, version=3, coupon=coupon)


def facts(**changes: object) -> StartFacts:
    values: dict[str, object] = {
        "store": Store("forge", "Forge", "EUR", "DE"),
        "existing": None,
        "cart": cart(),
        "session_expiry": None,
        "tax_rules": TAX,
        "shipping_rules": ships("DE"),
        "products": {"sword": SWORD},
        "payout_account": READY,
    }
    return StartFacts(**(values | changes))  # type: ignore[arg-type]


def judge(found: StartFacts, asked: CheckoutRequest | None = None) -> tuple[object, bool]:
    judged = judge_start(found, store_id="forge", checkout_id="c1", whose=SHOPPER, request=asked or request(), now=NOW)
    return judged.checkout, judged.new


@pytest.mark.parametrize(
    ("method", "details", "field"),
    [
        (PaymentMethod.SQUARE_CARD, PaymentDetails(return_url="https://x.example"), "source_token"),
        (PaymentMethod.STRIPE_CHECKOUT_SESSION, PaymentDetails(source_token="cnon:1"), "return_url"),
    ],
)
def test_a_payment_method_missing_what_it_needs_is_refused_naming_it(
    method: PaymentMethod, details: PaymentDetails, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_payment_details(method, details)
    assert refused.value.field == field
    with pytest.raises(InvalidInput):
        check_request(request(payment_method=method, **dataclasses.asdict(details)))


def test_only_methods_that_need_details_read_the_checkout_for_them() -> None:
    assert {m for m in PaymentMethod if needs_details(m)} == {
        PaymentMethod.SQUARE_CARD,
        PaymentMethod.STRIPE_CHECKOUT_SESSION,
    }
    for method in PaymentMethod:
        if not needs_details(method):
            check_payment_details(method, PaymentDetails())


def test_a_good_request_makes_a_checkout_priced_like_the_cart_with_shipping_and_tax() -> None:
    checkout, new = judge(
        facts(), request(payment_method=PaymentMethod.STRIPE_CHECKOUT_SESSION, return_url="https://x.example/back")
    )

    assert new is True
    t = checkout.totals  # type: ignore[attr-defined]
    assert (t.subtotal, t.shipping, t.tax, t.total) == (eur(8000), eur(490), eur(1613), eur(10103))
    assert checkout.cart_version == 4 and checkout.return_url == "https://x.example/back"  # type: ignore[attr-defined]


def test_the_carts_code_is_priced_in_and_a_vanished_code_is_refused() -> None:
    ten = Coupon("forge", "TEN", CouponKind.PERCENT, 1000, "EUR")
    checkout, _ = judge(facts(cart=cart("TEN"), coupon=ten))
    assert checkout.totals.discount == eur(800)  # type: ignore[attr-defined]

    with pytest.raises(CouponNotApplicable):
        judge(facts(cart=cart("GONE")))


def test_the_same_key_answers_its_checkout_and_another_request_with_it_is_refused() -> None:
    first, _ = judge(facts())
    again, new = judge(facts(existing=first))
    assert again is first and new is False
    with pytest.raises(Conflict):
        judge(facts(existing=first), request(email="other@example.com"))


def test_a_cart_held_by_a_live_checkout_answers_it_for_the_same_request_and_refuses_another() -> None:
    live, _ = judge(facts())
    held = dataclasses.replace(cart(), checkout_id="c1", version=4)
    same, new = judge(facts(cart=held, holder=live))
    assert same is live and new is False
    with pytest.raises(CheckoutInProgress):
        judge(facts(cart=held, holder=live), request(email="other@example.com"))


def test_a_cart_its_placed_checkout_bought_is_not_bought_again_by_a_late_click() -> None:
    first, _ = judge(facts())
    placed = dataclasses.replace(first, status=CheckoutStatus.PLACED)  # type: ignore[type-var]
    bought = dataclasses.replace(cart(), checkout_id="c1", version=4)  # not yet cleared by the saga
    same, new = judge(facts(cart=bought, holder=placed))
    assert same is placed and new is False
    with pytest.raises(CheckoutInProgress, match="just bought") as refused:
        judge(facts(cart=bought, holder=placed), request(email="other@example.com"))
    assert refused.value.location.endswith("/c1")

    changed = dataclasses.replace(bought, version=5)  # the shopper changed the cart after the order
    again, new = judge(facts(cart=changed, holder=placed))
    assert new is True and again.cart_version == 6  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"store": None}, NotFound, "store"),
        ({"cart": None}, InvalidInput, "cart"),
        ({"shipping_rules": ships("DE", "express")}, InvalidInput, "shipping_method"),
        ({"shipping_rules": ships("FR")}, InvalidInput, "address.country"),
        ({"products": {}}, NotFound, "cart"),
    ],
)
def test_what_is_wrong_is_said_before_anything_is_stored(
    changes: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as refused:
        judge(facts(**changes))
    assert refused.value.field == field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "account",
    [None, dataclasses.replace(READY, payouts_enabled=False), dataclasses.replace(READY, charges_enabled=False)],
)
@pytest.mark.parametrize("method", [PaymentMethod.STRIPE_PAYMENT_INTENT, PaymentMethod.STRIPE_CHECKOUT_SESSION])
def test_a_stripe_payment_needs_a_ready_connected_account(
    account: ConnectedAccount | None, method: PaymentMethod
) -> None:
    asked = request(payment_method=method, return_url="https://x.example/back")
    with pytest.raises(PayoutsNotReady):
        judge(facts(payout_account=account), asked)


@pytest.mark.parametrize(
    ("method", "more"),
    [(PaymentMethod.CASH_ON_DELIVERY, {}), (PaymentMethod.SQUARE_CARD, {"source_token": "cnon:card-nonce-ok"})],
)
def test_cash_on_delivery_and_square_need_no_stripe_account(method: PaymentMethod, more: dict[str, str]) -> None:
    _, new = judge(facts(payout_account=None), request(payment_method=method, **more))
    assert new is True
