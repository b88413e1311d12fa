"""The abandoned-cart reminder job (CartReminders, on a schedule): for each stage (1 h, 24 h, 72 h) the touch
hours that may be due are queried (never a scan), and each snapshot still untouched and not yet reminded at
that stage gets one `abandoned_cart` email.

Each stage is claimed before its email is sent (a conditional update on the snapshot read), so overlapping
or repeated runs send it once, and a cart touched meanwhile is not reminded of its old lines. A failed send
gives the claim back and the next run tries again while the stage is due; it never stops the run. A snapshot
whose checkout is under way or placed is skipped (the order step deletes it with the cart; until then the
checkout says so); one whose checkout failed is reminded of like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nozzly.adapters.cart_reminders import CartRemindersRepository, DueReminder
from nozzly.adapters.checkouts import CheckoutsRepository
from nozzly.adapters.email import Mailer
from nozzly.adapters.store_settings import StoreSettingsRepository
from nozzly.adapters.stores import StoresRepository
from nozzly.domain.cart_reminders import HOUR, STAGES, Reminder, stage_due, touch_hours
from nozzly.domain.catalog import Store
from nozzly.domain.checkout import CheckoutStatus
from nozzly.emails.carts import abandoned_cart
from nozzly.emails.render import render
from nozzly.observability import logger

TEMPLATE = "abandoned_cart"


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0  # claimed elsewhere, touched meanwhile, ordered or in checkout, store closed
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

    def run(self, now: float, out_of_time: Callable[[], bool] = lambda: False) -> RunReport:
        report = RunReport()
        shops: dict[str, tuple[Store, dict[str, Any] | None] | None] = {}
        for stage in STAGES:
            for hour in touch_hours(stage, now):
                for due in self.reminders.due_in_hour(hour * HOUR, stage, now - stage * HOUR):
                    if out_of_time():
                        report.complete = False
                        return report
                    self._remind(due, stage, now, shops, report)
        return report

    def _remind(
        self,
        due: DueReminder,
        stage: int,
        now: float,
        shops: dict[str, tuple[Store, dict[str, Any] | None] | None],
        report: RunReport,
    ) -> None:
        if stage_due(due.touched_at, now, due.reminded) != stage or self._ordering(due):
            report.skipped += 1
            return
        if due.store_id not in shops:
            store = self.stores.find(due.store_id)
            shops[due.store_id] = (store, self.settings.email_settings(due.store_id)) if store else None
        shop = shops[due.store_id]
        if shop is None or not shop[0].is_open:
            report.skipped += 1
            return
        reminder = self.reminders.claim(due, stage, now)
        if reminder is None:
            report.skipped += 1
            return
        try:
            self._send(reminder, shop[0], shop[1], stage)
        except Exception:
            logger.exception("a cart reminder could not be sent", extra={"store_id": due.store_id, "stage": stage})
            self.reminders.release(due, stage)
            report.failed += 1
            return
        report.sent += 1

    def _ordering(self, due: DueReminder) -> bool:
        """True while the snapshot's checkout may still become (or became) an order."""
        if due.checkout is None:
            return False
        checkout = self.checkouts.get(due.store_id, due.checkout)
        return checkout is not None and checkout.status is not CheckoutStatus.FAILED

    def _send(self, reminder: Reminder, store: Store, settings: dict[str, Any] | None, stage: int) -> None:
        email = render(TEMPLATE, abandoned_cart(reminder.as_cart(), store, settings, stage))
        self.mailer.send(reminder.email, email)
        logger.info("cart reminder sent", extra={"store_id": store.store_id, "stage": stage})
