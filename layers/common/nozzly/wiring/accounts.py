"""Accounts: the account backends of a function's user pool, guest sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.accounts.services.accounts import AccountBackends
    from nozzly.accounts.services.guest_sessions import GuestSessions


@factory
def account_backends() -> AccountBackends:
    """What every realm of the function's user pool shares (OperatorAuth's, or ShopperAuth's)."""
    from nozzly.accounts.adapters.codes import CodeStore
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.accounts.services.accounts import AccountBackends
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.marketing.services.store_flow import StoreFlow
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import AccountSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    s = load(AccountSettings)
    return AccountBackends(
        pool_id=s.user_pool_id,
        users=UserDirectory(s.user_pool_id, s.user_pool_client_id),
        codes=CodeStore(s.identity_table),
        throttle=Throttle(s.identity_table),
        mailer=Mailer(s.email_from),
        branding=StoreSettingsRepository(
            s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url
        ).email_settings,
        events=EventPublisher(s.event_bus_name),
        welcome=StoreFlow(EmailFlowsRepository(s.stores_table), "welcome"),
    )


@factory
def guest_sessions() -> GuestSessions:
    from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.accounts.services.guest_sessions import GuestSessions
    from nozzly.settings import ShopperAccountSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ShopperAccountSettings)
    return GuestSessions(
        GuestSessionStore(s.identity_table), StoresRepository(s.stores_table), Throttle(s.identity_table)
    )
