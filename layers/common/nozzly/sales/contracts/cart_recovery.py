"""Recovering a cart from a reminder email's link: the token (and the guest session, if the browser has one) in,
the cart and what could not be restored out."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nozzly.kernel.contracts.money import MoneyOut
from nozzly.sales.contracts.carts import CartOut, cart_out
from nozzly.sales.domain.cart_recovery import NotRestored, Recovered, Repriced, Shortfall

REASONS = ", ".join(reason.value for reason in Shortfall)


class RecoverIn(BaseModel):
    token: str = Field(
        min_length=1, max_length=64, description="The token of a reminder email's cart link (its `token=`)."
    )


class GuestRecoverIn(RecoverIn):
    session_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The guest session the browser has: its cart gets the lines. Left out: a new guest session is "
        "started (as POST /stores/{store}/sessions, with its limit per IP) and named in the answer.",
    )


class NotRestoredOut(BaseModel):
    id: str = Field(description="The line's id: '{product}:{variant}'.")
    product: str
    sku: str
    title: str
    variant_title: str
    wanted: int = Field(description="The quantity the reminder showed.")
    in_cart: int = Field(description="How many of it the cart holds now.")
    reason: str = Field(description=f"Why not (all of it): {REASONS}.")


class RepricedOut(BaseModel):
    id: str
    title: str
    unit_price_then: MoneyOut = Field(description="The price the reminder showed.")
    unit_price_now: MoneyOut = Field(description="Today's price, at which the line was restored.")


class RecoveredOut(BaseModel):
    session_id: str | None = Field(description="The guest session holding the cart (null for a shopper's cart).")
    cart: CartOut
    not_restored: list[NotRestoredOut] = Field(description="Lines of the reminder not (or not fully) restored.")
    repriced: list[RepricedOut] = Field(description="Restored lines whose price changed since the reminder.")


def _missing(missing: NotRestored) -> NotRestoredOut:
    line = missing.line
    return NotRestoredOut(
        id=line.item_id,
        product=line.product_slug,
        sku=line.sku,
        title=line.title,
        variant_title=line.variant_title,
        wanted=line.quantity,
        in_cart=missing.in_cart,
        reason=missing.reason.value,
    )


def _repriced(repriced: Repriced) -> RepricedOut:
    line = repriced.line
    return RepricedOut(
        id=line.item_id,
        title=line.title,
        unit_price_then=MoneyOut.of(line.unit_price),
        unit_price_now=MoneyOut.of(repriced.price_now),
    )


def recovered_out(recovered: Recovered) -> RecoveredOut:
    restoration = recovered.restoration
    return RecoveredOut(
        session_id=recovered.session_id,
        cart=cart_out(recovered.cart),
        not_restored=[_missing(m) for m in restoration.not_restored],
        repriced=[_repriced(r) for r in restoration.repriced],
    )
