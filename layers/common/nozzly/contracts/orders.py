"""Order API bodies: a shopper's view of their orders, an operator's view with refunds, refund requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nozzly.contracts.carts import TotalsOut, totals_out
from nozzly.contracts.checkout import CheckoutLineOut
from nozzly.contracts.money import MoneyIn, MoneyOut
from nozzly.domain.order_rules import MAX_REASON, can_cancel
from nozzly.domain.orders import Order, OrderRefund


def _when(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


class OrderSummaryOut(BaseModel):
    id: str
    number: int
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


class _OrderDetail(OrderSummaryOut):
    email: str
    items: list[CheckoutLineOut]
    shipping_address: ShippingAddressOut
    shipping_method: str
    payment_method: str
    totals: TotalsOut
    refunded: MoneyOut = Field(description="Refunded or on its way back (every refund but failed ones).")
    cancellable: bool = Field(description="True while the order may still be cancelled (not shipped).")
    cancelled_at: datetime | None


class OrderOut(_OrderDetail):
    refunds: list[RefundOut]


class OperatorOrderOut(_OrderDetail):
    customer: str | None = Field(description="The shopper's account id; null for a guest's order.")
    payment_provider: str | None
    payment_id: str | None
    refundable: MoneyOut = Field(description="What a refund may still return.")
    refunds: list[OperatorRefundOut]
    paid_at: datetime | None = Field(description="Cash on delivery: when an operator marked it paid.")
    marked_paid_by: str | None


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: MoneyIn | None = Field(default=None, description="Omitted: everything paid and not yet refunded.")
    reason: str = Field(min_length=1, max_length=MAX_REASON, examples=["damaged in transit"])


class RefundResultOut(BaseModel):
    refund: OperatorRefundOut
    order: OperatorOrderOut


def summary_out(order: Order) -> OrderSummaryOut:
    return OrderSummaryOut.model_validate(_summary(order))


def _summary(order: Order) -> dict[str, Any]:
    return {
        "id": order.order_id,
        "number": order.number,
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


def _detail(order: Order) -> dict[str, Any]:
    a = order.shipping_address
    return _summary(order) | {
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
        "shipping_address": ShippingAddressOut(
            name=a.name,
            line1=a.line1,
            line2=a.line2,
            city=a.city,
            region=a.region,
            postal_code=a.postal_code,
            country=a.country,
            phone=a.phone,
        ),
        "shipping_method": order.shipping.method_id,
        "payment_method": order.payment_method.value,
        "totals": totals_out(order.totals),
        "refunded": MoneyOut.of(order.refunded),
        "cancellable": can_cancel(order),
        "cancelled_at": _when(order.cancelled_at),
    }


def order_out(order: Order) -> OrderOut:
    return OrderOut.model_validate(_detail(order) | {"refunds": [_refund(r) for r in order.refunds]})


def _operator_refund(r: OrderRefund) -> dict[str, Any]:
    return _refund(r) | {"by": r.by}


def operator_order_out(order: Order) -> OperatorOrderOut:
    return OperatorOrderOut.model_validate(
        _detail(order)
        | {
            "refunds": [_operator_refund(r) for r in order.refunds],
            "customer": order.customer,
            "payment_provider": order.payment.provider.value if order.payment else None,
            "payment_id": order.payment.payment_id if order.payment else None,
            "refundable": MoneyOut.of(order.refundable),
            "paid_at": _when(order.paid_at),
            "marked_paid_by": order.marked_paid_by,
        }
    )


def refund_result_out(order: Order, refund: OrderRefund) -> RefundResultOut:
    return RefundResultOut(
        refund=OperatorRefundOut.model_validate(_operator_refund(refund)), order=operator_order_out(order)
    )
