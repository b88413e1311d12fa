"""Payments: the providers' gateways, shared by every function that takes, voids or refunds a payment; payouts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.payments.adapters.gateway import PaymentGateway
    from nozzly.payments.domain.payments import Provider
    from nozzly.payments.services.payouts import Payouts
    from nozzly.payments.services.square_connect import SquareConnect


@factory
def payment_gateways() -> dict[Provider, PaymentGateway]:
    """Both gateways, from the function's PaymentProviderSettings; neither SDK loads before its first call."""
    from nozzly.payments.adapters.providers import payment_gateways
    from nozzly.settings import PaymentProviderSettings, load

    return payment_gateways(load(PaymentProviderSettings))


@factory
def payouts() -> Payouts:
    """The payouts settings: members and stores for the access check, the stores table, Stripe Connect."""
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.payments.adapters.providers import connect_accounts
    from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
    from nozzly.payments.services.payouts import Payouts
    from nozzly.settings import PayoutSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(PayoutSettings)
    return Payouts(
        members=MembersRepository(s.stores_table),
        stores=StoresRepository(s.stores_table),
        accounts=PayoutAccountsRepository(s.stores_table),
        connect=connect_accounts(s),
        square=SquareConnectionsRepository(s.stores_table),
        default_fee_basis_points=s.platform_fee_basis_points,
    )


@factory
def square_connect() -> SquareConnect:
    """Square OAuth per store: the stores table, the token vault (Secrets Manager), the platform's application."""
    from nozzly.payments.adapters.providers import square_authorization
    from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
    from nozzly.payments.adapters.token_vault import TokenVault
    from nozzly.payments.services.square_connect import SquareConnect
    from nozzly.settings import SquareOAuthSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(SquareOAuthSettings)
    return SquareConnect(
        members=MembersRepository(s.stores_table),
        connections=SquareConnectionsRepository(s.stores_table),
        vault=TokenVault(s.square_secrets_prefix),
        oauth=square_authorization(s),
        redirect_uri=s.square_oauth_redirect_url,
    )


def square_refresh_days() -> int:
    from nozzly.settings import SquareOAuthSettings, load

    return load(SquareOAuthSettings).square_refresh_within_days


@factory
def store_gateways() -> Callable[[str, Provider], PaymentGateway] | None:
    """Each store's own gateway (its connected Square account), over the platform's; None without a token vault."""
    from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
    from nozzly.payments.adapters.store_gateways import StoreGateways
    from nozzly.payments.adapters.token_vault import TokenVault
    from nozzly.settings import PaymentProviderSettings, load

    s = load(PaymentProviderSettings)
    if not s.square_secrets_prefix:
        return None
    connections = SquareConnectionsRepository(s.stores_table)
    return StoreGateways(payment_gateways(), connections, TokenVault(s.square_secrets_prefix), s.square_base_url)
