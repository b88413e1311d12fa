"""Webhook endpoints and their deliveries over HTTP (operators' admin routes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from nozzly.kernel.domain.url_safety import MAX_URL_LENGTH
from nozzly.webhooks.domain.catalogue import EVENT_TYPES
from nozzly.webhooks.domain.deliveries import Delivery
from nozzly.webhooks.domain.endpoints import MAX_DESCRIPTION, Endpoint

_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored
# Spelled out for the OpenAPI document and type checkers; a unit test keeps it equal to the catalogue.
EventType = Literal[
    "order.placed",
    "order.paid",
    "order.shipped",
    "order.delivered",
    "order.cancelled",
    "order.refunded",
    "product.created",
    "product.updated",
    "product.deleted",
    "stock.low",
    "customer.created",
]
EVENT_TYPE_NAMES: tuple[str, ...] = tuple(EVENT_TYPES)
Url = Annotated[str, Field(min_length=8, max_length=MAX_URL_LENGTH, description="https://... (checked against SSRF)")]
Types = Annotated[list[EventType], Field(min_length=1, max_length=len(EVENT_TYPES), description="Events to receive.")]
Description = Annotated[str, Field(max_length=MAX_DESCRIPTION)]


class EndpointIn(BaseModel):
    model_config = _CLOSED

    url: Url
    event_types: Types
    description: Description = ""


class EndpointPatch(BaseModel):
    model_config = _CLOSED

    url: Url | None = None
    event_types: Types | None = None
    description: Description | None = None
    enabled: StrictBool | None = Field(None, description="false disables; true enables and resets the failures.")

    @field_validator("url", "event_types", "enabled")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class EndpointOut(BaseModel):
    endpoint_id: str
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: str
    failed_deliveries: int = Field(description="Deliveries in a row that used every attempt.")
    created_at: str


class EndpointWithSecret(EndpointOut):
    secret: str = Field(description="whsec_...: shown only now; verify signatures with a Standard Webhooks library.")


class EndpointList(BaseModel):
    items: list[EndpointOut]


class DeliveryOut(BaseModel):
    delivery_id: str = Field(description="The webhook-id header: the same on every attempt.")
    event_type: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    response_code: int | None
    latency_ms: int | None
    last_error: str
    created_at: str
    next_attempt_at: str | None


class DeliveryList(BaseModel):
    items: list[DeliveryOut]


class WebhookPayload(BaseModel):
    """The body of every delivery (documented here; signed per the Standard Webhooks specification)."""

    type: str = Field(description="One of the event types, or webhook.test.")
    api_version: Literal["2026-12-01"]
    id: str = Field(description="The event's id: the same for every endpoint.")
    created_at: str
    data: dict[str, Any] = Field(description="The event's details; money in integer minor units with currency.")


class ProductEventData(BaseModel):
    """`data` of product.created, product.updated and product.deleted: one event per product changed."""

    store_id: str
    product: str = Field(description="The product's slug: its id within the store.")
    title: str
    status: Literal["draft", "published", "archived"]
    deleted: bool = Field(description="true in product.deleted; false again in the product.updated of a restore.")
    version: int = Field(ge=0, description="The product's version after the change (0 for a catalog import's).")
    correlation_id: str | None = Field(default=None, description="The request or workflow that made the change.")


class ProductWebhookPayload(WebhookPayload):
    """The body of product.created, product.updated and product.deleted deliveries."""

    type: Literal["product.created", "product.updated", "product.deleted"]
    data: ProductEventData  # type: ignore[assignment]


def endpoint_out(e: Endpoint) -> EndpointOut:
    return EndpointOut(
        endpoint_id=e.endpoint_id,
        url=e.url,
        event_types=list(e.event_types),
        description=e.description,
        enabled=e.enabled,
        disabled_reason=e.disabled_reason,
        failed_deliveries=e.failed_deliveries,
        created_at=e.created_at,
    )


def with_secret(e: Endpoint) -> EndpointWithSecret:
    return EndpointWithSecret(**endpoint_out(e).model_dump(), secret=e.secret)


def delivery_out(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        delivery_id=d.delivery_id,
        event_type=d.event_type,
        status=d.status.value,
        attempts=d.attempts,
        response_code=d.response_code,
        latency_ms=d.latency_ms,
        last_error=d.last_error,
        created_at=_iso(d.created_at),
        next_attempt_at=None if d.next_attempt_at is None else _iso(d.next_attempt_at),
    )


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
