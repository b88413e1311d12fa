"""Fulfilment rules: planning a fulfilment, recording it once, shipping when everything is fulfilled, tracking,
the stock each fulfilment commits, tracking links, and a return after shipping."""

from __future__ import annotations

import dataclasses

import pytest

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.orders.domain.carriers import tracking_url
from nozzly.orders.domain.fulfilment import (
    RequestedLine,
    Tracking,
    fulfilment_id,
    mark_shipped,
    plan_commits,
    plan_fulfilment,
    record_fulfilment,
    update_tracking,
)
from nozzly.orders.domain.order_rules import RETURN_REFUND_KEY, refund_return
from nozzly.orders.domain.order_status import IllegalTransition
from nozzly.orders.domain.orders import FulfilmentLine, Order, OrderStatus, PaymentState, RefundState, TimelineKind
from nozzly.sales.domain.checkout import CheckoutLine, PaymentMethod
from tests.unit.test_order_rules import NOW, eur, order

pytestmark = pytest.mark.unit
LINES = (
    CheckoutLine("std", "lamp", "L-1", "Lamp", "Standard", 2, eur(2000)),
    CheckoutLine("red", "vase", "V-R", "Vase", "Red", 3, eur(1000)),
)
BY = "operator:op"


def two_line_order(**changes: object) -> Order:
    return order(lines=LINES, **changes)


def fulfilled(o: Order, lines: list[RequestedLine] | None = None, key: str = "k1") -> Order:
    f = plan_fulfilment(o, lines, fulfilment_id=fulfilment_id("forge", o.order_id, key), by=BY, now=NOW)
    return record_fulfilment(o, f, NOW)


def test_without_lines_everything_left_is_planned_in_the_orders_line_order() -> None:
    f = plan_fulfilment(two_line_order(), None, fulfilment_id="ff-1", by=BY, now=NOW)

    assert [(x.product_slug, x.variant_id, x.quantity) for x in f.lines] == [("lamp", "std", 2), ("vase", "red", 3)]
    assert (f.fulfilment_id, f.by, f.created_at) == ("ff-1", BY, int(NOW))


def test_a_partial_fulfilment_leaves_the_rest_for_the_next() -> None:
    first = fulfilled(two_line_order(), [RequestedLine("vase", "red", 1), RequestedLine("vase", "red", 1)])

    assert first.fulfilments[0].lines == (FulfilmentLine("vase", "red", 2),)
    rest = plan_fulfilment(first, None, fulfilment_id="ff-2", by=BY, now=NOW)
    assert [(x.product_slug, x.quantity) for x in rest.lines] == [("lamp", 2), ("vase", 1)]


@pytest.mark.parametrize(
    ("lines", "error", "field"),
    [
        ([RequestedLine("lamp", "blue", 1)], InvalidInput, "lines[0]"),
        ([RequestedLine("vase", "red", 1), RequestedLine("chair", "std", 1)], InvalidInput, "lines[1]"),
        ([RequestedLine("lamp", "std", 0)], InvalidInput, "lines[0].quantity"),
        ([RequestedLine("lamp", "std", 3)], Conflict, "lines"),
        ([RequestedLine("vase", "red", 2), RequestedLine("vase", "red", 2)], Conflict, "lines"),
        ([], InvalidInput, "lines"),
    ],
)
def test_lines_the_order_lacks_or_more_than_is_left_are_refused(
    lines: list[RequestedLine], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as refused:
        plan_fulfilment(two_line_order(), lines, fulfilment_id="ff-1", by=BY, now=NOW)
    assert refused.value.field == field  # type: ignore[attr-defined]


def test_nothing_left_is_a_conflict() -> None:
    done = fulfilled(two_line_order(status=OrderStatus.PROCESSING))

    with pytest.raises(Conflict, match="everything"):
        plan_fulfilment(done, [RequestedLine("lamp", "std", 1)], fulfilment_id="ff-2", by=BY, now=NOW)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (OrderStatus.CANCELLED, ()),
        (OrderStatus.REFUNDED, ()),
        (OrderStatus.SHIPPED, ("delivered", "refunded")),
        (OrderStatus.DELIVERED, ("refunded",)),
    ],
)
def test_an_order_past_processing_cannot_be_fulfilled(status: OrderStatus, allowed: tuple[str, ...]) -> None:
    with pytest.raises(IllegalTransition) as refused:
        plan_fulfilment(two_line_order(status=status), None, fulfilment_id="ff-1", by=BY, now=NOW)
    assert refused.value.allowed == allowed


def test_recording_moves_a_pending_order_to_processing_once_and_a_retry_changes_nothing() -> None:
    before = two_line_order()
    f = plan_fulfilment(before, None, fulfilment_id="ff-1", by=BY, now=NOW, tracking=Tracking("dhl", "123"))

    after = record_fulfilment(before, f, NOW + 5)

    assert after.status is OrderStatus.PROCESSING and after.version == before.version + 1
    assert after.fulfilments == (f,)
    entries = [(e.kind, e.from_status, e.to_status, e.ref) for e in after.timeline]
    assert entries == [
        (TimelineKind.STATUS_CHANGED, OrderStatus.PENDING, OrderStatus.PROCESSING, None),
        (TimelineKind.FULFILMENT_CREATED, None, None, "ff-1"),
    ]
    assert after.timeline[-1].text == "Fulfilment of 5 items created (dhl 123)"
    assert record_fulfilment(after, f, NOW + 60) is after


