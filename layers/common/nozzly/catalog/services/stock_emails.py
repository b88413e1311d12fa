"""Stock emails from the bus (StockEmails) and back-in-stock subscriptions (POST .../back-in-stock).

LowStock -> the store's owner and admins (members with staff.manage-level roles; an owner's address comes from
the operator pool, as the team list gets it). BackInStock -> each subscriber once, then the subscription is
gone. Back in stock is a marketing email flow the store controls (marketing/domain/flows.py): turned off, or to
an address that opted out of the store's marketing, nothing is sent (the subscription still goes: its moment
passed); its subject and intro are the store's words, and each email carries its own opt-out link.

Every email is claimed before it is sent (sent_emails), so a redelivered event sends nothing twice; a failed send
gives its claim back and raises, so EventBridge retries (then the dead-letter queue).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import Action, ip_window
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions
from nozzly.catalog.domain.catalog import Store
from nozzly.catalog.emails import stock
from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.marketing.adapters.optouts import MarketingOptOuts
from nozzly.marketing.domain.optouts import new_optout_token, optout_url
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.messaging.emails.branding import brand
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Role

ALERTED_ROLES = (Role.OWNER, Role.ADMIN)
BACK_IN_STOCK = "back_in_stock"  # the email's template, sent-email kind and flow key


@dataclass(frozen=True)
class BackInStockSignup:
    catalog: CatalogRepository
    subscriptions: StockSubscriptions
    throttle: Throttle
    clock: Callable[[], float] = field(default=time.time)

    def subscribe(self, store_id: str, product_slug: str, variant_id: str, email: str, ip: str) -> None:
        """404 for an unknown product or variant (or one not on sale), 409 while the variant is in stock."""
        product = self.catalog.get_product(store_id, product_slug)
        if not product.is_published:
            raise NotFound(f"product {product_slug!r} not found", field="product")
        variant = next((v for v in product.variants if v.variant_id == variant_id), None)
        if variant is None:
            raise NotFound(f"variant {variant_id!r} not found", field="variant")
        if variant.available > 0:
            raise Conflict("this variant is in stock: buy it now", field="variant")
        now = self.clock()
        self.throttle.take([ip_window(Action.BACK_IN_STOCK, ip, now)], now)
        self.subscriptions.subscribe(store_id, product_slug, variant_id, email.strip().lower(), int(now))


@dataclass(frozen=True)
class StockEmails:
    stores: StoresRepository
    settings: StoreSettingsRepository
    members: MembersRepository
    operators: UserDirectory
    subscriptions: StockSubscriptions
    sent: SentEmails
    mailer: Mailer
    flows: EmailFlowsRepository
    optouts: MarketingOptOuts
    api_url: str  # the opt-out link's base for stores without a storefront
    clock: Callable[[], float] = field(default=time.time)

    def on_event(self, detail_type: str, detail: dict[str, Any]) -> dict[str, int]:
        store = self.stores.find(str(detail["store_id"]))
        if store is None:
            return {"sent": 0}
        if detail_type == "LowStock":
            to = self._team(store.store_id)
            email = render("low_stock", stock.low_stock(store, detail))
            ref = f"{detail['product']}#{detail['variant']}#{detail['at']}"
            return {"sent": sum(self._send(store.store_id, "low_stock", f"{ref}#{a}", a, email) for a in to)}
        if detail_type == "BackInStock":
            return {"sent": self._back_in_stock(store, detail)}
        raise ValueError(f"unexpected event {detail_type!r}")

    def _back_in_stock(self, store: Store, detail: dict[str, Any]) -> int:
        store_id, product, variant = store.store_id, str(detail["product"]), str(detail["variant"])
        settings = self.settings.email_settings(store_id)
        values = {"store_name": str(brand(store, settings)["name"]), "first_name": "", "product_title": detail["title"]}
        words = self.flows.flows(store_id)[BACK_IN_STOCK].words(values)
        addresses = self.subscriptions.subscribers(store_id, product, variant)
        reads = ReadSet()
        refs = {a: reads.add(self.optouts.opted_out_read(store_id, a)) for a in addresses}
        opted_out = reads.fetch() if words is not None and addresses else None
        sent = 0
        for address in addresses:
            if words is not None and opted_out is not None and not opted_out[refs[address]]:
                token = new_optout_token()
                self.optouts.write_link(store_id, token, address, self.clock())
                link = optout_url(store_id, token, (settings or {}).get("storefront_url"), self.api_url)
                email = render(
                    BACK_IN_STOCK, stock.back_in_stock(store, settings, detail, words=words, optout_url=link)
                )
                ref = f"{product}#{variant}#{detail['at']}#{address}"
                if self._send(store_id, BACK_IN_STOCK, ref, address, email):
                    self.flows.count_sent(store_id, BACK_IN_STOCK)
                    sent += 1
            self.subscriptions.remove(store_id, product, variant, address)
        return sent

    def _team(self, store_id: str) -> list[str]:
        found = []
        for member in self.members.of_store(store_id):
            if member.role not in ALERTED_ROLES or member.store_deleted:
                continue
            address = member.email
            if not address:  # owners open stores with a token that carries no email: their account says it
                user = self.operators.get(member.sub)
                address = user.email if user else ""
            if address:
                found.append(address)
        return sorted(set(found))

    def _send(self, store_id: str, kind: str, ref: str, to: str, email: Any) -> int:
        if not self.sent.claim(store_id, kind, ref, to, self.clock()):
            return 0
        try:
            message_id = self.mailer.send(to, email)
        except Exception:
            self.sent.release(store_id, kind, ref)
            raise
        self.sent.sent(store_id, kind, ref, message_id)
        logger.info("stock email sent", extra={"store_id": store_id, "email": kind})
        return 1
