"""Emails that follow orders, sent from domain events (EventBridge -> OrderEmails), each at most once.

A failed send raises after giving its claim back, so EventBridge retries it (and finally parks the event in
the dead-letter queue); the order itself never depends on an email.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.emails import order_confirmation, orders
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository

CONFIRMATION = "order_confirmation"

# Event detail-type -> (template, context builder, the claim's reference within the order). Each detail carries
# store_id and order_id; ShipmentCreated adds shipment_id, carrier, tracking_number, tracking_url;
# OrderRefunded adds refund_id and amount (minor units); OrderCancelled may add reason.
Builder = Callable[[dict[str, Any], Store, dict[str, Any] | None, dict[str, Any]], dict[str, Any]]
LIFECYCLE: dict[str, tuple[str, Builder, Callable[[dict[str, Any]], str]]] = {
    "PaymentReceived": ("payment_receipt", lambda o, s, e, d: orders.payment_receipt(o, s, e), lambda d: ""),
    "ShipmentCreated": ("order_shipped", orders.shipped, lambda d: str(d.get("shipment_id") or "")),
    "OrderDelivered": ("order_delivered", lambda o, s, e, d: orders.delivered(o, s, e), lambda d: ""),
    "OrderCancelled": ("order_cancelled", orders.cancelled, lambda d: ""),
    "OrderRefunded": ("order_refunded", orders.refunded, lambda d: str(d["refund_id"])),
}


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

    def on_event(self, detail_type: str, detail: dict[str, Any]) -> str:
        """One entry point for every order event the OrderEmails rule routes here."""
        store_id, order_id = str(detail["store_id"]), str(detail["order_id"])
        if detail_type == "OrderPlaced":
            return self.order_placed(store_id, order_id)
        if detail_type not in LIFECYCLE:
            raise ValueError(f"unexpected event {detail_type!r}")
        template, build, ref_of = LIFECYCLE[detail_type]
        order = self.orders.get_data(store_id, order_id)
        store = self.stores.find(store_id)
        if order is None or store is None:
            logger.warning("order event for an unknown order", extra={"store_id": store_id, "order_id": order_id})
            return "ignored"
        ref = f"{order_id}#{ref_of(detail)}" if ref_of(detail) else order_id
        to = str(order["email"])
        if not self.sent.claim(store_id, template, ref, to, self.clock()):
            return "already sent"
        try:
            email = render(template, build(order, store, self.settings.email_settings(store_id), detail))
            message_id = self.mailer.send(to, email)
        except Exception:
            self.sent.release(store_id, template, ref)  # EventBridge's retry sends it
            raise
        self.sent.sent(store_id, template, ref, message_id)
        logger.info("order email sent", extra={"store_id": store_id, "order_id": order_id, "email": template})
        return "sent"
