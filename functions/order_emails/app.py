"""Transactional order emails, reached by an EventBridge rule: OrderPlaced and the events that follow it."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.orders.services.order_emails import OrderEmails


@cache
def _emails() -> OrderEmails:
    # Imported on the first invocation: boto3, Jinja2 and pydantic-settings are not cold-start costs.
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.order_emails import OrderEmails
    from nozzly.settings import EmailSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(EmailSettings)
    return OrderEmails(
        orders=OrdersRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
    )


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    outcome = _emails().on_event(str(event.get("detail-type")), event.get("detail") or {})
    return {"outcome": outcome}
