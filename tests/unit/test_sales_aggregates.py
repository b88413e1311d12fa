"""Sales aggregates are exact under retries: for random histories of orders (payments, partial refunds,
cancellations, returns) across days and time zones, delivered out of order and replayed three times, every
daily figure equals a brute-force recomputation from the final orders."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nozzly.analytics.adapters.sales_aggregates import Applied
from nozzly.analytics.domain.sales_contribution import PIPELINE, Cell, buckets
from nozzly.analytics.domain.sales_figures import DayFigures, compare
from nozzly.analytics.services.sales_aggregation import Outcome, SalesAggregation
from nozzly.customers.domain.customers import Address
from nozzly.kernel.adapters.unit_of_work import WriteConflict
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_rules import cancel, claim_refund, mark_paid, refund_return, settle_refund
from nozzly.orders.domain.order_status import move
from nozzly.orders.domain.orders import (
    Channel,
    Order,
    OrderStatus,
    PaymentState,
    RefundState,
    TimelineEntry,
    TimelineKind,
)
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import Totals

pytestmark = pytest.mark.unit
START = 1_796_083_200  # 2026-12-01 00:00 UTC
HOUR = 3600
ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati"]
PRODUCTS = [("lamp", "std", 1250), ("lamp", "xl", 2400), ("mug", "blue", 800), ("rug", "one", 9900)]


class MemoryAggregates:
    """The analytics table's contract in memory: conditional contribution records and additive counters."""

    def __init__(self) -> None:
        self.contributions: dict[str, Applied] = {}
        self.first: dict[str, str] = {}
        self.counters: dict[str, dict[str, int]] = {}

    def applied(self, store_id: str, order_id: str) -> Applied | None:
        return self.contributions.get(order_id)

    def first_order(self, store_id: str, email: str) -> str | None:
        return self.first.get(email.lower())

    def apply(
        self,
        store_id: str,
        order_id: str,
        *,
        version: int,
        cells: Mapping[Cell, int],
        delta: Mapping[Cell, int],
        previous: Applied | None,
        new_customer: bool,
        claim_email: str | None,
    ) -> None:
        current = self.contributions.get(order_id)
        if (current is None) != (previous is None) or (current and previous and current.version != previous.version):
            raise WriteConflict(frozenset({"contribution"}))
        if claim_email is not None and claim_email.lower() in self.first:
            raise WriteConflict(frozenset({"contribution"}))
        self.contributions[order_id] = Applied(version, dict(cells), new_customer)
        if claim_email is not None:
            self.first[claim_email.lower()] = order_id
        for bucket, metrics in buckets(delta).items():
            item = self.counters.setdefault(bucket, {})
            for metric, amount in metrics.items():
                item[metric] = item.get(metric, 0) + amount


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def placed(number: int, at: int, email: str, lines: list[tuple[str, str, int, int]], cash: bool) -> Order:
    checkout_lines = tuple(CheckoutLine(v, p, f"{p}-{v}", p, v, q, eur(price)) for p, v, q, price in lines)
    subtotal = sum(q * price for _, _, q, price in lines)
    discount, shipping = subtotal // 10, 495
    tax = (subtotal - discount) * 19 // 119
    method = PaymentMethod.CASH_ON_DELIVERY if cash else PaymentMethod.STRIPE_PAYMENT_INTENT
    return Order(
        store_id="forge",
        order_id=f"order-{number}",
        number=number,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.AWAITING if cash else PaymentState.PAID,
        channel=Channel.WEB,
        email=email,
        customer=None,
        lines=checkout_lines,
        shipping_address=Address("a1", "Sam", "Hauptstrasse 1", "Berlin", "10115", "DE"),
        shipping=ShippingChoice("standard", "Standard", eur(shipping)),
        payment_method=method,
        payment=None if cash else PaymentInfo(Provider.STRIPE, f"pi_{number}"),
        coupon=None,
        totals=Totals(eur(subtotal), eur(discount), eur(shipping), eur(tax), 1900, eur(subtotal - discount + shipping)),
        created_at=at,
        timeline=(TimelineEntry(at, "guest", TimelineKind.PLACED, "placed", to_status=OrderStatus.PENDING),),
    )


