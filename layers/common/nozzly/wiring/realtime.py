"""Realtime: the WebSocket authorizer, the socket's routes, and the notifier."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.realtime.adapters.management_api import ManagementApi
    from nozzly.realtime.services.gate import Gate
    from nozzly.realtime.services.live_passes import LivePasses
    from nozzly.realtime.services.notifier import Notifier
    from nozzly.realtime.services.subscriptions import Subscriptions
    from nozzly.settings import RealtimeSettings


def _settings() -> RealtimeSettings:
    from nozzly.settings import RealtimeSettings, load

    return load(RealtimeSettings)


@factory
def gate() -> Gate:
    from nozzly.realtime.adapters.cognito_tokens import verified_username
    from nozzly.realtime.services.gate import Gate
    from nozzly.wiring.orders import order_tracking

    s = _settings()
    return Gate(s.operator_issuer, s.shopper_issuer, verified_username, order_tracking().admits, live_passes().admits)


@factory
def live_passes() -> LivePasses:
    """Under the orders' tracking key (a different message per kind of token): the authorizer and the shop pages."""
    from nozzly.kernel.adapters.secrets import secret
    from nozzly.realtime.services.live_passes import LivePasses
    from nozzly.settings import get_settings

    parameter = get_settings().order_tracking_key_parameter
    return LivePasses(lambda: secret(parameter))


@factory
def management_api() -> ManagementApi:
    from nozzly.realtime.adapters.management_api import ManagementApi

    return ManagementApi(_settings().websocket_management_endpoint)


@factory
def subscriptions() -> Subscriptions:
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.realtime.adapters.connections import ConnectionsRepository
    from nozzly.realtime.services.subscriptions import Subscriptions
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    return Subscriptions(
        ConnectionsRepository(s.connections_table),
        MembersRepository(s.stores_table),
        OrdersRepository(s.orders_table),
        time.time,
    )


@factory
def notifier() -> Notifier:
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.realtime.adapters.connections import ConnectionsRepository
    from nozzly.realtime.services.notifier import Notifier
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    connections, orders = ConnectionsRepository(s.connections_table), OrdersRepository(s.orders_table)
    return Notifier(connections, orders, management_api(), MembersRepository(s.stores_table))
