"""Merchant payouts: a store's operators connect its Stripe account (onboarding), read where card payments go;
Stripe's `account.updated` webhooks keep the stored state current.

Every operator route checks `settings.manage` on the store first (owner and admin; staff 403, others 404).
Nothing here ever returns a provider secret: only account ids and flags are stored or answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.observability import logger
from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
from nozzly.payments.adapters.stripe_connect import ConnectAccounts
from nozzly.payments.domain.payments import Provider
from nozzly.payments.domain.payouts import AccountEvent, ConnectedAccount, OnboardingLink
from nozzly.payments.domain.square_oauth import SquareConnection
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

__all__ = ["AccountUpdates", "Payouts"]


@dataclass(frozen=True)
class Payouts:
    members: MembersRepository
    stores: StoresRepository
    accounts: PayoutAccountsRepository
    connect: ConnectAccounts
    square: SquareConnectionsRepository
    default_fee_basis_points: int

    def accounts_of(self, store_id: str, caller: str) -> tuple[ConnectedAccount | None, SquareConnection | None]:
        """The store's Stripe connected account and its Square connection, if any."""
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        return self.accounts.get(store_id, Provider.STRIPE), self.square.get(store_id)

    def start_stripe_onboarding(
        self, store_id: str, caller: str, return_url: str, refresh_url: str
    ) -> tuple[ConnectedAccount, OnboardingLink]:
        """The store's connected account (created on first call) and a fresh, single-use onboarding link: Stripe's
        links expire within minutes, so each call makes a new one, also for an account that is already ready
        (the owner updates its details through it)."""
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        account = self.accounts.get(store_id, Provider.STRIPE)
        if account is None:
            store = self.stores.get(store_id)
            created = self.connect.create_account(store_id, store.country, None)
            account = self.accounts.create(store_id, created)
            logger.info("connected account created", extra={"store_id": store_id, "account": account.account_id})
        link = self.connect.onboarding_link(account.account_id, return_url, refresh_url)
        return account, link


@dataclass(frozen=True)
class AccountUpdates:
    accounts: PayoutAccountsRepository

    def on_event(self, event: AccountEvent) -> str:
        """Store what a verified, deduplicated `account.updated` says; "ignored" for an account Nozzly does not
        hold for that store or an event older than the stored state."""
        if self.accounts.apply(event):
            logger.info(
                "connected account updated",
                extra={"store_id": event.store_id, "account": event.account_id, "charges": event.charges_enabled},
            )
            return "updated"
        logger.info("account event ignored", extra={"event_id": event.event_id, "account": event.account_id})
        return "ignored"
