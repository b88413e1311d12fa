"""Fulfilment: lines of an order leaving the warehouse, their stock committed, the order shipped. Pure Python.

An operator asks for a fulfilment (some lines, or everything left); plan_fulfilment judges it against the order
as read. The "fulfil order" workflow then records it (record_fulfilment) in the same transaction that takes
its stock off on hand and reserved (plan_commits), and ships the order once nothing is left to fulfil
(mark_shipped). A fulfilment's id comes from the request, so a retried step finds it on the order and does
nothing twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.stock_holds import ProductHold, VariantHold, quantities_by_product
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.orders.domain.carriers import tracking_url
from nozzly.orders.domain.order_status import IllegalTransition, move
from nozzly.orders.domain.orders import Fulfilment, FulfilmentLine, Order, OrderStatus, TimelineEntry, TimelineKind

# Lines may ship while nothing has shipped in full; a shipped order has nothing left to fulfil.
SHIPPABLE = frozenset({OrderStatus.PENDING, OrderStatus.PROCESSING})
TRACKING_FIELDS = ("carrier", "tracking_number", "tracking_url")


@dataclass(frozen=True, slots=True)
class RequestedLine:
    product_slug: str
    variant_id: str
    quantity: int

    @property
    def item_id(self) -> str:
        return f"{self.product_slug}:{self.variant_id}"


@dataclass(frozen=True, slots=True)
class Tracking:
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None  # the operator's; a well-known carrier's page is derived when absent


def fulfilment_id(store_id: str, order_id: str, key: str) -> str:
    """One fulfilment per (order, Idempotency-Key); also the workflow execution's name (at most 80 characters
    of [A-Za-z0-9-_]), hashed so one header value sent for two orders names two fulfilments."""
    digest = hashlib.sha256(f"{store_id}\0{order_id}\0{key}".encode()).hexdigest()
    return f"ff-{digest[:40]}"


def _check_shippable(order: Order) -> None:
    if order.status not in SHIPPABLE:
        raise IllegalTransition(order.status, OrderStatus.SHIPPED)


def plan_fulfilment(
    order: Order,
    requested: Sequence[RequestedLine] | None,
    *,
    fulfilment_id: str,
    by: str,
    now: float,
    tracking: Tracking = Tracking(),
) -> Fulfilment:
    """The fulfilment asked for (None: everything left), or why not: an order that is not pending or processing
    (IllegalTransition), nothing left, a line the order lacks, more than is left of a line."""
    _check_shippable(order)
    left = order.unfulfilled_quantities
    if not left:
        raise Conflict("everything in this order has been fulfilled", field="lines")
    if requested is None:
        wanted = dict(left)
    else:
        if not requested:
            raise InvalidInput("name at least one line, or leave lines out for everything left", field="lines")
        wanted = {}
        ordered = order.ordered_quantities
        for i, line in enumerate(requested):
            if line.quantity < 1:
                raise InvalidInput("a quantity is at least 1", field=f"lines[{i}].quantity")
            if line.item_id not in ordered:
                raise InvalidInput(f"the order has no line {line.item_id}", field=f"lines[{i}]")
            wanted[line.item_id] = wanted.get(line.item_id, 0) + line.quantity
        for item, quantity in wanted.items():
            if quantity > left.get(item, 0):
                raise Conflict(f"{left.get(item, 0)} of {item} left to fulfil, not {quantity}", field="lines")
    return Fulfilment(
        fulfilment_id=fulfilment_id,
        lines=_lines_in_order(order, wanted),
        created_at=int(now),
        by=by,
        carrier=tracking.carrier,
        tracking_number=tracking.tracking_number,
        tracking_url=tracking_url(tracking.carrier, tracking.tracking_number, tracking.tracking_url),
    )


def _lines_in_order(order: Order, wanted: Mapping[str, int]) -> tuple[FulfilmentLine, ...]:
    """The wanted quantities as fulfilment lines, in the order's own line order (one per item)."""
    lines: dict[str, FulfilmentLine] = {}
    for line in order.lines:
        item = f"{line.product_slug}:{line.variant_id}"
        if item in wanted and item not in lines:
            lines[item] = FulfilmentLine(line.product_slug, line.variant_id, wanted[item])
    return tuple(lines.values())


