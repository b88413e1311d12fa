"""POST /stores/{store}/events: a storefront's batch of analytics events, counted on the store's local day."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.domain.accounts import Action, windows
from nozzly.analytics.adapters.visits import VisitsRepository
from nozzly.analytics.domain.calendar import local_day, zone
from nozzly.analytics.domain.visits import (
    StorefrontEvent,
    is_bot,
    on_sale_only,
    tally,
    token_subject,
    visitor_key,
)
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.stores.adapters.stores import StoresRepository


@dataclass(frozen=True, slots=True)
class Caller:
    """What the request says about who sent it; none of it is verified (the route is public)."""

    ip: str
    user_agent: str | None
    session: str | None = None  # the guest session id (X-Session-Id header)
    token: str | None = None  # a shopper's bearer token


@dataclass(frozen=True, slots=True)
class Recorded:
    accepted: int
    dropped: int


@dataclass(frozen=True)
class StorefrontEvents:
    stores: StoresRepository
    timezone: Callable[[str], str]  # the store's IANA zone (StoreSettingsRepository.timezone)
    visits: VisitsRepository
    throttle: Throttle
    catalog: CatalogRepository
    clock: Callable[[], float] = field(default=time.time)

    def record(self, store_id: str, events: Sequence[StorefrontEvent], caller: Caller) -> Recorded:
        """404 for an unknown or closed store; a robot's batch is dropped whole, silently (nothing is written and
        nothing is throttled); 429 past the visitor's or the IP's batches per minute. Events naming a product the
        store does not sell (unknown, draft, archived, deleted) are dropped too."""
        self.stores.get(store_id)
        if is_bot(caller.user_agent):
            return Recorded(accepted=0, dropped=len(events))
        visitor = visitor_key(
            store_id,
            shopper=token_subject(caller.token),
            session=caller.session,
            ip=caller.ip,
            user_agent=caller.user_agent or "",
        )
        now = self.clock()
        self.throttle.take(windows(Action.EVENTS, f"{store_id}#{visitor}", caller.ip, now), now)
        slugs = {e.product for e in events if e.product}
        products = self.catalog.products_by_slug(store_id, slugs) if slugs else {}
        kept, unknown = on_sale_only(events, {slug for slug, p in products.items() if p.is_published})
        if kept:
            day = local_day(now, zone(self.timezone(store_id)))
            self.visits.record(store_id, tally(kept, day=day, visitor=visitor))
        return Recorded(accepted=len(kept), dropped=unknown)
