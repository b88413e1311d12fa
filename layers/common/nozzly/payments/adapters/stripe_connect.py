"""Stripe Connect for the platform: a store's Express connected account and its onboarding links.

Calls go from the platform account (its secret key); each account carries metadata.store_id, which is how an
`account.updated` webhook finds its store. The stripe SDK is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from nozzly.kernel.adapters.secrets import Key, PerKey
from nozzly.payments.adapters.stripe_gateway import provider_errors
from nozzly.payments.domain.payments import Provider
from nozzly.payments.domain.payouts import ConnectedAccount, OnboardingLink

if TYPE_CHECKING:
    from stripe import StripeClient


class ConnectAccounts(Protocol):
    """The provider side of payouts (a fake stands in for it in the functional tests)."""

    def create_account(self, store_id: str, country: str, email: str | None) -> ConnectedAccount: ...

    def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> OnboardingLink: ...


def account_state(account: Mapping[str, Any]) -> ConnectedAccount:
    """A Stripe Account object as Nozzly stores it."""
    requirements = account.get("requirements") or {}
    return ConnectedAccount(
        provider=Provider.STRIPE,
        account_id=str(account["id"]),
        charges_enabled=bool(account.get("charges_enabled")),
        payouts_enabled=bool(account.get("payouts_enabled")),
        details_submitted=bool(account.get("details_submitted")),
        disabled_reason=requirements.get("disabled_reason") or None,
        updated_at=int(account.get("created") or 0),
    )


class StripeConnect:
    def __init__(self, api_key: Key, api_base: str = "https://api.stripe.com", *, timeout: float = 8.0) -> None:
        self._api_base, self._timeout = api_base, timeout
        self._clients = PerKey(api_key, self._new_client)

    @property
    def _client(self) -> StripeClient:
        return self._clients.get()

    def _new_client(self, key: str) -> StripeClient:
        import stripe

        return stripe.StripeClient(
            key,
            base_addresses={"api": self._api_base},
            max_network_retries=2,
            http_client=stripe.RequestsClient(timeout=self._timeout),
        )

    def create_account(self, store_id: str, country: str, email: str | None) -> ConnectedAccount:
        """An Express account for the store. The idempotency key is the store's, so a retried or concurrent
        onboarding gets the same account from Stripe rather than a second one (within Stripe's 24 h window)."""
        params: Any = {
            "type": "express",
            "country": country,
            "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
            "metadata": {"store_id": store_id},
        }
        if email:
            params["email"] = email
        with provider_errors():
            created = self._client.v1.accounts.create(
                params=params, options={"idempotency_key": f"nozzly-connect-{store_id}"}
            )
        return account_state(created.to_dict())

    def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> OnboardingLink:
        params: Any = {
            "account": account_id,
            "type": "account_onboarding",
            "return_url": return_url,
            "refresh_url": refresh_url,
        }
        with provider_errors():
            link = self._client.v1.account_links.create(params=params).to_dict()
        return OnboardingLink(url=str(link["url"]), expires_at=int(link.get("expires_at") or 0))