def record_fulfilment(order: Order, fulfilment: Fulfilment, now: float) -> Order:
    """The order with the fulfilment appended (a pending order moves to processing first), its version one
    higher. A fulfilment already on the order leaves it as it is: that is what makes a retried step a no-op.
    Judged again against the order as it is now: another fulfilment or a cancellation may have come first."""
    if order.fulfilment(fulfilment.fulfilment_id) is not None:
        return order
    _check_shippable(order)
    left = order.unfulfilled_quantities
    for line in fulfilment.lines:
        if line.quantity > left.get(line.item_id, 0):
            raise Conflict(f"{left.get(line.item_id, 0)} of {line.item_id} left to fulfil, not {line.quantity}")
    base = order
    if order.status is OrderStatus.PENDING:
        base = move(order, OrderStatus.PROCESSING, by=fulfilment.by, now=now, note="fulfilment started")
    items = sum(line.quantity for line in fulfilment.lines)
    text = f"Fulfilment of {items} item{'s' if items != 1 else ''} created" + _tracking_text(fulfilment)
    entry = TimelineEntry(
        at=int(now), by=fulfilment.by, kind=TimelineKind.FULFILMENT_CREATED, text=text, ref=fulfilment.fulfilment_id
    )
    recorded = dataclasses.replace(base, fulfilments=(*base.fulfilments, fulfilment), version=order.version + 1)
    return recorded.logged(entry)


def _tracking_text(f: Fulfilment) -> str:
    shown = " ".join(x for x in (f.carrier, f.tracking_number) if x)
    return f" ({shown})" if shown else ""


def mark_shipped(order: Order, *, by: str, now: float) -> Order:
    """processing -> shipped once every line is fulfilled; otherwise (partly fulfilled, or shipped already)
    the order as it is."""
    if order.status is not OrderStatus.PROCESSING or not order.fulfilments or order.unfulfilled_quantities:
        return order
    return move(order, OrderStatus.SHIPPED, by=by, now=now, note="every line fulfilled")


def update_tracking(
    order: Order, fulfilment_id: str, changes: Mapping[str, str | None], *, by: str, now: float
) -> Order:
    """The fulfilment's tracking with the named fields changed (None clears one). A carrier or number changed
    without a URL gets the carrier's page (or none): the old URL would follow the old parcel. Changing nothing
    leaves the order as it is."""
    found = order.fulfilment(fulfilment_id)
    if found is None:
        raise NotFound(f"fulfilment {fulfilment_id!r} not found", field="fulfilment")
    unknown = set(changes) - set(TRACKING_FIELDS)
    if unknown:
        raise InvalidInput(f"only {', '.join(TRACKING_FIELDS)} can change", field=sorted(unknown)[0])
    carrier = changes.get("carrier", found.carrier)
    number = changes.get("tracking_number", found.tracking_number)
    if "tracking_url" in changes:
        given = changes["tracking_url"]
    else:
        same_parcel = (carrier, number) == (found.carrier, found.tracking_number)
        given = found.tracking_url if same_parcel else None
    url = tracking_url(carrier, number, given)
    if (carrier, number, url) == (found.carrier, found.tracking_number, found.tracking_url):
        return order
    updated = dataclasses.replace(found, carrier=carrier, tracking_number=number, tracking_url=url, updated_at=int(now))
    entry = TimelineEntry(
        at=int(now),
        by=by,
        kind=TimelineKind.TRACKING_UPDATED,
        text="Tracking updated" + (_tracking_text(updated) or ": cleared"),
        ref=fulfilment_id,
    )
    fulfilments = tuple(updated if f.fulfilment_id == fulfilment_id else f for f in order.fulfilments)
    return dataclasses.replace(order, fulfilments=fulfilments, version=order.version + 1).logged(entry)


def plan_commits(lines: Sequence[FulfilmentLine], products: Mapping[str, Product]) -> tuple[ProductHold, ...]:
    """What a fulfilment takes off each product (one entry per product: a transaction touches an item once):
    its quantity off on hand and off reserved, the variants found by id. Stock the checkout no longer holds
    (a variant gone, less reserved than shipped) is a Conflict: nothing is committed then."""
    wanted = quantities_by_product(lines)
    plan = []
    for slug, per_variant in sorted(wanted.items()):
        product = products.get(slug)
        commits = []
        for variant_id, quantity in sorted(per_variant.items()):
            ids = [] if product is None else [v.variant_id for v in product.variants]
            index = ids.index(variant_id) if variant_id in ids else None
            if product is None or index is None:
                raise Conflict(f"{slug} ({variant_id}) no longer exists: its stock cannot be committed", field="lines")
            variant = product.variants[index]
            if variant.reserved < quantity or variant.stock_on_hand < quantity:
                raise Conflict(
                    f"{slug} ({variant_id}) holds {variant.reserved} reserved and {variant.stock_on_hand} on hand: "
                    f"{quantity} cannot be committed",
                    field="lines",
                )
            commits.append(VariantHold(index, variant_id, quantity, variant.stock_on_hand))
        assert product is not None
        # Committing leaves what is available (on hand minus reserved) as it was.
        plan.append(ProductHold(slug, tuple(commits), in_stock_after=product.available > 0))
    return tuple(plan)
