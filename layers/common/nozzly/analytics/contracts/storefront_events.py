"""Bodies of POST /stores/{store}/events: a batch of storefront events, one model per `type`.

There is no `purchase` type: sales are counted from orders, never from what a browser says.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from nozzly.analytics.domain.visits import (
    MAX_BATCH,
    MAX_PATH_LENGTH,
    MAX_QUERY_LENGTH,
    EventType,
    StorefrontEvent,
    checked_path,
    checked_query,
)
from nozzly.kernel.domain.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG_LENGTH)]
At = Annotated[
    AwareDatetime | None,
    Field(description="When the browser saw it (RFC 3339). Ignored: the server's clock decides the day."),
]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: At = None

    def to_domain(self) -> StorefrontEvent:
        raise NotImplementedError


class PageViewEvent(_Event):
    type: Literal["page_view"]
    path: Annotated[str, Field(min_length=1, max_length=MAX_PATH_LENGTH), AfterValidator(checked_path)] = Field(
        description="The page's path, e.g. /collections/blades (query and fragment are cut off)."
    )

    def to_domain(self) -> StorefrontEvent:
        return StorefrontEvent(EventType.PAGE_VIEW)


class ProductViewEvent(_Event):
    type: Literal["product_view"]
    product: Slug = Field(description="The product's slug.")
    variant: Slug | None = Field(default=None, description="The variant shown, if one was chosen.")

    def to_domain(self) -> StorefrontEvent:
        return StorefrontEvent(EventType.PRODUCT_VIEW, self.product)


class SearchEvent(_Event):
    type: Literal["search"]
    query: Annotated[str, Field(min_length=1, max_length=MAX_QUERY_LENGTH), AfterValidator(checked_query)] = Field(
        description="What the shopper searched for."
    )

    def to_domain(self) -> StorefrontEvent:
        return StorefrontEvent(EventType.SEARCH)


class AddToCartEvent(_Event):
    type: Literal["add_to_cart"]
    product: Slug = Field(description="The product's slug.")
    variant: Slug | None = Field(default=None, description="The variant added.")

    def to_domain(self) -> StorefrontEvent:
        return StorefrontEvent(EventType.ADD_TO_CART, self.product)


class CheckoutStartedEvent(_Event):
    type: Literal["checkout_started"]

    def to_domain(self) -> StorefrontEvent:
        return StorefrontEvent(EventType.CHECKOUT_STARTED)


Event = Annotated[
    PageViewEvent | ProductViewEvent | SearchEvent | AddToCartEvent | CheckoutStartedEvent, Field(discriminator="type")
]


class EventsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(min_length=1, max_length=MAX_BATCH, description=f"1 to {MAX_BATCH} events.")

    def to_domain(self) -> list[StorefrontEvent]:
        return [event.to_domain() for event in self.events]


class EventsAccepted(BaseModel):
    accepted: int = Field(description="Events counted.")
    dropped: int = Field(
        description="Events left out: all of a robot's, and those naming a product the store does not sell."
    )
