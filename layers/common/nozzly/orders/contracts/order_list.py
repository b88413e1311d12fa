"""The operators' order list: one row per order (orders/contracts/orders.py has one order's detail)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from nozzly.kernel.contracts.money import MoneyOut
from nozzly.orders.domain.order_search import OrderRow


class OrderRowOut(BaseModel):
    id: str
    number: int
    display_number: str = Field(description="The store's order-number prefix (as it is now) before `number`.")
    status: str
    payment_state: str
    fulfilment_state: str
    channel: str
    email: str
    customer: str | None
    item_count: int
    total: MoneyOut
    refunded: MoneyOut
    created_at: datetime


class OrderRowPageOut(BaseModel):
    items: list[OrderRowOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last.")


def row_out(row: OrderRow, prefix: str = "") -> OrderRowOut:
    """`prefix`: the store's order-number prefix (general settings)."""
    return OrderRowOut(
        id=row.order_id,
        number=row.number,
        display_number=f"{prefix}{row.number}",
        status=row.status.value,
        payment_state=row.payment_state.value,
        fulfilment_state=row.fulfilment_state.value,
        channel=row.channel.value,
        email=row.email,
        customer=row.customer,
        item_count=row.item_count,
        total=MoneyOut.of(row.total),
        refunded=MoneyOut.of(row.refunded),
        created_at=datetime.fromtimestamp(row.created_at, UTC),
    )
