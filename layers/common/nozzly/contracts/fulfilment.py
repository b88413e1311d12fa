"""Fulfilment API bodies: a fulfilment asked for, tracking changes, status changes, and what they answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.contracts.orders import OperatorOrderOut, operator_order_out
from nozzly.domain.fulfilment import RequestedLine, Tracking
from nozzly.domain.order_rules import MAX_REASON
from nozzly.domain.orders import Fulfilment, Order, OrderStatus
from nozzly.domain.slugs import SLUG_PATTERN

Carrier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="ups, usps, fedex, dhl, royal_mail, dpd, canada_post and australia_post get a tracking link; "
        "any other carrier needs tracking_url.",
        examples=["dhl"],
    ),
]
TrackingNumber = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$", examples=["JD014600006281"])
]
TrackingUrl = Annotated[str, Field(max_length=500, pattern=r"^https?://\S+$", examples=["https://track.example/1"])]


class _TrackingFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: Carrier | None = None
    tracking_number: TrackingNumber | None = None
    tracking_url: TrackingUrl | None = Field(default=None, description="Omitted: the carrier's page, if known.")

    def tracking(self) -> Tracking:
        return Tracking(self.carrier, self.tracking_number, self.tracking_url)


class FulfilmentLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(pattern=SLUG_PATTERN, max_length=80, examples=["ember-longsword"])
    variant: str = Field(min_length=1, max_length=80, examples=["standard"])
    quantity: int = Field(ge=1, le=9999)


class FulfilmentIn(_TrackingFields):
    lines: list[FulfilmentLineIn] | None = Field(
        default=None, min_length=1, max_length=100, description="Omitted: everything not yet fulfilled."
    )

    def requested(self) -> list[RequestedLine] | None:
        if self.lines is None:
            return None
        return [RequestedLine(x.product, x.variant, x.quantity) for x in self.lines]


class TrackingIn(_TrackingFields):
    """Only the fields sent change; null clears one."""

    def changes(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class StatusIn(_TrackingFields):
    status: OrderStatus = Field(
        description="processing, shipped (fulfils everything left through the workflow: 202), delivered, "
        "cancelled (stock back, payment refunded) or refunded (a return: what is left is refunded)."
    )
    note: str | None = Field(default=None, min_length=1, max_length=MAX_REASON, description="Kept in the timeline.")

    @property
    def has_tracking(self) -> bool:
        return bool(self.model_fields_set & {"carrier", "tracking_number", "tracking_url"})


class FulfilmentLineOut(BaseModel):
    product: str
    variant: str
    quantity: int


class FulfilmentOut(BaseModel):
    id: str
    state: Literal["requested", "recorded"] = Field(
        description="requested: the workflow is committing its stock; recorded: on the order, stock committed."
    )
    lines: list[FulfilmentLineOut]
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: datetime


class FulfilmentAcceptedOut(BaseModel):
    fulfilment: FulfilmentOut
    order: OperatorOrderOut = Field(description="The order as it was when the request was accepted.")


def fulfilment_out(f: Fulfilment, *, recorded: bool) -> FulfilmentOut:
    return FulfilmentOut(
        id=f.fulfilment_id,
        state="recorded" if recorded else "requested",
        lines=[FulfilmentLineOut(product=x.product_slug, variant=x.variant_id, quantity=x.quantity) for x in f.lines],
        carrier=f.carrier,
        tracking_number=f.tracking_number,
        tracking_url=f.tracking_url,
        created_at=datetime.fromtimestamp(f.created_at, UTC),
    )


def accepted_out(order: Order, fulfilment: Fulfilment) -> FulfilmentAcceptedOut:
    recorded = order.fulfilment(fulfilment.fulfilment_id) is not None
    return FulfilmentAcceptedOut(
        fulfilment=fulfilment_out(fulfilment, recorded=recorded), order=operator_order_out(order)
    )