def test_recording_judges_the_order_again_as_it_is_now() -> None:
    before = two_line_order()
    first = plan_fulfilment(before, None, fulfilment_id="ff-1", by=BY, now=NOW)
    raced = plan_fulfilment(before, [RequestedLine("lamp", "std", 1)], fulfilment_id="ff-2", by=BY, now=NOW)
    after = record_fulfilment(before, first, NOW)

    with pytest.raises(Conflict):
        record_fulfilment(after, raced, NOW)
    with pytest.raises(IllegalTransition):
        record_fulfilment(dataclasses.replace(before, status=OrderStatus.CANCELLED), raced, NOW)


def test_the_order_ships_only_once_everything_is_fulfilled() -> None:
    partly = fulfilled(two_line_order(), [RequestedLine("lamp", "std", 2)])
    assert mark_shipped(partly, by=BY, now=NOW) is partly

    whole = fulfilled(partly, None, key="k2")
    shipped = mark_shipped(whole, by=BY, now=NOW)

    assert shipped.status is OrderStatus.SHIPPED and shipped.version == whole.version + 1
    assert shipped.timeline[-1].to_status is OrderStatus.SHIPPED
    assert mark_shipped(shipped, by=BY, now=NOW) is shipped
    assert mark_shipped(two_line_order(status=OrderStatus.PROCESSING), by=BY, now=NOW).status is OrderStatus.PROCESSING


def test_tracking_changes_are_recorded_and_a_known_carrier_gets_its_link() -> None:
    o = fulfilled(two_line_order())
    fid = o.fulfilments[0].fulfilment_id

    tracked = update_tracking(o, fid, {"carrier": "UPS", "tracking_number": "1Z 999"}, by=BY, now=NOW + 9)

    f = tracked.fulfilments[0]
    assert (f.carrier, f.tracking_number, f.tracking_url) == (
        "UPS",
        "1Z 999",
        "https://www.ups.com/track?tracknum=1Z%20999",
    )
    assert f.updated_at == int(NOW) + 9 and tracked.version == o.version + 1
    assert (tracked.timeline[-1].kind, tracked.timeline[-1].ref) == (TimelineKind.TRACKING_UPDATED, fid)
    assert update_tracking(tracked, fid, {"carrier": "UPS"}, by=BY, now=NOW) is tracked
    own = update_tracking(
        tracked, fid, {"carrier": "Local Courier", "tracking_url": "https://courier.example/1"}, by=BY, now=NOW
    )
    assert own.fulfilments[0].tracking_url == "https://courier.example/1"
    renumbered = update_tracking(own, fid, {"tracking_number": "2"}, by=BY, now=NOW)
    assert renumbered.fulfilments[0].tracking_url is None  # the courier's link named the old parcel
    with pytest.raises(NotFound):
        update_tracking(o, "ff-nope", {"carrier": "ups"}, by=BY, now=NOW)


@pytest.mark.parametrize(
    ("carrier", "number", "given", "url"),
    [
        ("Royal Mail", "AB123", None, "https://www.royalmail.com/track-your-item#/tracking-results/AB123"),
        ("fedex", "12/3", None, "https://www.fedex.com/fedextrack/?trknbr=12%2F3"),
        ("dhl", "1", "https://mine.example/1", "https://mine.example/1"),
        ("Nobody Post", "1", None, None),
        ("ups", None, None, None),
    ],
)
def test_tracking_links(carrier: str, number: str | None, given: str | None, url: str | None) -> None:
    assert tracking_url(carrier, number, given) == url


def product(reserved: int, on_hand: int = 10) -> Product:
    variants = (Variant("blue", "L-B", "Blue", 4), Variant("std", "L-1", "Standard", on_hand, reserved))
    return Product("forge", "lamp", "Lamp", eur(2000), "lighting", variants=variants)


def test_the_commit_plan_names_each_variant_at_its_index() -> None:
    [commit] = plan_commits([FulfilmentLine("lamp", "std", 2)], {"lamp": product(reserved=2)})

    assert commit.product_slug == "lamp" and commit.in_stock_after
    assert [(h.index, h.variant_id, h.quantity) for h in commit.holds] == [(1, "std", 2)]


@pytest.mark.parametrize("products", [{}, {"lamp": product(reserved=1)}])
def test_stock_no_longer_held_cannot_be_committed(products: dict[str, Product]) -> None:
    with pytest.raises(Conflict):
        plan_commits([FulfilmentLine("lamp", "std", 2)], products)


def test_a_return_refunds_what_is_left_in_the_same_change_as_the_move() -> None:
    shipped = two_line_order(status=OrderStatus.SHIPPED, version=4)

    returned = refund_return(shipped, by=BY, now=NOW, reason="parcel came back")

    assert returned.status is OrderStatus.REFUNDED and returned.version == 5
    refund = returned.refund(RETURN_REFUND_KEY)
    assert refund is not None and refund.state is RefundState.REQUESTED and refund.amount == eur(10000)
    assert refund.provider_key == f"rt-{shipped.order_id}" and returned.payment_state is PaymentState.REFUNDED
    cash = two_line_order(
        status=OrderStatus.DELIVERED,
        payment_method=PaymentMethod.CASH_ON_DELIVERY,
        payment=None,
        payment_state=PaymentState.AWAITING,
    )
    assert refund_return(cash, by=BY, now=NOW).refunds == ()
    with pytest.raises(IllegalTransition):
        refund_return(two_line_order(status=OrderStatus.PROCESSING), by=BY, now=NOW)