def history(order: Order, steps: list[int], rng: random.Random) -> list[Order]:
    """Every version the order goes through: payments, moves, partial refunds (settled or failed), a cancellation
    or a return, each some hours after the last, so they land on other days."""
    versions = [order]
    now = order.created_at
    for step in steps:
        now += rng.randint(1, 40) * HOUR
        o = versions[-1]
        try:
            if step == 0 and o.payment_state is PaymentState.AWAITING:
                o = mark_paid(o, by="operator:x", now=now)
            elif step == 1:
                nexts = {
                    OrderStatus.PENDING: OrderStatus.PROCESSING,
                    OrderStatus.PROCESSING: OrderStatus.SHIPPED,
                    OrderStatus.SHIPPED: OrderStatus.DELIVERED,
                }
                if o.status not in nexts:
                    continue
                o = move(o, nexts[o.status], by="operator:x", now=now)
            elif step == 2 and o.refundable.amount > 0:
                key = f"r{len(o.refunds)}"
                amount = rng.randint(1, o.refundable.amount)
                o = claim_refund(
                    o,
                    key=key,
                    requested=eur(amount),
                    reason="damaged",
                    by="operator:x",
                    now=now,
                    provider_idempotency_key=key,
                )
                state = rng.choice([RefundState.SUCCEEDED, RefundState.PENDING, RefundState.FAILED, None])
                if state is not None:  # None: the provider has not answered yet
                    versions.append(o)
                    now += rng.randint(0, 30) * HOUR
                    o = settle_refund(o, key, state, f"re_{key}", now=now)
            elif step == 3 and o.status in (OrderStatus.PENDING, OrderStatus.PROCESSING):
                o = cancel(o, by="operator:x", now=now)
                if o.refunds and o.refunds[-1].state is RefundState.REQUESTED:
                    versions.append(o)
                    o = settle_refund(o, o.refunds[-1].key, RefundState.SUCCEEDED, "re_cx", now=now + HOUR)
            elif step == 4 and o.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                o = refund_return(o, by="operator:x", now=now)
            else:
                continue
        except Exception:  # a move the rules refuse is simply not part of this history
            continue
        versions.append(o)
    return versions


def day_of(epoch: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, UTC).astimezone(tz).date().isoformat()


def brute_force(finals: list[Order], tz: ZoneInfo) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Every figure straight from the final orders, written without the contribution code."""
    days: dict[str, dict[str, int]] = {}

    def add(day: str, metric: str, amount: int) -> None:
        if amount:
            days.setdefault(day, {})
            days[day][metric] = days[day].get(metric, 0) + amount

    pipeline: dict[str, int] = {}
    first_seen: set[str] = set()
    for o in sorted(finals, key=lambda o: (o.created_at, o.number)):
        d = day_of(o.created_at, tz)
        add(d, "orders", 1)
        add(d, "gross", o.totals.total.amount)
        add(d, "discounts", o.totals.discount.amount)
        add(d, "tax", o.totals.tax.amount)
        add(d, "shipping", o.totals.shipping.amount)
        for line in o.lines:
            add(d, "units", line.quantity)
            add(d, f"u.{line.product_slug}/{line.variant_id}", line.quantity)
            add(d, f"r.{line.product_slug}/{line.variant_id}", line.quantity * line.unit_price.amount)
        if o.email not in first_seen:
            first_seen.add(o.email)
            add(d, "new_customers", 1)
            pipeline["customers"] = pipeline.get("customers", 0) + 1
        statuses: dict[OrderStatus, int] = {}
        for e in o.timeline:
            if e.to_status is not None and e.to_status not in statuses:
                statuses[e.to_status] = e.at
        for status, at in statuses.items():
            add(day_of(at, tz), f"reached.{status.value}", 1)
        for r in o.refunds:
            if r.state in (RefundState.SUCCEEDED, RefundState.PENDING):
                settled = min(e.at for e in o.timeline if e.kind is TimelineKind.REFUND_SETTLED and e.ref == r.key)
                add(day_of(settled, tz), "refunds", r.amount.amount)
        if o.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) and o.payment_state is PaymentState.AWAITING:
            closed = day_of(max(e.at for e in o.timeline if e.to_status is o.status), tz)
            add(closed, "voided", o.totals.total.amount)
            for line in o.lines:
                add(closed, f"u.{line.product_slug}/{line.variant_id}", -line.quantity)
                add(closed, f"r.{line.product_slug}/{line.variant_id}", -line.quantity * line.unit_price.amount)
        pipeline[f"status.{o.status.value}"] = pipeline.get(f"status.{o.status.value}", 0) + 1
    return days, pipeline


def delivery(histories: list[list[Order]], rng: random.Random) -> list[Order]:
    """Out of order: each order's records shuffled among everything after its first delivered record (orders
    first appear in the order they were placed, as a store's partition delivers them), then three full replays."""
    stream: list[Order] = []
    for versions in histories:
        shuffled = versions[:]
        rng.shuffle(shuffled)
        start = len(stream)
        stream.append(shuffled[0])
        for record in shuffled[1:]:
            stream.insert(rng.randint(start + 1, len(stream)), record)
    everything = [v for versions in histories for v in versions]
    for _ in range(3):
        replay = everything[:]
        rng.shuffle(replay)
        stream.extend(replay)
    return stream


