"""The payouts settings routes' bodies. No model here has a field for a secret: only ids, flags and states."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.kernel.contracts.urls import WebUrl
from nozzly.payments.domain.payouts import ConnectedAccount, OnboardingLink, PayoutState, explain, payout_state
from nozzly.payments.domain.square_oauth import SquareConnection

State = Literal["not_started", "onboarding", "ready", "restricted"]


class PayoutAccountOut(BaseModel):
    provider: Literal["stripe"]
    state: State = Field(description="ready: card payments are paid into this account.")
    account_id: str | None = Field(description="The connected account's id (acct_...); null before onboarding.")
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    disabled_reason: str | None = Field(description="Stripe's reason when it restricted the account.")
    fee_basis_points: int = Field(description="The platform's fee on each payment (250 = 2.5 %).")
    reason: str = Field(description="Why card payments can or cannot be taken, in words for the owner.")


class CardPaymentsOut(BaseModel):
    ready: bool
    reason: str


class SquareOut(BaseModel):
    connected: bool
    merchant_id: str | None = Field(description="The connected Square seller; its tokens are never shown.")
    location_id: str | None = Field(description="The location Square payments are taken at.")
    token_expires_at: int | None = Field(description="Unix seconds; refreshed daily when within a week of it.")


class PayoutsOut(BaseModel):
    card_payments: CardPaymentsOut
    accounts: list[PayoutAccountOut]
    square: SquareOut


class SquareAuthorizeOut(BaseModel):
    url: str = Field(description="Square's authorize page; it sends the owner back to /payouts/square/callback.")
    expires_at: int = Field(description="Unix seconds: the link's state is good once, until then.")


class SquareConnectedOut(BaseModel):
    store: str
    square: SquareOut


class OnboardingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_url: WebUrl = Field(description="Where Stripe sends the owner back after onboarding.")
    refresh_url: WebUrl = Field(description="Where Stripe sends the owner when the link expired or was reused.")


class OnboardingOut(BaseModel):
    account: PayoutAccountOut
    url: str = Field(description="Stripe's onboarding page for the owner; single use, expires within minutes.")
    expires_at: int = Field(description="Unix seconds.")


def account_out(account: ConnectedAccount | None, default_fee: int) -> PayoutAccountOut:
    fee = default_fee if account is None or account.fee_basis_points is None else account.fee_basis_points
    state = PayoutState.NOT_STARTED if account is None else account.state
    return PayoutAccountOut(
        provider="stripe",
        state=state.value,
        account_id=None if account is None else account.account_id,
        charges_enabled=bool(account and account.charges_enabled),
        payouts_enabled=bool(account and account.payouts_enabled),
        details_submitted=bool(account and account.details_submitted),
        disabled_reason=None if account is None else account.disabled_reason,
        fee_basis_points=fee,
        reason=explain(account),
    )


def square_out(connection: SquareConnection | None) -> SquareOut:
    if connection is None:
        return SquareOut(connected=False, merchant_id=None, location_id=None, token_expires_at=None)
    return SquareOut(
        connected=True,
        merchant_id=connection.merchant_id,
        location_id=connection.location_id,
        token_expires_at=connection.expires_at,
    )


def payouts_out(stripe: ConnectedAccount | None, square: SquareConnection | None, default_fee: int) -> PayoutsOut:
    ready = payout_state(stripe) is PayoutState.READY
    return PayoutsOut(
        card_payments=CardPaymentsOut(ready=ready, reason=explain(stripe)),
        accounts=[account_out(stripe, default_fee)],
        square=square_out(square),
    )


def onboarding_out(account: ConnectedAccount, link: OnboardingLink, default_fee: int) -> OnboardingOut:
    return OnboardingOut(account=account_out(account, default_fee), url=link.url, expires_at=link.expires_at)
