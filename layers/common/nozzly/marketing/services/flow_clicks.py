"""Clicks and conversions of the flows' emails: the redirect route follows a tracked link (counting its first
click), and each placed order is credited to its address's click of the last 7 days (marketing/domain/flow_stats).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.domain.errors import NotFound
from nozzly.marketing.adapters.flow_links import FlowLinks
from nozzly.marketing.domain.flow_stats import converts, parse_token
from nozzly.observability import logger


@dataclass(frozen=True)
class FlowClicks:
    links: FlowLinks
    clock: Callable[[], float] = field(default=time.time)

    def follow(self, token: str) -> str:
        """Where the tracked link `token` goes (its first click counted); 404 for an unknown or expired one."""
        parsed = parse_token(token)
        link = self.links.get(*parsed, self.clock()) if parsed else None
        if link is None:
            raise NotFound("this link is unknown or has expired", field="token")
        try:
            self.links.first_click(link, self.clock())
        except Exception:  # a click not counted must never keep the shopper from where the email sends them
            logger.exception("a flow click could not be counted", extra={"store_id": link.store_id})
        return link.url

    def ordered(self, store_id: str, email: str, order_id: str, ordered_at: float) -> bool:
        """Credit an order to its address's latest click when within the window; True when it counted now."""
        click = self.links.latest_click(store_id, email)
        return click is not None and converts(click, ordered_at) and self.links.convert(click, order_id)
