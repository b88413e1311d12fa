"""Notifications: the inbox's routes and the bus consumer that fills it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.notifications.adapters.inbox import InboxRepository
    from nozzly.notifications.services.expiry import Expiry
    from nozzly.notifications.services.inbox import Inbox
    from nozzly.notifications.services.live_push import LivePush
    from nozzly.notifications.services.notifier import Notifier
    from nozzly.stores.adapters.stores import StoresRepository


@factory
def inbox_repository() -> InboxRepository:
    from nozzly.notifications.adapters.inbox import InboxRepository
    from nozzly.settings import NotificationSettings, load

    return InboxRepository(load(NotificationSettings).notifications_table)


@factory
def live_push() -> LivePush:
    from nozzly.realtime.adapters.connections import ConnectionsRepository
    from nozzly.realtime.adapters.management_api import ManagementApi
    from nozzly.realtime.services.room_publisher import RoomPublisher
    from nozzly.settings import NotificationFeedSettings, load

    s = load(NotificationFeedSettings)
    return RoomPublisher(ConnectionsRepository(s.connections_table), ManagementApi(s.websocket_management_endpoint))


@factory
def inbox() -> Inbox:
    from nozzly.notifications.services.inbox import Inbox
    from nozzly.settings import NotificationSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    return Inbox(inbox_repository(), MembersRepository(load(NotificationSettings).stores_table))


@factory
def stores() -> StoresRepository:
    from nozzly.settings import NotificationSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    return StoresRepository(load(NotificationSettings).stores_table)


@factory
def notifier() -> Notifier:
    from nozzly.notifications.services.notifier import Notifier
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.settings import NotificationSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(NotificationSettings)
    return Notifier(
        inbox_repository(), MembersRepository(s.stores_table), OrdersRepository(s.orders_table), live_push()
    )


@factory
def expiry() -> Expiry:
    from nozzly.notifications.services.expiry import Expiry

    return Expiry(inbox_repository())