def nonzero(items: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    found = {k: {m: a for m, a in v.items() if a} for k, v in items.items()}
    return {k: v for k, v in found.items() if v}


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    zone_name=st.sampled_from(ZONES),
    plans=st.lists(
        st.tuples(
            st.integers(0, 24 * 20),  # hours after START it was placed
            st.integers(0, 3),  # which of 4 emails
            st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=3),
            st.booleans(),  # cash on delivery
            st.lists(st.integers(0, 4), max_size=6),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_every_figure_equals_a_recount_from_the_orders_under_replays_and_disorder(
    seed: int, zone_name: str, plans: list[tuple[int, int, list[tuple[int, int]], bool, list[int]]]
) -> None:
    rng = random.Random(seed)
    tz = ZoneInfo(zone_name)
    histories = []
    for number, (hours, who, picks, cash, steps) in enumerate(sorted(plans, key=lambda p: p[0]), start=1001):
        lines = [(PRODUCTS[i][0], PRODUCTS[i][1], q, PRODUCTS[i][2]) for i, q in dict(picks).items()]
        order = placed(number, START + hours * HOUR + number, f"shopper{who}@example.com", lines, cash)
        histories.append(history(order, steps, rng))
    memory = MemoryAggregates()
    aggregation = SalesAggregation(memory, lambda store: zone_name)  # type: ignore[arg-type]
    for record in delivery(histories, rng):
        aggregation.apply(record)

    days, pipeline = brute_force([versions[-1] for versions in histories], tz)
    counted = nonzero(memory.counters)
    assert nonzero({k: v for k, v in counted.items() if k != PIPELINE}) == nonzero(days)
    assert counted.get(PIPELINE, {}) == {k: v for k, v in pipeline.items() if v}


def aggregation_counters_after(order: Order) -> dict[str, dict[str, int]]:
    memory = MemoryAggregates()
    SalesAggregation(memory, lambda store: "Europe/Berlin").apply(order)  # type: ignore[arg-type]
    return memory.counters


def test_a_replayed_or_older_record_changes_nothing_and_says_so() -> None:
    memory = MemoryAggregates()
    aggregation = SalesAggregation(memory, lambda store: "Europe/Berlin")  # type: ignore[arg-type]
    order = placed(1001, START, "sam@example.com", [("lamp", "std", 2, 1250)], cash=True)
    paid = mark_paid(order, by="operator:x", now=START + HOUR)
    assert aggregation.apply(order) == Outcome.APPLIED
    assert aggregation.apply(paid) == Outcome.APPLIED  # moves no figure, but its version is recorded
    assert memory.counters == aggregation_counters_after(order)
    shipped = move(
        move(paid, OrderStatus.PROCESSING, by="x", now=START + 2 * HOUR),
        OrderStatus.SHIPPED,
        by="x",
        now=START + 3 * HOUR,
    )
    assert aggregation.apply(shipped) == Outcome.APPLIED
    before = {k: dict(v) for k, v in memory.counters.items()}
    assert aggregation.apply(order) == Outcome.STALE
    assert aggregation.apply(shipped) == Outcome.UNCHANGED
    assert memory.counters == before


def test_a_partial_refund_counts_on_the_day_the_money_moved_in_the_store_zone() -> None:
    memory = MemoryAggregates()
    aggregation = SalesAggregation(memory, lambda store: "Europe/Berlin")  # type: ignore[arg-type]
    # 23:30 UTC on Dec 1 is 00:30 on Dec 2 in Berlin
    order = placed(1001, START + 23 * HOUR + 1800, "sam@example.com", [("rug", "one", 1, 9900)], cash=False)
    asked = claim_refund(
        order,
        key="r1",
        requested=eur(2000),
        reason="scratch",
        by="operator:x",
        now=START + 3 * 24 * HOUR,
        provider_idempotency_key="r1",
    )
    refunded = settle_refund(asked, "r1", RefundState.SUCCEEDED, "re_1", now=START + 4 * 24 * HOUR)
    for version in (order, asked, refunded):
        aggregation.apply(version)
    figures = {d: DayFigures.of(date.fromisoformat(d), c) for d, c in memory.counters.items() if d != PIPELINE}
    assert figures["2026-12-02"].gross == order.totals.total.amount
    assert figures["2026-12-02"].orders == 1 and figures["2026-12-02"].refunds == 0
    assert "2026-12-04" not in figures or figures["2026-12-04"].refunds == 0  # asked, but nothing moved yet
    assert figures["2026-12-05"].refunds == 2000
    week = compare(list(figures.values()), date(2026, 12, 5))["week"]
    assert week.current.net == order.totals.total.amount - 2000


def test_a_cash_order_cancelled_unpaid_leaves_net_sales_and_product_figures_on_the_day_it_was_cancelled() -> None:
    memory = MemoryAggregates()
    aggregation = SalesAggregation(memory, lambda store: "UTC")  # type: ignore[arg-type]
    order = placed(1001, START, "sam@example.com", [("mug", "blue", 3, 800)], cash=True)
    cancelled = cancel(order, by="operator:x", now=START + 30 * HOUR)
    aggregation.apply(order)
    aggregation.apply(cancelled)
    first = DayFigures.of(date(2026, 12, 1), memory.counters["2026-12-01"])
    second = DayFigures.of(date(2026, 12, 2), memory.counters["2026-12-02"])
    assert first.net == order.totals.total.amount and first.variants[("mug", "blue")] == (3, 2400)
    assert second.net == -order.totals.total.amount and second.variants[("mug", "blue")] == (-3, -2400)
    assert memory.counters[PIPELINE] == {"status.cancelled": 1, "customers": 1, "status.pending": 0}
    assert first.reached == {"pending": 1} and second.reached == {"cancelled": 1}
