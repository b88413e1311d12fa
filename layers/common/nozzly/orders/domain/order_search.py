"""What an operator may filter the order list by, and what a row of it shows. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.orders import Channel, FulfilmentState, OrderStatus, PaymentState


@dataclass(frozen=True, slots=True)
class OrderFilters:
    status: OrderStatus | None = None
    payment_state: PaymentState | None = None
    channel: Channel | None = None
    email: str | None = None  # the customer's, matched without regard to case
    number: int | None = None
    created_from: int | None = None  # epoch seconds, inclusive
    created_to: int | None = None  # epoch seconds, inclusive

    def __post_init__(self) -> None:
        if self.created_from is not None and self.created_to is not None and self.created_from > self.created_to:
            raise InvalidInput("created_from is after created_to", field="created_from")


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One line of an operator's order list."""

    order_id: str
    number: int
    status: OrderStatus
    payment_state: PaymentState
    fulfilment_state: FulfilmentState
    channel: Channel
    email: str
    customer: str | None
    item_count: int
    total: Money
    refunded: Money
    created_at: int
