"""Abandoned-cart reminders (EventBridge schedule): one email per cart at 1 h, 24 h and 72 h untouched, never
after it became an order. See sales/services/cart_reminders.py.
"""

from __future__ import annotations

import time
from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry, logger, metrics

if TYPE_CHECKING:
    from nozzly.sales.services.cart_reminders import CartReminderSender

SAFETY_MS = 5_000  # stop claiming this long before the function's timeout; the next run goes on


@cache
def _sender() -> CartReminderSender:
    # Imported on the first invocation: boto3, Jinja2 and pydantic-settings are not cold-start costs.
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.services.cart_reminders import CartReminderSender
    from nozzly.settings import CartReminderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(CartReminderSettings)
    return CartReminderSender(
        reminders=CartRemindersRepository(s.carts_table),
        checkouts=CheckoutsRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table),
        mailer=Mailer(s.email_from),
        api_url=s.api_url,
    )


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    report = _sender().run(time.time(), out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS)
    logger.info("cart reminders sent", extra=report.as_dict())
    metrics.add_metric(name="CartRemindersSent", unit="Count", value=report.sent)
    return report.as_dict()
