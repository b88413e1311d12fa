"""Order API bodies: a shopper's view of their orders (with shipments), an operator's view (refunds,
fulfilments, timeline, the statuses it may move to), refund requests. The operator's list is order_list.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nozzly.customers.domain.customers import Address
from nozzly.kernel.contracts.money import MoneyIn, MoneyOut
from nozzly.orders.contracts.sale import CheckoutLineOut, TotalsOut, totals_out
from nozzly.orders.domain.order_rules import MAX_REASON, can_cancel
from nozzly.orders.domain.order_status import allowed_next
from nozzly.orders.domain.orders import Fulfilment, Order, OrderRefund, TimelineEntry


def _when(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


DISPLAY_NUMBER = "The number as people read it: the store's order-number prefix (as it is now) before `number`."


class OrderSummaryOut(BaseModel):
    id: str
    number: int
    display_number: str = Field(description=DISPLAY_NUMBER, examples=["LL-1001"])
    status: str = Field(description="pending, processing, shipped, delivered, cancelled or refunded.")
    payment_state: str = Field(description="awaiting_payment (cash on delivery), paid, partially_refunded, refunded.")
    item_count: int
    total: MoneyOut
    created_at: datetime


class OrderPageOut(BaseModel):
    items: list[OrderSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last.")


class ShippingAddressOut(BaseModel):
    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    phone: str | None


class RefundOut(BaseModel):
    refund_id: str | None = Field(description="The provider's; null for cash and until the provider answers.")
    amount: MoneyOut
    state: str = Field(description="requested, pending, succeeded or failed (a failed refund returned nothing).")
    reason: str
    created_at: datetime


class OperatorRefundOut(RefundOut):
    by: str = Field(description="operator:{id} or shopper:{id} (a shopper's cancellation).")


class ShipmentLineOut(BaseModel):
    product: str
    variant_id: str
    sku: str | None = Field(description="As ordered; null if the line is not in the order any more.")
    title: str | None
    quantity: int


class ShipmentOut(BaseModel):
    id: str
    items: list[ShipmentLineOut]
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    shipped_at: datetime
    updated_at: datetime | None


class OperatorShipmentOut(ShipmentOut):
    by: str = Field(description="operator:{id} who recorded it.")


class TimelineEntryOut(BaseModel):
    at: datetime
    by: str = Field(description="operator:{id}, shopper:{id}, guest or system (a payment provider's answer).")
    kind: str = Field(
        description="placed, status_changed, marked_paid, refund_requested, refund_settled, fulfilment_created "
        "or tracking_updated."
    )
    text: str
    ref: str | None = Field(description="The refund or fulfilment the entry is about.")
    from_status: str | None
    to_status: str | None


class UnfulfilledOut(BaseModel):
    product: str
    variant_id: str
    quantity: int


class _OrderDetail(OrderSummaryOut):
    email: str
    fulfilment_state: str = Field(description="unfulfilled, partially_fulfilled or fulfilled.")
    items: list[CheckoutLineOut]
    shipping_address: ShippingAddressOut
    billing_address: ShippingAddressOut = Field(description="Where the invoice is addressed.")
    billing_same_as_shipping: bool
    shipping_method: str
    payment_method: str
    totals: TotalsOut
    refunded: MoneyOut = Field(description="Refunded or on its way back (every refund but failed ones).")
    cancellable: bool = Field(description="True while the order may still be cancelled (not shipped).")
    cancelled_at: datetime | None


class OrderOut(_OrderDetail):
    refunds: list[RefundOut]
    shipments: list[ShipmentOut] = Field(description="Parcels sent so far, with their tracking.")


class OperatorOrderOut(_OrderDetail):
    customer: str | None = Field(description="The shopper's account id; null for a guest's order.")
    payment_provider: str | None
    payment_id: str | None
    refundable: MoneyOut = Field(description="What a refund may still return.")
    refunds: list[OperatorRefundOut]
    paid_at: datetime | None = Field(description="Cash on delivery: when an operator marked it paid.")
    marked_paid_by: str | None
    channel: str = Field(description="web (checkout), manual or pos (created by an operator).")
    allowed_next: list[str] = Field(description="The statuses the order may move to now (empty once final).")
    fulfilments: list[OperatorShipmentOut]
    unfulfilled: list[UnfulfilledOut] = Field(description="What is still to ship.")
    timeline: list[TimelineEntryOut] = Field(description="Every change of the order, oldest first.")


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: MoneyIn | None = Field(default=None, description="Omitted: everything paid and not yet refunded.")
    reason: str = Field(min_length=1, max_length=MAX_REASON, examples=["damaged in transit"])


class RefundResultOut(BaseModel):
    refund: OperatorRefundOut
    order: OperatorOrderOut


def summary_out(order: Order, prefix: str = "") -> OrderSummaryOut:
    """`prefix`: the store's order-number prefix (general settings)."""
    return OrderSummaryOut.model_validate(_summary(order, prefix))


