"""Fulfilment API bodies: a fulfilment asked for, tracking changes, status changes, and what they answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.kernel.contracts.urls import WebUrl
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts.orders import OperatorOrderOut, operator_order_out
from nozzly.orders.domain.fulfilment import RequestedLine, Tracking
from nozzly.orders.domain.order_rules import MAX_REASON
from nozzly.orders.domain.orders import Fulfilment, FulfilmentLine, Order, OrderStatus

if TYPE_CHECKING:  # the service (and its adapters) load on first use, not with the contracts
    from nozzly.orders.domain.fulfilment_status import FulfilmentStatus

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
TrackingUrl = Annotated[WebUrl, Field(max_length=500, examples=["https://track.example/1"])]


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


class _FulfilmentFields(BaseModel):
    id: str
    lines: list[FulfilmentLineOut]
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: datetime


class FulfilmentOut(_FulfilmentFields):
    state: Literal["requested", "recorded"] = Field(
        description="requested: the workflow is committing its stock; recorded: on the order, stock committed."
    )


class RefusalOut(BaseModel):
    error: str = Field(examples=["FulfilmentRefused"])
    cause: str | None = Field(description="Why the workflow committed nothing.")
    at: datetime | None = Field(description="When the workflow ended.")


class FulfilmentStatusOut(_FulfilmentFields):
    state: Literal["requested", "recorded", "refused"] = Field(
        description="requested: the workflow is committing its stock; recorded: on the order, stock committed; "
        "refused: the workflow ended without shipping anything (see refusal), a new request may follow."
    )
    refusal: RefusalOut | None = Field(description="Only when refused: the workflow's error and cause.")


class FulfilmentAcceptedOut(BaseModel):
    fulfilment: FulfilmentOut
    order: OperatorOrderOut = Field(description="The order as it was when the request was accepted.")


def _line_out(x: FulfilmentLine) -> FulfilmentLineOut:
    return FulfilmentLineOut(product=x.product_slug, variant=x.variant_id, quantity=x.quantity)


def _fields(f: Fulfilment) -> dict[str, Any]:
    return {
        "id": f.fulfilment_id,
        "lines": [_line_out(x) for x in f.lines],
        "carrier": f.carrier,
        "tracking_number": f.tracking_number,
        "tracking_url": f.tracking_url,
        "created_at": datetime.fromtimestamp(f.created_at, UTC),
    }


def fulfilment_out(f: Fulfilment, *, recorded: bool) -> FulfilmentOut:
    return FulfilmentOut(state="recorded" if recorded else "requested", **_fields(f))


def status_out(status: FulfilmentStatus) -> FulfilmentStatusOut:
    r = status.refusal
    refusal = None
    if r is not None:
        at = None if r.at is None else datetime.fromtimestamp(r.at, UTC)
        refusal = RefusalOut(error=r.error, cause=r.cause, at=at)
    return FulfilmentStatusOut(state=status.progress.value, refusal=refusal, **_fields(status.fulfilment))


def accepted_out(order: Order, fulfilment: Fulfilment) -> FulfilmentAcceptedOut:
    recorded = order.fulfilment(fulfilment.fulfilment_id) is not None
    return FulfilmentAcceptedOut(
        fulfilment=fulfilment_out(fulfilment, recorded=recorded), order=operator_order_out(order)
    )
