"""Review requests (the `review_request` email flow): scheduled when an order is delivered (OrderDelivered ->
ReviewRequests), sent by the same function's hourly schedule once due, once per order.

Once per order twice over: scheduling is a conditional Put of the order's one request item, and sending claims
the order's `review_request` email (messaging/adapters/sent_emails.py) before it goes. At send time the flow
must still be on and the address must not have opted out of the store's marketing (the opt-out reminders
record, now store-wide); either way the request is handled and never looked at again. A failed send gives the
claim back and leaves the request pending: the next run tries again while the catch-up lasts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.messaging.emails.branding import brand, order_number
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.adapters.review_requests import ReviewRequestsRepository
from nozzly.orders.domain.review_requests import KIND, PendingReview, due_days, review_url, too_late
from nozzly.orders.emails.review_request import review_request
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.domain.cart_reminders import new_optout_token, optout_url
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0  # flow off, opted out, too late, order or store gone, sent already
    failed: int = 0
    complete: bool = True

    def as_dict(self) -> dict[str, int | bool]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed, "complete": self.complete}


@dataclass(frozen=True)
class ReviewRequests:
    orders: OrdersRepository
    requests: ReviewRequestsRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    flows: EmailFlowsRepository
    optouts: CartRemindersRepository
    sent: SentEmails
    mailer: Mailer
    api_url: str  # the review and opt-out links' base for stores without a storefront
    clock: Callable[[], float] = field(default=time.time)

    def delivered(self, store_id: str, order_id: str) -> str:
        """Schedule the order's request with the store's delay now; a second delivery event changes nothing."""
        flow = self.flows.flows(store_id)[KIND]
        if not flow.enabled:
            return "flow off"
        now = self.clock()
        due = int(now) + (flow.delay_seconds() or 0)
        return "scheduled" if self.requests.schedule(PendingReview(store_id, order_id, due), now) else "already"

    def run(self, now: float, out_of_time: Callable[[], bool] = lambda: False) -> RunReport:
        report = RunReport()
        for day in due_days(now):
            for request in self.requests.due(day, now):
                if out_of_time():
                    report.complete = False
                    return report
                self._one(request, now, report)
        return report

    def _one(self, request: PendingReview, now: float, report: RunReport) -> None:
        outcome = self._judge(request, now)
        if outcome is not None:
            self.requests.handled(request, outcome, now)
            report.skipped += 1
            return
        try:
            self._send(request, now)
        except Exception:
            logger.exception("a review request could not be sent", extra={"store_id": request.store_id})
            self.sent.release(request.store_id, KIND, request.order_id)
            report.failed += 1
            return
        self.requests.handled(request, "sent", now)
        report.sent += 1

    def _judge(self, request: PendingReview, now: float) -> str | None:
        """Why this request is not sent (None: send it)."""
        if too_late(request.due_at, now):
            return "too_late"
        if not self.flows.flows(request.store_id)[KIND].enabled:
            return "off"
        order = self.orders.get_data(request.store_id, request.order_id)
        if order is None or not order.get("email"):
            return "gone"
        reads = ReadSet()
        opted = reads.add(self.optouts.opted_out_read(request.store_id, str(order["email"])))
        if reads.fetch()[opted]:
            return "opted_out"
        if not self.sent.claim(request.store_id, KIND, request.order_id, str(order["email"]), now):
            return "sent_already"
        return None

    def _send(self, request: PendingReview, now: float) -> None:
        order = self.orders.get_data(request.store_id, request.order_id)
        store = self.stores.find(request.store_id)
        if order is None or store is None:
            raise LookupError("the order or its store went away while sending")
        settings = self.settings.email_settings(request.store_id)
        branding = brand(store, settings)
        base = (settings or {}).get("storefront_url")
        products = [str(line["product"]) for line in order["lines"] if line.get("product")]
        links = {p: review_url(store.store_id, request.order_id, p, base, self.api_url) for p in products}
        to = str(order["email"])
        token = new_optout_token()
        self.optouts.write_marketing_link(store.store_id, token, to, now)
        first_title = next((str(line["title"]) for line in order["lines"]), "")
        values = {
            "store_name": str(branding["name"]),
            "first_name": str((order.get("shipping_address") or {}).get("name") or "").split(" ")[0],
            "order_number": order_number(int(order["number"]), branding),
            "product_title": first_title,
        }
        words = self.flows.flows(request.store_id)[KIND].render(values)
        context = review_request(
            order,
            store,
            settings,
            words=words,
            links=links,
            optout_url=optout_url(store.store_id, token, base, self.api_url),
        )
        message_id = self.mailer.send(to, render(KIND, context))
        self.sent.sent(request.store_id, KIND, request.order_id, message_id)
        self.flows.count_sent(request.store_id, KIND)
        logger.info("review request sent", extra={"store_id": request.store_id, "order_id": request.order_id})
