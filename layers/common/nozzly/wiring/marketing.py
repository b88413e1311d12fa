"""Marketing: the store's automated email flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.marketing.services.email_flows import EmailFlows
    from nozzly.marketing.services.flow_clicks import FlowClicks
    from nozzly.orders.services.review_requests import ReviewRequests
    from nozzly.orders.services.win_back import WinBack


@factory
def email_flows_repository() -> EmailFlowsRepository:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.settings import get_settings

    return EmailFlowsRepository(get_settings().stores_table)


@factory
def email_flows() -> EmailFlows:
    from nozzly.marketing.services.email_flows import EmailFlows
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    table = get_settings().stores_table
    return EmailFlows(
        members=MembersRepository(table), flows_repo=email_flows_repository(), stores=StoresRepository(table)
    )


@factory
def review_requests() -> ReviewRequests:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.adapters.review_requests import ReviewRequestsRepository
    from nozzly.orders.services.review_requests import ReviewRequests
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.settings import CartReminderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(CartReminderSettings)  # the sender and the links' base, as the reminders have them
    return ReviewRequests(
        orders=OrdersRepository(s.orders_table),
        requests=ReviewRequestsRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket),
        flows=EmailFlowsRepository(s.stores_table),
        optouts=CartRemindersRepository(s.carts_table),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
        api_url=s.api_url,
    )


@factory
def flow_clicks() -> FlowClicks:
    from nozzly.marketing.adapters.flow_links import FlowLinks
    from nozzly.marketing.services.flow_clicks import FlowClicks
    from nozzly.settings import get_settings

    return FlowClicks(FlowLinks(get_settings().stores_table))


@factory
def win_back() -> WinBack:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.marketing.adapters.flow_links import FlowLinks
    from nozzly.marketing.adapters.optouts import MarketingOptOuts
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.adapters.win_backs import WinBacksRepository
    from nozzly.orders.services.win_back import WinBack
    from nozzly.settings import CartReminderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(CartReminderSettings)  # the sender and the links' base, as the reminders have them
    return WinBack(
        orders=OrdersRepository(s.orders_table),
        windows=WinBacksRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket),
        flows=EmailFlowsRepository(s.stores_table),
        links=FlowLinks(s.stores_table),
        clicks=flow_clicks(),
        optouts=MarketingOptOuts(s.carts_table),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
        api_url=s.api_url,
    )
