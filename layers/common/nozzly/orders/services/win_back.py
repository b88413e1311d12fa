"""Win-back emails (the `win_back` flow) and the flows' conversions, both fed by OrderPlaced (-> WinBack).

Each order records its address's last order (the window, due after the store's delay then) and credits the order
to the address's click of the last 7 days, if any (marketing/services/flow_clicks.py). The daily schedule sends
the win-backs due: at send time the flow must be on and the address must not have opted out of the store's
marketing; the window's sent-email claim makes a retried or overlapping run send nothing twice. A failed send
gives the claim back and leaves the window pending: the next run tries again while the catch-up lasts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.marketing.adapters.flow_links import FlowLinks
from nozzly.marketing.adapters.optouts import MarketingOptOuts
from nozzly.marketing.domain.flow_stats import new_link, tracked_url
from nozzly.marketing.domain.optouts import new_optout_token, optout_url
from nozzly.marketing.services.flow_clicks import FlowClicks
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.messaging.emails.branding import brand
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.adapters.win_backs import WinBacksRepository
from nozzly.orders.domain.win_back import KIND, LastOrder, due_days, last_order, shop_url, too_late
from nozzly.orders.emails.win_back import win_back
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0  # flow off, opted out, too late, store gone, sent already
    failed: int = 0
    complete: bool = True

    def as_dict(self) -> dict[str, int | bool]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed, "complete": self.complete}


@dataclass(frozen=True)
class WinBack:
    orders: OrdersRepository
    windows: WinBacksRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    flows: EmailFlowsRepository
    links: FlowLinks
    clicks: FlowClicks
    optouts: MarketingOptOuts
    sent: SentEmails
    mailer: Mailer
    api_url: str  # the shop and opt-out links' base for stores without a storefront; the tracked links' always
    clock: Callable[[], float] = field(default=time.time)

    def order_placed(self, store_id: str, order_id: str) -> dict[str, str | bool]:
        """The address's new window (the store's delay now) and the order's credit to a recent click."""
        order = self.orders.get_data(store_id, order_id)
        if order is None or not order.get("email"):
            return {"window": "ignored", "converted": False}
        email, at = str(order["email"]), int(order["created_at"])
        delay = self.flows.flows(store_id)[KIND].delay_seconds() or 0
        opened = self.windows.ordered(last_order(store_id, email, at, delay), self.clock())
        converted = self.clicks.ordered(store_id, email, order_id, at)
        return {"window": "opened" if opened else "older", "converted": converted}

    def run(self, now: float, out_of_time: Callable[[], bool] = lambda: False) -> RunReport:
        report = RunReport()
        for day in due_days(now):
            for last in self.windows.due(day, now):
                if out_of_time():
                    report.complete = False
                    return report
                self._one(last, now, report)
        return report

    def _one(self, last: LastOrder, now: float, report: RunReport) -> None:
        outcome = self._judge(last, now)
        if outcome is not None:
            self.windows.handled(last, outcome, now)
            report.skipped += 1
            return
        try:
            self._send(last, now)
        except Exception:
            logger.exception("a win-back could not be sent", extra={"store_id": last.store_id})
            self.sent.release(last.store_id, KIND, last.window)
            report.failed += 1
            return
        self.windows.handled(last, "sent", now)
        report.sent += 1

    def _judge(self, last: LastOrder, now: float) -> str | None:
        """Why this win-back is not sent (None: send it)."""
        if too_late(last.due_at, now):
            return "too_late"
        if not self.flows.flows(last.store_id)[KIND].enabled:
            return "off"
        reads = ReadSet()
        opted = reads.add(self.optouts.opted_out_read(last.store_id, last.email))
        if reads.fetch()[opted]:
            return "opted_out"
        if not self.sent.claim(last.store_id, KIND, last.window, last.email, now):
            return "sent_already"
        return None

    def _send(self, last: LastOrder, now: float) -> None:
        store = self.stores.find(last.store_id)
        if store is None:
            raise LookupError("the store went away while sending")
        settings = self.settings.email_settings(last.store_id)
        base = (settings or {}).get("storefront_url")
        link = self.links.put(
            new_link(last.store_id, KIND, shop_url(last.store_id, base, self.api_url), last.email, now)
        )
        token = new_optout_token()
        self.optouts.write_link(last.store_id, token, last.email, now)
        words = self.flows.flows(last.store_id)[KIND].render(
            {"store_name": str(brand(store, settings)["name"]), "first_name": ""}
        )
        context = win_back(
            store,
            settings,
            words=words,
            shop_url=tracked_url(self.api_url, link),
            optout_url=optout_url(last.store_id, token, base, self.api_url),
        )
        message_id = self.mailer.send(last.email, render(KIND, context))
        self.sent.sent(last.store_id, KIND, last.window, message_id)
        self.flows.count_sent(last.store_id, KIND)
        logger.info("win-back sent", extra={"store_id": last.store_id})
