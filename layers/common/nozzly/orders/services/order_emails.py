"""Emails that follow orders, sent from domain events (EventBridge -> OrderEmails), each at most once.

A failed send raises after giving its claim back, so EventBridge retries it (and finally parks the event in
the dead-letter queue); the order itself never depends on an email.

The confirmation, shipped and delivered emails are email flows the store controls (marketing/domain/flows.py):
their subject and opening line are the store's words; shipped and delivered turned off are not sent (nothing
is claimed, so a redelivered event still finds them off); the confirmation is a legal duty and always goes,
its switch only dropping the store's words. Each sent one counts towards its flow's `sent`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.marketing.domain.flows import first_name
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.messaging.emails.branding import brand, order_number
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.emails import order_confirmation, orders
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository

CONFIRMATION = "order_confirmation"
FLOWS = frozenset({CONFIRMATION, "order_shipped", "order_delivered"})  # templates that are flows of the same key

# Event detail-type -> (template, context builder, the claim's reference within the order). Each detail carries
# store_id and order_id; ShipmentCreated adds shipment_id, carrier, tracking_number, tracking_url;
# OrderRefunded adds refund_id and amount (minor units); OrderCancelled may add reason.
Words = tuple[str, str] | None
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
    flows: EmailFlowsRepository
    clock: Callable[[], float] = field(default=time.time)

    def _words(self, kind: str, order: dict[str, Any], store: Store, settings: dict[str, Any] | None) -> Words:
        """The flow's (subject, intro) for this order; None: the store turned the flow off. Not a flow: ("", "")."""
        if kind not in FLOWS:
            return "", ""
        branding = brand(store, settings)
        values = {
            "store_name": str(branding["name"]),
            "first_name": first_name((order.get("shipping_address") or {}).get("name")),
            "order_number": order_number(int(order["number"]), branding),
        }
        return self.flows.flows(store.store_id)[kind].words(values)

    def _send(self, kind: str, ref: str, order: dict[str, Any], store: Store, build: Callable[..., Any]) -> str:
        """Claim, build (with the flow's words), send, record, count; the claim goes back if the send fails."""
        store_id = store.store_id
        settings = self.settings.email_settings(store_id)
        words = self._words(kind, order, store, settings)
        if words is None:
            return "flow off"
        to = str(order["email"])
        if not self.sent.claim(store_id, kind, ref, to, self.clock()):
            return "already sent"
        try:
            context = build(settings)
            if kind in FLOWS:
                context |= {"subject": words[0], "intro": words[1]}
            message_id = self.mailer.send(to, render(kind, context))
        except Exception:
            self.sent.release(store_id, kind, ref)  # EventBridge's retry sends it
            raise
        self.sent.sent(store_id, kind, ref, message_id)
        if kind in FLOWS:
            self.flows.count_sent(store_id, kind)
        return "sent"

    def order_placed(self, store_id: str, order_id: str) -> str:
        order = self.orders.get_data(store_id, order_id)
        store = self.stores.find(store_id)
        if order is None or store is None:
            logger.warning("order placed but not found", extra={"store_id": store_id, "order_id": order_id})
            return "ignored"
        outcome = self._send(
            CONFIRMATION, order_id, order, store, lambda settings: order_confirmation.context(order, store, settings)
        )
        if outcome == "sent":
            logger.info("order confirmation sent", extra={"store_id": store_id, "order_id": order_id})
        return outcome

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
        outcome = self._send(template, ref, order, store, lambda settings: build(order, store, settings, detail))
        if outcome == "sent":
            logger.info("order email sent", extra={"store_id": store_id, "order_id": order_id, "email": template})
        return outcome
