"""An account's billing state: its plan and where it is in the subscription's life.

An account is an operator who owns stores (its id is the operator's sub). Its trial starts when it opens its
first store: that is when it starts using what a plan sells (sign-up alone costs nothing).

    trialing --paid--> active --payment failed--> past_due --grace over--> restricted --paid--> active
    trialing --trial over, no card--> restricted          any --cancelled--> cancelled

`past_due` keeps everything working for GRACE_DAYS; `restricted` refuses admin writes except billing
(storefronts keep selling so no shopper is hurt). The moves that only depend on the clock (a trial or a grace
period running out) are computed by `effective`, so the state is right at every read even before the scheduled
job writes it down.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from nozzly.billing.domain.plans import TRIAL_DAYS, TRIAL_PLAN, PlanCode
from nozzly.kernel.domain.errors import Conflict

DAY: Final = 86_400
GRACE_DAYS: Final = 7


class BillingStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    RESTRICTED = "restricted"
    CANCELLED = "cancelled"


# The moves an event may make (the clock's moves are in `effective`).
_MOVES: Final[dict[str, frozenset[BillingStatus]]] = {
    "paid": frozenset({BillingStatus.TRIALING, BillingStatus.ACTIVE, BillingStatus.PAST_DUE, BillingStatus.RESTRICTED}),
    "payment_failed": frozenset({BillingStatus.ACTIVE, BillingStatus.PAST_DUE}),
    "restrict": frozenset({BillingStatus.TRIALING, BillingStatus.PAST_DUE}),
    "cancel": frozenset(
        {BillingStatus.TRIALING, BillingStatus.ACTIVE, BillingStatus.PAST_DUE, BillingStatus.RESTRICTED}
    ),
}
WORKING: Final = frozenset({BillingStatus.TRIALING, BillingStatus.ACTIVE, BillingStatus.PAST_DUE})


class IllegalMove(Conflict):
    def __init__(self, status: BillingStatus, move: str) -> None:
        super().__init__(f"a {status.value} account cannot be {move}", field="status")


@dataclass(frozen=True, slots=True)
class BillingAccount:
    account: str  # the owning operator's sub
    plan: PlanCode
    status: BillingStatus
    trial_ends_at: int | None = None  # epoch seconds
    period_start: int | None = None
    period_end: int | None = None
    past_due_since: int | None = None
    stores_used: int = 0  # stores opened and not deleted (kept in the write that opens or deletes one)
    version: int = 0  # bumped by every change of plan or status, never by usage

    def effective(self, now: int) -> BillingStatus:
        """The status at `now`, with the clock's moves applied."""
        if self.status is BillingStatus.TRIALING and self.trial_ends_at is not None and now >= self.trial_ends_at:
            return BillingStatus.RESTRICTED
        if self.status is BillingStatus.PAST_DUE and self.grace_ends_at is not None and now >= self.grace_ends_at:
            return BillingStatus.RESTRICTED
        return self.status

    @property
    def grace_ends_at(self) -> int | None:
        return None if self.past_due_since is None else self.past_due_since + GRACE_DAYS * DAY

    def subscribed(self, now: int) -> bool:
        """Does a Stripe subscription bill this account now (paid, or unpaid within or after its grace)? Then a
        plan change goes through the Customer Portal: a second checkout would bill it twice."""
        status = self.effective(now)
        return status in (BillingStatus.ACTIVE, BillingStatus.PAST_DUE) or (
            status is BillingStatus.RESTRICTED and self.past_due_since is not None
        )

    def may_create(self, now: int) -> bool:
        """May the account's stores create limited things (and make admin writes) at all?"""
        return self.effective(now) in WORKING


def new_trial(account: str, now: int) -> BillingAccount:
    """The account as its first store opens it: TRIAL_DAYS on TRIAL_PLAN, no card needed."""
    return BillingAccount(
        account=account,
        plan=TRIAL_PLAN,
        status=BillingStatus.TRIALING,
        trial_ends_at=now + TRIAL_DAYS * DAY,
        period_start=now,
        period_end=now + TRIAL_DAYS * DAY,
    )


def legacy(account: str) -> BillingAccount:
    """An owner whose stores predate billing and who has opened none since: on the trial plan, its trial not
    started (it starts when the account is first written: its next store). Never written as such."""
    return BillingAccount(account=account, plan=TRIAL_PLAN, status=BillingStatus.TRIALING)


def _move(account: BillingAccount, move: str, now: int) -> BillingStatus:
    current = account.effective(now)
    if current not in _MOVES[move]:
        raise IllegalMove(current, move)
    return current


def paid(account: BillingAccount, now: int, *, period_start: int, period_end: int) -> BillingAccount:
    """An invoice was paid: active for the period, whatever grace or restriction came before."""
    _move(account, "paid", now)
    return replace(
        account,
        status=BillingStatus.ACTIVE,
        period_start=period_start,
        period_end=period_end,
        trial_ends_at=None,
        past_due_since=None,
        version=account.version + 1,
    )


def payment_failed(account: BillingAccount, now: int) -> BillingAccount:
    """A renewal failed: past due, the grace period running from the first failure (retries do not extend it)."""
    current = _move(account, "payment_failed", now)
    if current is BillingStatus.PAST_DUE:
        return account
    return replace(account, status=BillingStatus.PAST_DUE, past_due_since=now, version=account.version + 1)


def restrict(account: BillingAccount, now: int) -> BillingAccount:
    """Write down what the clock decided: a trial or a grace period is over. Refused before it is."""
    if account.status not in _MOVES["restrict"] or account.effective(now) is not BillingStatus.RESTRICTED:
        raise IllegalMove(account.status, "restricted now")
    return replace(account, status=BillingStatus.RESTRICTED, version=account.version + 1)


def cancel(account: BillingAccount, now: int) -> BillingAccount:
    _move(account, "cancel", now)
    return replace(account, status=BillingStatus.CANCELLED, version=account.version + 1)


def change_plan(account: BillingAccount, plan: PlanCode) -> BillingAccount:
    """A new plan applies at once. A downgrade below current usage keeps what exists and blocks new creates
    (limits are judged at each create, never by deleting anything)."""
    if plan is account.plan:
        return account
    return replace(account, plan=plan, version=account.version + 1)
