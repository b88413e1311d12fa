"""Manual orders in the domain: lines priced from the catalog and checked against stock as a checkout checks
them, totals as a checkout computes them, the order an operator's request becomes, its id and fingerprint."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from nozzly.catalog.domain.catalog import Product, ProductStatus, Variant
from nozzly.catalog.domain.stock_holds import OutOfStock, plan_holds
from nozzly.customers.domain.customers import AddressFields
from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_rules import cancel, mark_paid
from nozzly.orders.domain.orders import Channel, OrderStatus, PaymentState, TimelineKind
from nozzly.sales.contracts.checkout import CheckoutIn
from nozzly.sales.contracts.manual_orders import ManualOrderIn
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.domain.checkout import PaymentMethod, ShippingChoice, checkout_id
from nozzly.sales.domain.manual_orders import (
    IN_PERSON,
    MAX_LINES,
    ManualOrderRequest,
    ManualPayment,
    WantedLine,
    check_request,
    in_person,
    manual_order_id,
    order_from_manual,
    price_lines,
)
from nozzly.stores.domain.tax_rules import AppliedTax

pytestmark = pytest.mark.unit
NOW = 1_790_000_000.0
ADDRESS = AddressFields(name="Sam", line1="Hauptstrasse 1", city="Berlin", postal_code="10115", country="DE")


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


PRODUCTS = {
    "lamp": Product(
        "forge",
        "lamp",
        "Lamp",
        eur(4000),
        "home",
        variants=(
            Variant("std", "L-STD", "Standard", stock_on_hand=10, reserved=3),
            Variant("big", "L-BIG", "Big", stock_on_hand=2, price=eur(6500)),
        ),
    ),
    "rug": Product("forge", "rug", "Rug", eur(9900), "home", variants=(Variant("one", "R-1", "One size", 5),)),
    "draft": Product(
        "forge", "draft", "Draft", eur(100), "home", status=ProductStatus.DRAFT, variants=(Variant("d", "D-1", "D", 9),)
    ),
}


def request(*lines: WantedLine, **changes: object) -> ManualOrderRequest:
    values: dict[str, object] = {
        "channel": Channel.POS,
        "email": "sam@example.com",
        "customer": None,
        "lines": lines or (WantedLine("lamp", "std", 1),),
        "address": ADDRESS,
        "shipping_method": None,
        "payment": ManualPayment.PAID,
        "note": None,
    }
    return ManualOrderRequest(**(values | changes))  # type: ignore[arg-type]


def test_lines_are_priced_from_the_catalog_today_and_the_same_variant_is_added_up() -> None:
    lines = price_lines(
        [WantedLine("lamp", "big", 1), WantedLine("rug", None, 2), WantedLine("lamp", "big", 1)], PRODUCTS
    )

    assert [(x.product_slug, x.variant_id, x.quantity, x.unit_price) for x in lines] == [
        ("lamp", "big", 2, eur(6500)),  # the variant's own price
        ("rug", "one", 2, eur(9900)),  # the only variant, not named
    ]
    assert (lines[0].sku, lines[0].title, lines[0].variant_title) == ("L-BIG", "Lamp", "Big")


@pytest.mark.parametrize(
    ("wanted", "field"),
    [
        ([WantedLine("rug", None, 1), WantedLine("nothing", None, 1)], "lines[1].product"),
        ([WantedLine("draft", None, 1)], "lines[0].product"),  # not for sale on the storefront: not here either
        ([WantedLine("lamp", "huge", 1)], "lines[0].variant"),
        ([WantedLine("lamp", None, 1)], "lines[0].variant"),  # two variants: which one?
    ],
)
def test_lines_naming_what_the_store_does_not_sell_are_bad_input_naming_the_line(
    wanted: list[WantedLine], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        price_lines(wanted, PRODUCTS)
    assert refused.value.field == field


def test_stock_held_by_others_is_not_available_and_split_lines_count_together() -> None:
    with pytest.raises(OutOfStock) as short:  # 10 on hand, 3 held by checkouts: 7 left
        price_lines([WantedLine("rug", None, 1), WantedLine("lamp", "std", 8)], PRODUCTS)
    assert short.value.field == "lines[1]" and "only 7 left" in short.value.message and "L-STD" in short.value.message
    assert isinstance(short.value, Conflict)  # 409

    with pytest.raises(OutOfStock) as split:
        price_lines([WantedLine("lamp", "big", 2), WantedLine("lamp", "big", 1)], PRODUCTS)
    assert split.value.field == "lines[0]"

    empty = {"lamp": dataclasses.replace(PRODUCTS["lamp"], variants=(Variant("std", "L-STD", "Standard", 4, 4),))}
    with pytest.raises(OutOfStock, match="out of stock"):
        price_lines([WantedLine("lamp", "std", 1)], empty)


def test_the_hold_plan_is_the_checkouts_reserved_plus_quantity_against_on_hand_as_read() -> None:
    lines = price_lines([WantedLine("lamp", "std", 7), WantedLine("lamp", "big", 1)], PRODUCTS)

    (lamp,) = plan_holds(lines, PRODUCTS)

    assert [(h.variant_id, h.index, h.quantity, h.on_hand) for h in lamp.holds] == [("big", 1, 1, 2), ("std", 0, 7, 10)]
    assert lamp.in_stock_after  # one big lamp left


def test_the_order_is_pending_with_the_totals_a_checkout_computes_and_a_placed_entry_by_the_operator() -> None:
    lines = price_lines([WantedLine("lamp", "big", 2)], PRODUCTS)
    shipping = ShippingChoice("standard", "Standard", eur(490))
    address = ADDRESS.address("shipping", int(NOW))
    wanted = request(channel=Channel.MANUAL, payment=ManualPayment.AWAITING, note="ordered by phone")

    order = order_from_manual(
        store_id="forge",
        order_id="o" * 32,
        number=1007,
        request=wanted,
        lines=lines,
        address=address,
        shipping=shipping,
        tax=AppliedTax.flat(1900),
        products=PRODUCTS,
        by="operator:op-1",
        now=NOW,
    )

    t = order.totals
    assert (t.subtotal, t.discount, t.shipping, t.tax, t.tax_basis_points) == (
        eur(13000),
        eur(0),
        eur(490),
        eur(2563),
        1900,
    )
    assert order.totals.total == eur(16053)  # (130.00 + 4.90) x 1.19, rounded once
    assert (order.status, order.payment_state, order.channel) == (
        OrderStatus.PENDING,
        PaymentState.AWAITING,
        Channel.MANUAL,
    )
    assert (order.payment_method, order.payment, order.coupon) == (PaymentMethod.OFFLINE, None, None)
    assert (order.paid, order.paid_at, order.marked_paid_by) == (eur(0), None, None)
    (placed,) = order.timeline
    assert (placed.kind, placed.by, placed.at, placed.to_status) == (
        TimelineKind.PLACED,
        "operator:op-1",
        int(NOW),
        OrderStatus.PENDING,
    )
    assert placed.text == "Order #1007 entered by an operator (manual order, payment to be collected): ordered by phone"


def test_a_sale_paid_at_the_counter_records_who_took_the_money_and_ships_nothing_without_a_method() -> None:
    lines = price_lines([WantedLine("rug", None, 1)], PRODUCTS)

    order = order_from_manual(
        store_id="forge",
        order_id="o" * 32,
        number=1008,
        request=request(),
        lines=lines,
        address=ADDRESS.address("shipping", int(NOW)),
        shipping=in_person("EUR"),
        tax=AppliedTax.flat(1900),
        products=PRODUCTS,
        by="operator:op-1",
        now=NOW,
    )

    assert order.shipping.method_id == IN_PERSON and order.totals.shipping == eur(0)
    assert (order.payment_state, order.paid, order.paid_at, order.marked_paid_by) == (
        PaymentState.PAID,
        eur(11781),
        int(NOW),
        "operator:op-1",
    )
    assert "(point of sale, paid offline)" in order.timeline[0].text
    # Cancelled before it ships: the money goes back by hand, as for cash on delivery.
    cancelled = cancel(order, by="operator:op-1", now=NOW, reason="changed their mind")
    assert cancelled.refunded == eur(11781) and cancelled.refunds[0].provider_key.startswith("cx-")


def test_an_awaiting_manual_order_is_marked_paid_once_like_cash_on_delivery() -> None:
    order = order_from_manual(
        store_id="forge",
        order_id="o" * 32,
        number=1009,
        request=request(payment=ManualPayment.AWAITING),
        lines=price_lines([WantedLine("rug", None, 1)], PRODUCTS),
        address=ADDRESS.address("shipping", int(NOW)),
        shipping=in_person("EUR"),
        tax=AppliedTax.flat(0),
        products=PRODUCTS,
        by="operator:op-1",
        now=NOW,
    )

    paid = mark_paid(order, by="operator:op-2", now=NOW + 60)

    assert (paid.payment_state, paid.marked_paid_by, paid.version) == (PaymentState.PAID, "operator:op-2", 1)
    with pytest.raises(Conflict):
        mark_paid(paid, by="operator:op-2", now=NOW + 60)


def test_offline_is_no_provider_flow_and_no_shopper_may_choose_it_at_checkout() -> None:
    assert PaymentMethod.OFFLINE.flow is None and PaymentMethod.OFFLINE.collected_by_hand
    assert not PaymentMethod.STRIPE_PAYMENT_INTENT.collected_by_hand
    body = {
        "email": "sam@example.com",
        "shipping_address": {"name": "S", "line1": "L", "city": "C", "postal_code": "1", "country": "DE"},
        "shipping_method": "standard",
        "payment_method": "offline",
    }
    with pytest.raises(ValidationError):
        CheckoutIn.model_validate(body)
    assert CheckoutIn.model_validate(body | {"payment_method": "cash_on_delivery"}).payment_method == "cash_on_delivery"


def test_the_order_id_names_store_and_key_and_never_a_checkouts() -> None:
    one = manual_order_id("forge", "key-00000001")

    assert one == manual_order_id("forge", "key-00000001") and len(one) == 32 and int(one, 16) >= 0
    assert one != manual_order_id("forge", "key-00000002")
    assert one != manual_order_id("other", "key-00000001")
    assert one != checkout_id("forge", CartOf(CartOwner.GUEST, "key-00000001"), "key-00000001")


@pytest.mark.parametrize(
    "change",
    [
        {"channel": Channel.MANUAL},
        {"email": "kim@example.com"},
        {"customer": "sub-1"},
        {"lines": (WantedLine("lamp", "std", 2),)},
        {"lines": (WantedLine("lamp", None, 1),)},
        {"address": dataclasses.replace(ADDRESS, line2="Hinterhaus")},
        {"shipping_method": "standard"},
        {"payment": ManualPayment.AWAITING},
        {"note": "ordered by phone"},
    ],
)
def test_any_difference_in_the_request_changes_its_fingerprint(change: dict[str, object]) -> None:
    assert request().fingerprint() == request().fingerprint()
    assert request(**change).fingerprint() != request().fingerprint()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": Channel.WEB}, "channel"),
        ({"lines": ()}, "lines"),
        ({"lines": tuple(WantedLine("rug", None, 1) for _ in range(MAX_LINES + 1))}, "lines"),
        ({"lines": (WantedLine("rug", None, 0),)}, "lines[0].quantity"),
        ({"lines": (WantedLine("rug", None, 1), WantedLine("rug", None, 100))}, "lines[1].quantity"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_requests_that_cannot_be_an_order_are_refused_before_anything_is_read(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_request(request(**changes))
    assert refused.value.field == field


def test_the_body_becomes_the_request_with_manual_and_no_shipping_by_default() -> None:
    body = ManualOrderIn.model_validate(
        {
            "email": " Sam@Example.com ",
            "lines": [{"product": "lamp", "variant": "std", "quantity": 2}],
            "shipping_address": {
                "name": "Sam",
                "line1": "H 1",
                "city": "Berlin",
                "postal_code": "10115",
                "country": "DE",
            },
            "payment": "awaiting_payment",
            "note": "  by phone  ",
        }
    )

    wanted = body.request()

    assert (wanted.channel, wanted.email, wanted.customer, wanted.shipping_method) == (
        Channel.MANUAL,
        "sam@example.com",
        None,
        None,
    )
    assert (wanted.lines, wanted.payment, wanted.note) == (
        (WantedLine("lamp", "std", 2),),
        ManualPayment.AWAITING,
        "by phone",
    )
