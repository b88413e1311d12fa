"""Checkout API bodies: what a shopper sends to check out, and the checkout's progress as they poll it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.accounts.contracts.auth import Email
from nozzly.customers.contracts.customers import Text
from nozzly.customers.domain.customers import AddressFields
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.kernel.contracts.urls import WebUrl
from nozzly.orders.contracts.sale import CheckoutLineOut, TotalsOut, totals_out
from nozzly.sales.domain.checkout import Checkout, PaymentMethod, status_path

Method = Literal["stripe_payment_intent", "stripe_checkout_session", "square_card", "cash_on_delivery"]


class ShippingAddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(description="Who receives the parcel.")
    line1: Text
    line2: Text | None = None
    city: Text
    region: Text | None = None
    postal_code: Text
    country: Text = Field(description="ISO 3166-1 alpha-2; the store must have a tax rate for it.")
    phone: Text | None = None

    def fields(self) -> AddressFields:
        return AddressFields(**self.model_dump())


class CheckoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email = Field(description="Where the order confirmation goes.")
    shipping_address: ShippingAddressIn
    billing_address: ShippingAddressIn | None = Field(
        default=None, description="Where the invoice is addressed; absent: the same as the shipping address."
    )
    shipping_method: str = Field(min_length=1, max_length=40, examples=["standard"])
    payment_method: Method
    source_token: str | None = Field(
        default=None, max_length=512, description="square_card: the Web Payments SDK card token."
    )
    return_url: WebUrl | None = Field(
        default=None, description="stripe_checkout_session: where the hosted page returns to (http or https)."
    )


class GuestCheckoutIn(CheckoutIn):
    session_id: str = Field(min_length=1, max_length=64, description="The guest session whose cart is bought.")


class PaymentOut(BaseModel):
    provider: str
    payment_id: str
    client_secret: str | None = Field(description="stripe_payment_intent: confirm it with Stripe Elements.")
    redirect_url: str | None = Field(description="stripe_checkout_session: send the shopper here.")


class CheckoutOut(BaseModel):
    id: str
    status: str = Field(description="processing, reserved, awaiting_payment, placed or failed.")
    reason: str | None = Field(description="Why it failed, for the shopper to read.")
    order_number: int | None
    payment_method: str
    payment: PaymentOut | None
    items: list[CheckoutLineOut]
    shipping_method: str
    totals: TotalsOut
    status_url: str = Field(description="Poll it until status is awaiting_payment, placed or failed.")
    tracking_token: str | None = Field(
        default=None,
        description="Once placed (GET only): the order's tracking token, with which its guest follows it live on "
        "the WebSocket API (`?room=order:{store}:{id}&token=...`). Keep it secret; null before then, or with no key "
        "configured.",
    )


def checkout_out(checkout: Checkout) -> CheckoutOut:
    p = checkout.payment
    return CheckoutOut(
        id=checkout.checkout_id,
        status=checkout.status.value,
        reason=checkout.reason,
        order_number=checkout.order_number,
        payment_method=checkout.payment_method.value,
        payment=PaymentOut(
            provider=p.provider.value,
            payment_id=p.payment_id,
            client_secret=p.client_secret,
            redirect_url=p.redirect_url,
        )
        if p
        else None,
        items=[
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
            for x in checkout.lines
        ],
        shipping_method=checkout.shipping.method_id,
        totals=totals_out(checkout.totals),
        status_url=status_path(checkout.store_id, checkout.checkout_id),
    )


def payment_method(value: Method) -> PaymentMethod:
    return PaymentMethod(value)
