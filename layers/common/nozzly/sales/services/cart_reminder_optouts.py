"""Opting out of a store's abandoned-cart reminders with the token of a reminder email's link (public: the token
is the secret). The address gets no reminder from that store again, for this cart or any later one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.domain.errors import NotFound
from nozzly.observability import logger
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.domain.cart_reminders import looks_like_optout_token

UNKNOWN = "no such opt-out link: use the link of a reminder email from this store"


@dataclass(frozen=True)
class ReminderOptOuts:
    reminders: CartRemindersRepository
    clock: Callable[[], float] = field(default=time.time)

    def opt_out(self, store_id: str, token: str) -> None:
        """404 for a token this store never sent (nothing changes); repeating a known one changes nothing."""
        now = self.clock()
        link = self.reminders.link(store_id, token, now) if looks_like_optout_token(token) else None
        if link is None:
            raise NotFound(UNKNOWN, field="token")
        self.reminders.opt_out(link, now)
        logger.info("cart reminders opted out", extra={"store_id": store_id})
