"""Abandoned-cart reminders: a cart with items and a known email, untouched for 1 h, 24 h and 72 h, gets one
reminder at each of those stages, never after it became an order.

Pure Python. The cart itself lives only 24 h after its last change, so what a reminder shows is a snapshot
taken with every change of the cart (its lines at the prices the shopper saw). A change starts the stages
over: the snapshot is new, and so is `touched_at`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.domain.accounts import is_email, normalise_email
from nozzly.domain.carts import Cart, CartLine, CartOwner
from nozzly.domain.errors import InvalidInput
from nozzly.domain.money import Money

HOUR = 3600
STAGES = (1, 24, 72)  # hours untouched; each is sent at most once per snapshot
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


def snapshot(cart: Cart, email: str, now: float) -> Reminder:
    """The reminder a stored cart (at its new version) gets: every stage open again."""
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
    )


def checked_email(raw: str) -> str:
    email = normalise_email(raw)
    if not is_email(email):
        raise InvalidInput("this is not an email address", field="email")
    return email


def stage_due(touched_at: int, now: float, reminded: frozenset[int] = frozenset()) -> int | None:
    """The stage a snapshot touched at `touched_at` is due for at `now`, if any and not yet reminded."""
    idle = now - touched_at
    for stage in STAGES:
        if stage * HOUR <= idle < (stage + CATCH_UP_HOURS) * HOUR and stage not in reminded:
            return stage
    return None


def touch_hours(stage: int, now: float) -> range:
    """The UTC hours (epoch seconds // 3600) whose snapshots may be due for `stage` at `now`: the oldest a
    catch-up still reaches up to the hour holding `now - stage`."""
    last = int(now - stage * HOUR) // HOUR
    first = int(now - (stage + CATCH_UP_HOURS) * HOUR) // HOUR
    return range(first, last + 1)
