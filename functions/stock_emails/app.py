"""Stock emails, reached by an EventBridge rule on LowStock and BackInStock (from StockWatcher)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.catalog.services.stock_emails import StockEmails


@cache
def _deps() -> StockEmails:
    # Imported on the first invocation: boto3, Jinja2 and pydantic-settings are not cold-start costs.
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions
    from nozzly.catalog.services.stock_emails import StockEmails
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.settings import StockEmailSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(StockEmailSettings)
    return StockEmails(
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table),
        members=MembersRepository(s.stores_table),
        operators=UserDirectory(s.operator_user_pool_id),
        subscriptions=StockSubscriptions(s.customers_table),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
    )


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return _deps().on_event(str(event.get("detail-type")), event.get("detail") or {})
