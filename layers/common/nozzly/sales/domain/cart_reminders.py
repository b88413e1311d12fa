"""Abandoned-cart reminders: a cart with items and a known email, untouched for 1 h, 24 h and 72 h, gets one
reminder at each of those stages, never after it became an order.

Pure Python. The cart itself lives only 24 h after its last change, so what a reminder shows is a snapshot
taken with every change of the cart (its lines at the prices the shopper saw). A change starts the stages
over: the snapshot is new, and so is `touched_at`.

Reminders are marketing email, so each carries a one-click opt-out: a random token, minted for the snapshot's
first email and kept while the cart's reminders go to the same address. An opted-out address gets no reminder
from that store again, whatever the cart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nozzly.kernel.domain.money import Money
from nozzly.marketing.domain.flows import FLOWS, FlowSetting
from nozzly.marketing.domain.optouts import (  # the store-wide opt-out, owned by marketing; re-exported here
    OPTOUT_LINK_TTL_SECONDS,
    looks_like_optout_token,
    new_optout_token,
    optout_url,
)
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

__all__ = [
    "CATCH_UP_HOURS", "DEFAULT_DELAYS", "HOUR", "OPTOUT_LINK_TTL_SECONDS", "REMINDER_TTL_SECONDS", "STAGES",
    "STAGE_FLOWS", "Reminder", "earliest_delay", "looks_like_optout_token", "new_optout_token", "optout_url",
    "snapshot", "stage_delays", "stage_due", "touch_hours",
]  # fmt: skip

HOUR = 3600
STAGES = (1, 24, 72)  # hours untouched by default; each is sent at most once per snapshot
# Each stage is an email flow the store controls (on/off, its delay within the flow's bounds, its words).
STAGE_FLOWS = {1: "abandoned_cart_1h", 24: "abandoned_cart_24h", 72: "abandoned_cart_72h"}
DEFAULT_DELAYS = {stage: stage for stage in STAGES}
# A stage is still sent this long after it fell due (a missed or failed run catches up); later it is skipped,
# as a "you left something an hour ago" email a day late would be wrong. Shorter than any gap between stages,
# so one run never sends two stages of one cart.
CATCH_UP_HOURS = 6
# The snapshot (and the email it goes to) outlives the last stage by a few days, then TTL removes it.
REMINDER_TTL_SECONDS = 7 * 24 * HOUR


@dataclass(frozen=True, slots=True)
class Reminder:
    """What a cart's reminders need once the cart is gone: where to, and what it held when last touched.

    With no lines it only remembers the email (a guest who gave one before adding anything)."""

    store_id: str
    owner: CartOwner
    owner_id: str
    email: str
    currency: str
    lines: tuple[CartLine, ...]
    touched_at: int  # the cart's last change this snapshot shows
    cart_version: int  # of that change: with touched_at, tells this snapshot from any later one
    expires_at: int
    checkout: str | None = None  # a checkout started from this snapshot: no reminder unless it failed
    reminded: frozenset[int] = frozenset()  # stages claimed (sent or being sent)
    optout_token: str | None = None  # in every email of this cart to this address; minted by the first one

    @property
    def cart_id(self) -> str:
        return f"{self.owner.value}:{self.owner_id}"

    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total += line.unit_price * line.quantity
        return total

    def as_cart(self) -> Cart:
        """The cart as it was when touched (what the email template shows)."""
        return Cart(
            store_id=self.store_id,
            owner=self.owner,
            owner_id=self.owner_id,
            currency=self.currency,
            lines=self.lines,
            updated_at=self.touched_at,
            version=self.cart_version,
        )


def snapshot(cart: Cart, email: str, now: float, previous: Reminder | None = None) -> Reminder:
    """The reminder a stored cart (at its new version) gets: every stage open again. The opt-out token of the
    cart's previous snapshot is kept while the address is the same (a token never opts out another address)."""
    return Reminder(
        store_id=cart.store_id,
        owner=cart.owner,
        owner_id=cart.owner_id,
        email=email,
        currency=cart.currency,
        lines=cart.lines,
        touched_at=cart.updated_at,
        cart_version=cart.version,
        expires_at=int(now) + REMINDER_TTL_SECONDS,
        optout_token=previous.optout_token if previous is not None and previous.email == email else None,
    )


def stage_delays(flows: Mapping[str, FlowSetting]) -> dict[int, int]:
    """The hours untouched each stage the store has on waits for (a stage turned off is absent)."""
    return {stage: flows[key].delay or stage for stage, key in STAGE_FLOWS.items() if flows[key].enabled}


def stage_due(
    touched_at: int, now: float, reminded: frozenset[int] = frozenset(), delays: Mapping[int, int] = DEFAULT_DELAYS
) -> int | None:
    """The stage a snapshot touched at `touched_at` is due for at `now`, if any and not yet reminded, given the
    store's delays by stage (the flows' bounds keep the windows apart: one run never sends two stages)."""
    idle = now - touched_at
    for stage in STAGES:
        delay = delays.get(stage)
        if delay is None or stage in reminded:
            continue
        if delay * HOUR <= idle < (delay + CATCH_UP_HOURS) * HOUR:
            return stage
    return None


def earliest_delay(stage: int) -> int:
    """The fewest hours untouched any store may set for `stage`: the job's queries reach no newer snapshot."""
    bounds = FLOWS[STAGE_FLOWS[stage]].delay
    return bounds.minimum if bounds else stage


def touch_hours(stage: int, now: float) -> range:
    """The UTC hours (epoch seconds // 3600) whose snapshots may be due for `stage` at `now` in some store: from
    the oldest the latest allowed delay's catch-up still reaches up to the hour holding `now - earliest delay`."""
    bounds = FLOWS[STAGE_FLOWS[stage]].delay
    latest = bounds.maximum if bounds else stage
    last = int(now - earliest_delay(stage) * HOUR) // HOUR
    first = int(now - (latest + CATCH_UP_HOURS) * HOUR) // HOUR
    return range(first, last + 1)