def _summary(order: Order, prefix: str) -> dict[str, Any]:
    return {
        "id": order.order_id,
        "number": order.number,
        "display_number": f"{prefix}{order.number}",
        "status": order.status.value,
        "payment_state": order.payment_state.value,
        "item_count": sum(line.quantity for line in order.lines),
        "total": MoneyOut.of(order.totals.total),
        "created_at": _when(order.created_at),
    }


def _refund(r: OrderRefund) -> dict[str, Any]:
    return {
        "refund_id": r.refund_id,
        "amount": MoneyOut.of(r.amount),
        "state": r.state.value,
        "reason": r.reason,
        "created_at": _when(r.at),
    }


def _address(a: Address) -> ShippingAddressOut:
    return ShippingAddressOut(
        name=a.name,
        line1=a.line1,
        line2=a.line2,
        city=a.city,
        region=a.region,
        postal_code=a.postal_code,
        country=a.country,
        phone=a.phone,
    )


def _detail(order: Order, prefix: str) -> dict[str, Any]:
    return _summary(order, prefix) | {
        "email": order.email,
        "items": [
            CheckoutLineOut(
                variant_id=x.variant_id,
                product=x.product_slug,
                sku=x.sku,
                title=x.title,
                variant_title=x.variant_title,
                quantity=x.quantity,
                unit_price=MoneyOut.of(x.unit_price),
                line_total=MoneyOut.of(x.total),
            )
            for x in order.lines
        ],
        "shipping_address": _address(order.shipping_address),
        "billing_address": _address(order.billing_address or order.shipping_address),
        "billing_same_as_shipping": order.billing_address is None,
        "shipping_method": order.shipping.method_id,
        "payment_method": order.payment_method.value,
        "totals": totals_out(order.totals),
        "refunded": MoneyOut.of(order.refunded),
        "cancellable": can_cancel(order),
        "cancelled_at": _when(order.cancelled_at),
        "fulfilment_state": order.fulfilment_state.value,
    }


def _shipment(order: Order, f: Fulfilment) -> dict[str, Any]:
    def line(product: str, variant: str, quantity: int) -> ShipmentLineOut:
        ordered = next((x for x in order.lines if x.product_slug == product and x.variant_id == variant), None)
        sku, title = (ordered.sku, ordered.title) if ordered else (None, None)
        return ShipmentLineOut(product=product, variant_id=variant, sku=sku, title=title, quantity=quantity)

    return {
        "id": f.fulfilment_id,
        "items": [line(x.product_slug, x.variant_id, x.quantity) for x in f.lines],
        "carrier": f.carrier,
        "tracking_number": f.tracking_number,
        "tracking_url": f.tracking_url,
        "shipped_at": _when(f.created_at),
        "updated_at": _when(f.updated_at),
    }


def _entry(e: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        at=datetime.fromtimestamp(e.at, UTC),
        by=e.by,
        kind=e.kind.value,
        text=e.text,
        ref=e.ref,
        from_status=e.from_status.value if e.from_status else None,
        to_status=e.to_status.value if e.to_status else None,
    )


def order_out(order: Order, prefix: str = "") -> OrderOut:
    return OrderOut.model_validate(
        _detail(order, prefix)
        | {
            "refunds": [_refund(r) for r in order.refunds],
            "shipments": [_shipment(order, f) for f in order.fulfilments],
        }
    )


def _operator_refund(r: OrderRefund) -> dict[str, Any]:
    return _refund(r) | {"by": r.by}


def operator_order_out(order: Order, prefix: str = "") -> OperatorOrderOut:
    return OperatorOrderOut.model_validate(
        _detail(order, prefix)
        | {
            "refunds": [_operator_refund(r) for r in order.refunds],
            "customer": order.customer,
            "payment_provider": order.payment.provider.value if order.payment else None,
            "payment_id": order.payment.payment_id if order.payment else None,
            "refundable": MoneyOut.of(order.refundable),
            "paid_at": _when(order.paid_at),
            "marked_paid_by": order.marked_paid_by,
            "channel": order.channel.value,
            "allowed_next": [s.value for s in allowed_next(order.status)],
            "fulfilments": [_shipment(order, f) | {"by": f.by} for f in order.fulfilments],
            "unfulfilled": [
                UnfulfilledOut(product=item.split(":", 1)[0], variant_id=item.split(":", 1)[1], quantity=q)
                for item, q in order.unfulfilled_quantities.items()
            ],
            "timeline": [_entry(e) for e in order.timeline],
        }
    )


def refund_result_out(order: Order, refund: OrderRefund, prefix: str = "") -> RefundResultOut:
    return RefundResultOut(
        refund=OperatorRefundOut.model_validate(_operator_refund(refund)), order=operator_order_out(order, prefix)
    )
