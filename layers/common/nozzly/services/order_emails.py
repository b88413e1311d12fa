"""Emails that follow orders, sent from domain events (EventBridge -> OrderEmails), each at most once.

A failed send raises after giving its claim back, so EventBridge retries it (and finally parks the event in
the dead-letter queue); the order itself never depends on an email.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.adapters.email import Mailer
from nozzly.adapters.orders import OrdersRepository
from nozzly.adapters.sent_emails import SentEmails
from nozzly.adapters.store_settings import StoreSettingsRepository
from nozzly.adapters.stores import StoresRepository
from nozzly.emails import order_confirmation
from nozzly.emails.render import render
from nozzly.observability import logger

CONFIRMATION = "order_confirmation"


@dataclass(frozen=True)
class OrderEmails:
    orders: OrdersRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    sent: SentEmails
    mailer: Mailer
    clock: Callable[[], float] = field(default=time.time)

    def order_placed(self, store_id: str, order_id: str) -> str:
        order = self.orders.get_data(store_id, order_id)
        store = self.stores.find(store_id)
        if order is None or store is None:
            logger.warning("order placed but not found", extra={"store_id": store_id, "order_id": order_id})
            return "ignored"
        to = str(order["email"])
        if not self.sent.claim(store_id, CONFIRMATION, order_id, to, self.clock()):
            return "already sent"
        try:
            settings = self.settings.email_settings(store_id)
            email = render(CONFIRMATION, order_confirmation.context(order, store, settings))
            message_id = self.mailer.send(to, email)
        except Exception:
            self.sent.release(store_id, CONFIRMATION, order_id)  # EventBridge's retry sends it
            raise
        self.sent.sent(store_id, CONFIRMATION, order_id, message_id)
        logger.info("order confirmation sent", extra={"store_id": store_id, "order_id": order_id})
        return "sent"
