"""The abandoned-cart reminder job (CartReminders, on a schedule): for each stage (1 h, 24 h, 72 h) the touch
hours that may be due are queried (never a scan), and each snapshot still untouched and not yet reminded at
that stage gets one `abandoned_cart` email.

Each stage is an email flow the store controls (marketing/domain/flows.py): a stage turned off is not sent, a
stage's delay is the store's, and its subject and opening line are the store's words. The touch hours read
reach the widest delay any store may set, and each snapshot is judged with its own store's delays.

Each stage is claimed before its email is sent (a conditional update on the snapshot read), so overlapping
or repeated runs send it once, and a cart touched meanwhile is not reminded of its old lines. A failed send
gives the claim back and the next run tries again while the stage is due; it never stops the run. A snapshot
whose checkout is under way or placed is skipped (the order step deletes it with the cart; until then the
checkout says so); one whose checkout failed is reminded of like any other.

Claimed reminders are sent in batches of up to 25: one BatchGetItem reads whether their addresses opted out of
the store's reminders (an opted-out one is not sent, and its snapshot goes), one BatchWriteItem writes the
opt-out links of the rest and one their cart links (a new token per email: sales/domain/cart_recovery.py), then
each email goes out with both links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.marketing.domain.flows import FlowSetting
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.emails.branding import brand
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.sales.adapters.cart_recovery_links import CartRecoveryLinks
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository, DueReminder
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.domain.cart_recovery import RecoveryLink, new_recovery_token, recovery_url, token_hash
from nozzly.sales.domain.cart_reminders import (
    HOUR,
    STAGE_FLOWS,
    STAGES,
    Reminder,
    earliest_delay,
    new_optout_token,
    optout_url,
    stage_delays,
    stage_due,
    touch_hours,
)
from nozzly.sales.domain.checkout import CheckoutStatus
from nozzly.sales.emails.carts import abandoned_cart
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository

TEMPLATE = "abandoned_cart"
BATCH = 25  # claimed reminders sent together (BatchWriteItem's limit); a few seconds of sending at most

Shop = tuple[Store, dict[str, Any] | None, dict[str, FlowSetting]]  # the store, its email settings, its flows
Claimed = tuple[DueReminder, int, Reminder, Shop]  # a reminder whose stage this run claimed, to send


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0  # claimed elsewhere, touched meanwhile, ordered or in checkout, store closed, opted out
    failed: int = 0  # the send failed: the claim was given back for the next run
    complete: bool = True  # False: time ran out; the next run carries on

    def as_dict(self) -> dict[str, int | bool]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed, "complete": self.complete}


@dataclass(frozen=True)
class CartReminderSender:
    reminders: CartRemindersRepository
    checkouts: CheckoutsRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    mailer: Mailer
    api_url: str  # the opt-out and cart links' base for stores without a storefront
    recovery_links: CartRecoveryLinks
    flows: EmailFlowsRepository

    def run(self, now: float, out_of_time: Callable[[], bool] = lambda: False) -> RunReport:
        report = RunReport()
        shops: dict[str, Shop | None] = {}
        claimed: list[Claimed] = []
        for stage in STAGES:
            for hour in touch_hours(stage, now):
                for due in self.reminders.due_in_hour(hour * HOUR, stage, now - earliest_delay(stage) * HOUR):
                    if out_of_time():
                        report.complete = False
                        self._send_all(claimed, now, report)
                        return report
                    taken = self._claim(due, stage, now, shops, report)
                    claimed += [taken] if taken else []
                    if len(claimed) >= BATCH:
                        self._send_all(claimed, now, report)
                        claimed = []
        self._send_all(claimed, now, report)
        return report

    def _claim(
        self,
        due: DueReminder,
        stage: int,
        now: float,
        shops: dict[str, Shop | None],
        report: RunReport,
    ) -> Claimed | None:
        if due.store_id not in shops:
            store = self.stores.find(due.store_id)
            shops[due.store_id] = (
                (store, self.settings.email_settings(due.store_id), self.flows.flows(due.store_id)) if store else None
            )
        shop = shops[due.store_id]
        if shop is None or not shop[0].is_open:
            report.skipped += 1
            return None
        # Not due with this store's delays (or the stage is off): left unclaimed, so turning it back on or a
        # longer delay still finds it.
        if stage_due(due.touched_at, now, due.reminded, stage_delays(shop[2])) != stage or self._ordering(due):
            report.skipped += 1
            return None
        reminder = self.reminders.claim(due, stage, now, new_optout_token())
        if reminder is None:
            report.skipped += 1
            return None
        return due, stage, reminder, shop

    def _send_all(self, claimed: list[Claimed], now: float, report: RunReport) -> None:
        if not claimed:
            return
        try:
            sending = self._not_opted_out(claimed, report)
            self.reminders.write_links([r for _, _, r, _ in sending], now)
            tokens = [new_recovery_token() for _ in sending]
            self.recovery_links.write([_recovery_link(r, t) for (_, _, r, _), t in zip(sending, tokens, strict=True)])
        except Exception:
            # Unknown whether they opted out, or no working link: none is sent, the next run tries again.
            logger.exception("cart reminders could not be prepared")
            for due, stage, _, _ in claimed:
                self.reminders.release(due, stage)
            report.failed += len(claimed)
            return
        for (due, stage, reminder, (store, settings, flows)), token in zip(sending, tokens, strict=True):
            try:
                self._send(reminder, store, settings, stage, token, flow=flows[STAGE_FLOWS[stage]])
            except Exception:
                logger.exception("a cart reminder could not be sent", extra={"store_id": due.store_id, "stage": stage})
                self.reminders.release(due, stage)
                report.failed += 1
                continue
            report.sent += 1

    def _not_opted_out(self, claimed: list[Claimed], report: RunReport) -> list[Claimed]:
        reads = ReadSet()
        refs = [reads.add(self.reminders.opted_out_read(r.store_id, r.email)) for _, _, r, _ in claimed]
        fetched = reads.fetch()
        opted_out = [bool(fetched[ref]) for ref in refs]  # absent: not opted out
        for _, _, reminder, _ in (c for c, out in zip(claimed, opted_out, strict=True) if out):
            # Never reminded again: the snapshot goes (its later stages would only be claimed and skipped).
            self.reminders.drop(reminder.store_id, reminder.cart_id, reminder.email)
            report.skipped += 1
        return [c for c, out in zip(claimed, opted_out, strict=True) if not out]

    def _ordering(self, due: DueReminder) -> bool:
        """True while the snapshot's checkout may still become (or became) an order."""
        if due.checkout is None:
            return False
        checkout = self.checkouts.get(due.store_id, due.checkout)
        return checkout is not None and checkout.status is not CheckoutStatus.FAILED

    def _send(
        self,
        reminder: Reminder,
        store: Store,
        settings: dict[str, Any] | None,
        stage: int,
        recovery_token: str,
        *,
        flow: FlowSetting,
    ) -> None:
        assert reminder.optout_token is not None  # set by the claim
        base = (settings or {}).get("storefront_url")
        link = optout_url(store.store_id, reminder.optout_token, base, self.api_url)
        back = recovery_url(store.store_id, recovery_token, base, self.api_url)
        words = flow.render({"store_name": str(brand(store, settings)["name"]), "first_name": ""})
        context = abandoned_cart(
            reminder.as_cart(), store, settings, stage, optout_url=link, cart_url=back, words=words
        )
        email = render(TEMPLATE, context)
        self.mailer.send(reminder.email, email)
        self.flows.count_sent(store.store_id, flow.key)
        logger.info("cart reminder sent", extra={"store_id": store.store_id, "stage": stage})


def _recovery_link(reminder: Reminder, token: str) -> RecoveryLink:
    """What this email's cart link restores: the lines it shows, for as long as their snapshot is kept."""
    return RecoveryLink(
        store_id=reminder.store_id,
        token_hash=token_hash(token),
        cart_id=reminder.cart_id,
        email=reminder.email,
        currency=reminder.currency,
        lines=reminder.lines,
        expires_at=reminder.expires_at,
        touched_at=reminder.touched_at,
    )
