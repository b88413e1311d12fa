"""Where a store's card payments are paid out: its connected provider account, whether it may take payments yet,
and the platform's cut of each payment. Pure rules; the Stripe calls live in payments/adapters/stripe_connect.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import Provider

BASIS_POINTS = 10_000  # 100 %


class PayoutState(StrEnum):
    NOT_STARTED = "not_started"  # no connected account yet
    ONBOARDING = "onboarding"  # an account exists; its owner has not finished (or Stripe is still checking)
    READY = "ready"  # charges and payouts enabled: card payments go to this account
    RESTRICTED = "restricted"  # Stripe disabled it, or it was submitted and still may not take charges


class PayoutsNotReady(Conflict):
    """Card payments refused: the store has no connected account that may take charges."""

    code = "payouts_not_ready"


@dataclass(frozen=True, slots=True)
class ConnectedAccount:
    """A store's account at a provider, as its last `account.updated` (or the creation) described it."""

    provider: Provider
    account_id: str
    charges_enabled: bool = False
    payouts_enabled: bool = False
    details_submitted: bool = False
    disabled_reason: str | None = None  # Stripe's requirements.disabled_reason
    fee_basis_points: int | None = None  # the platform's per-store fee; None: the platform default
    updated_at: int = 0  # the provider's time of the state stored (event `created`), to drop stale events

    @property
    def state(self) -> PayoutState:
        return payout_state(self)

    @property
    def reason(self) -> str:
        """Why the store can or cannot take card payments, for the owner."""
        return explain(self)


def payout_state(account: ConnectedAccount | None) -> PayoutState:
    """Ready only when Stripe lets the account take charges and pay out; a disabled reason, or details submitted
    without charges enabled, is restricted (the owner must act); anything else is onboarding in progress."""
    if account is None:
        return PayoutState.NOT_STARTED
    if account.charges_enabled and account.payouts_enabled:
        return PayoutState.READY
    if account.disabled_reason or account.details_submitted:
        return PayoutState.RESTRICTED
    return PayoutState.ONBOARDING


def explain(account: ConnectedAccount | None) -> str:
    state = payout_state(account)
    if state is PayoutState.NOT_STARTED:
        return "No payout account yet: start Stripe onboarding to take card payments."
    if state is PayoutState.ONBOARDING:
        return "Stripe onboarding is not finished: open a new onboarding link to continue."
    if state is PayoutState.RESTRICTED:
        assert account is not None
        why = f" ({account.disabled_reason})" if account.disabled_reason else ""
        return f"Stripe restricted this account{why}: open a new onboarding link to provide what it asks for."
    return "Card payments are paid into this account."


def require_ready(account: ConnectedAccount | None) -> ConnectedAccount:
    """The account card payments go to, or PayoutsNotReady saying why."""
    if account is None or payout_state(account) is not PayoutState.READY:
        raise PayoutsNotReady(f"this store cannot take card payments yet. {explain(account)}", field="payment_method")
    return account


def check_fee_basis_points(basis_points: int) -> int:
    if type(basis_points) is not int or not 0 <= basis_points < BASIS_POINTS:
        raise InvalidInput("a platform fee is 0 to 9999 basis points", field="fee_basis_points")
    return basis_points


def application_fee(amount: Money, basis_points: int) -> Money | None:
    """The platform's fee on a payment: amount x basis points / 10000, rounded half up to a whole minor unit
    (1999 at 250 bp is 49.975 -> 50). None when it is nothing (Stripe refuses a zero application fee amount).
    Always below the amount, since the fee is below 100 %."""
    check_fee_basis_points(basis_points)
    fee = (amount.amount * basis_points * 2 + BASIS_POINTS) // (2 * BASIS_POINTS)
    return Money(fee, amount.currency) if fee > 0 else None


@dataclass(frozen=True, slots=True)
class OnboardingLink:
    """Stripe's hosted onboarding page for an account: single use, expires within minutes."""

    url: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class AccountEvent:
    """A verified `account.updated` webhook, normalized. `store_id` is the metadata Nozzly set on creation."""

    provider: Provider
    event_id: str
    account_id: str
    store_id: str | None
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    disabled_reason: str | None
    created: int  # the event's time: an older event never overwrites a newer state
    event_type: str = "account.updated"

    @property
    def dedup_key(self) -> str:
        return f"{self.provider}:{self.event_id}"
