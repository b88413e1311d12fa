"""Manual order API body: what an operator sends to enter an order by hand (the answer is OperatorOrderOut)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from nozzly.accounts.contracts.auth import Email
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.domain.orders import Channel
from nozzly.sales.contracts.checkout import ShippingAddressIn
from nozzly.sales.domain.cart_limits import MAX_QUANTITY
from nozzly.sales.domain.manual_orders import MAX_LINES, MAX_NOTE, ManualOrderRequest, ManualPayment, WantedLine


class ManualLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(pattern=SLUG_PATTERN, max_length=120, description="The product's slug.")
    variant: str | None = Field(
        default=None, min_length=1, max_length=64, description="The variant's id; may be left out when there is one."
    )
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]


class ManualOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["manual", "pos"] = Field(
        default="manual", description="manual (phone, email) or pos (a sale at the counter)."
    )
    email: Email = Field(description="The customer's; the order confirmation goes here.")
    customer_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="A shopper account of this store (its id) whose email is `email`: the order shows in their "
        "account. Left out: a guest's order.",
    )
    lines: list[ManualLineIn] = Field(min_length=1, max_length=MAX_LINES)
    shipping_address: ShippingAddressIn = Field(description="Also decides the tax rate, as in a checkout.")
    shipping_method: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="One of the store's shipping methods; left out: handed over in person, no shipping charged.",
    )
    payment: Literal["awaiting_payment", "paid"] = Field(
        description="paid: taken already outside Nozzly (card terminal, cash); awaiting_payment: collected "
        "later, then POST .../orders/{order}/mark-paid."
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE)] | None = Field(
        default=None, description="Kept in the order's timeline.", examples=["ordered by phone"]
    )

    def request(self) -> ManualOrderRequest:
        return ManualOrderRequest(
            channel=Channel(self.channel),
            email=self.email,
            customer=self.customer_id,
            lines=tuple(WantedLine(x.product, x.variant, x.quantity) for x in self.lines),
            address=self.shipping_address.fields(),
            shipping_method=self.shipping_method,
            payment=ManualPayment(self.payment),
            note=self.note,
        )
