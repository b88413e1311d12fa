"""Outbound webhooks: endpoint administration, the dispatcher and the sender."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import billing, factory

if TYPE_CHECKING:
    from nozzly.settings import WebhookSettings
    from nozzly.webhooks.adapters.deliveries import DeliveriesRepository
    from nozzly.webhooks.adapters.endpoints import EndpointsRepository
    from nozzly.webhooks.adapters.queue import DeliveryQueue
    from nozzly.webhooks.services.dispatcher import Dispatcher
    from nozzly.webhooks.services.sender import Sender
    from nozzly.webhooks.services.webhook_admin import WebhookAdmin


def _settings() -> WebhookSettings:
    from nozzly.settings import WebhookSettings, load

    return load(WebhookSettings)


@factory
def endpoints() -> EndpointsRepository:
    from nozzly.webhooks.adapters.endpoints import EndpointsRepository

    return EndpointsRepository(_settings().webhooks_table)


@factory
def deliveries() -> DeliveriesRepository:
    from nozzly.webhooks.adapters.deliveries import DeliveriesRepository

    return DeliveriesRepository(_settings().webhooks_table)


@factory
def queue() -> DeliveryQueue:
    from nozzly.webhooks.adapters.queue import DeliveryQueue

    return DeliveryQueue(_settings().webhook_queue_url)


@factory
def webhook_admin() -> WebhookAdmin:
    from nozzly.kernel.adapters.resolver import resolve
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.webhooks.services.webhook_admin import WebhookAdmin

    s = _settings()
    return WebhookAdmin(
        members=MembersRepository(s.stores_table),
        endpoints=endpoints(),
        deliveries=deliveries(),
        queue=queue(),
        resolve=resolve,
        allow_loopback_http=s.webhook_allow_loopback_http,
        stores=StoresRepository(s.stores_table),
        plan=billing.plan_guard(),
    )


@factory
def dispatcher() -> Dispatcher:
    from nozzly.webhooks.services.dispatcher import Dispatcher

    return Dispatcher(endpoints=endpoints(), deliveries=deliveries(), queue=queue())


@factory
def sender() -> Sender:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.kernel.adapters.resolver import resolve
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import WebhookSenderSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.webhooks.adapters.http_post import post
    from nozzly.webhooks.services.owner_notice import OwnerNotice
    from nozzly.webhooks.services.sender import Sender

    s = load(WebhookSenderSettings)
    notice = OwnerNotice(
        members=MembersRepository(s.stores_table),
        operators=UserDirectory(s.operator_user_pool_id) if s.operator_user_pool_id else None,
        mailer=Mailer(s.email_from) if s.email_from else None,
    )
    return Sender(
        endpoints=endpoints(),
        deliveries=deliveries(),
        queue=queue(),
        resolve=resolve,
        post=post,
        notifier=notice,
        allow_loopback_http=s.webhook_allow_loopback_http,
        backoff_scale=s.webhook_backoff_scale,
    )
