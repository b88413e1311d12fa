"""Recovering a cart from a reminder email's link (public: the token is the secret): the lines the email showed,
judged again, go into the caller's cart: a shopper's, the guest session's the browser still has, or a new guest
session's (started here like POST /stores/{store}/sessions, with its per-IP limit) when it has none.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.accounts.services.guest_sessions import GuestSessions
from nozzly.kernel.domain.errors import NotFound
from nozzly.observability import logger
from nozzly.sales.adapters.cart_recovery_links import CartRecoveryLinks
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.domain.cart_recovery import (
    UNKNOWN,
    Recovered,
    RecoveryLink,
    looks_like_recovery_token,
    token_hash,
)
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.services.carts import CartService


@dataclass(frozen=True)
class CartRecovery:
    links: CartRecoveryLinks
    carts: CartService
    reminders: CartRemindersRepository
    sessions: GuestSessions
    clock: Callable[[], float] = field(default=time.time)

    def recover(self, store_id: str, token: str, whose: CartOf | None, ip: str) -> Recovered:
        """Into `whose` (None: a guest without a session, who gets a new one). 404 naming `token` for a link this
        store never sent (`not_found`) or one past its life (`link_expired`), before any session is started."""
        link = self._link(store_id, token)
        if whose is None:
            whose = CartOf(CartOwner.GUEST, self.sessions.start(store_id, ip).session_id)
        snapshot, restoration = self.carts.restore(store_id, whose, link.lines)
        if snapshot.cart.cart_id != link.cart_id:
            # The shopper is back, in another cart: the old one's later reminders would remind them of a cart they
            # left for this one (and would do so after they buy it). Its own later changes remind again.
            self.reminders.drop_if_untouched(store_id, link.cart_id, link.touched_at)
        logger.info(
            "cart recovered from a reminder",
            extra={"store_id": store_id, "changed": restoration.changed, "missing": len(restoration.not_restored)},
        )
        session = whose.owner_id if whose.owner is CartOwner.GUEST else None
        return Recovered(session, snapshot, restoration)

    def _link(self, store_id: str, token: str) -> RecoveryLink:
        link = self.links.find(store_id, token_hash(token)) if looks_like_recovery_token(token) else None
        if link is None:
            raise NotFound(UNKNOWN, field="token")
        return link.usable(self.clock())
