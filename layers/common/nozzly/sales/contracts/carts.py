"""Cart API bodies: adding, changing quantities, coupons, merging; the cart as the shopper sees it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt

from nozzly.accounts.contracts.auth import Email
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts.sale import TotalsOut, totals_out
from nozzly.sales.domain.cart_limits import MAX_QUANTITY
from nozzly.sales.domain.carts import CartQuote, CartSnapshot, LineView
from nozzly.stores.domain.zones import Destination

Quantity = Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)]


class AddItemIn(BaseModel):
    product: str = Field(pattern=SLUG_PATTERN, max_length=120, description="The product's slug.")
    variant_id: str | None = Field(
        default=None, max_length=64, description="Which variant; may be left out when the product has only one."
    )
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)] = 1


class SetQuantityIn(BaseModel):
    quantity: Quantity = Field(description="The line's new quantity; 0 removes it.")


class CartCouponIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)


class MergeIn(BaseModel):
    session_id: str = Field(min_length=1, max_length=64, description="The guest session whose cart joins this one.")


class EmailIn(BaseModel):
    email: Email = Field(description="Where reminders about this cart go if it is left with items.")


class OptOutIn(BaseModel):
    token: str = Field(
        min_length=1, max_length=64, description="The token of a reminder email's opt-out link (its `token=`)."
    )


class OptOutOut(BaseModel):
    opted_out: bool = Field(description="Always true: this address gets no more cart reminders from this store.")


class LineOut(BaseModel):
    id: str = Field(description="The line's id in /items/{item}: '{product}:{variant}'.")
    variant_id: str
    product: str
    sku: str
    title: str
    variant_title: str
    quantity: int
    unit_price: MoneyOut = Field(description="The price when the item was added.")
    current_unit_price: MoneyOut | None = Field(description="Today's price; null when the item is no longer sold.")
    price_changed: bool
    line_total: MoneyOut | None = Field(description="quantity x today's price; null when no longer sold.")
    state: str = Field(description="available, low_stock (fewer left than wanted), out_of_stock or unavailable.")
    available: int = Field(description="How many can be bought now.")


class CartCouponOut(BaseModel):
    code: str
    problem: str | None = Field(description="Why the code gives no discount now; null when it applies.")


class CartOut(BaseModel):
    currency: str
    items: list[LineOut]
    item_count: int
    coupon: CartCouponOut | None
    totals: TotalsOut
    expires_at: datetime | None = Field(description="24 hours after the last change; null for an empty new cart.")


def _line(view: LineView) -> LineOut:
    current = view.current_price
    return LineOut(
        id=view.line.item_id,
        variant_id=view.line.variant_id,
        product=view.line.product_slug,
        sku=view.line.sku,
        title=view.line.title,
        variant_title=view.line.variant_title,
        quantity=view.line.quantity,
        unit_price=MoneyOut.of(view.line.unit_price),
        current_unit_price=MoneyOut.of(current) if current else None,
        price_changed=view.price_changed,
        line_total=MoneyOut.of(current * view.line.quantity) if current else None,
        state=view.state.value,
        available=view.available,
    )


def cart_out(snapshot: CartSnapshot) -> CartOut:
    cart = snapshot.cart
    return CartOut(
        currency=cart.currency,
        items=[_line(v) for v in snapshot.lines],
        item_count=cart.item_count,
        coupon=CartCouponOut(code=cart.coupon, problem=snapshot.coupon_problem) if cart.coupon else None,
        totals=totals_out(snapshot.totals),
        expires_at=datetime.fromtimestamp(cart.expires_at, UTC) if cart.expires_at else None,
    )


class ShippingOptionOut(BaseModel):
    method: str = Field(examples=["standard"], description="Send it as shipping_method when checking out.")
    name: str
    price: MoneyOut
    delivery_days_min: int
    delivery_days_max: int
    totals: TotalsOut = Field(description="The cart's totals with this method, taxed for the destination.")


class ShippingOptionsOut(BaseModel):
    country: str
    region: str | None
    postal_code: str | None
    ships: bool = Field(description="False: the store does not ship this cart there (no option).")
    options: list[ShippingOptionOut]
    cart: CartOut


def shipping_options_out(to: Destination, quote: CartQuote) -> ShippingOptionsOut:
    return ShippingOptionsOut(
        country=to.country,
        region=to.region,
        postal_code=to.postal_code,
        ships=bool(quote.options),
        options=[
            ShippingOptionOut(
                method=q.method.method_id,
                name=q.method.name,
                price=MoneyOut.of(q.method.price),
                delivery_days_min=q.method.days_min,
                delivery_days_max=q.method.days_max,
                totals=totals_out(q.totals),
            )
            for q in quote.options
        ],
        cart=cart_out(quote.cart),
    )
