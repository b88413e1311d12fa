"""Payments: the providers' gateways, shared by every function that takes, voids or refunds a payment; payouts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.payments.adapters.gateway import PaymentGateway
    from nozzly.payments.domain.payments import Provider
    from nozzly.payments.services.payouts import Payouts


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
        default_fee_basis_points=s.platform_fee_basis_points,
    )
