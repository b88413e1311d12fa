"""What a Stripe Billing event does to an account: the subscription's plan, a paid or failed invoice, a trial
about to end. Pure: the webhook's adapter reads the event, this decides, the service writes and emails.

An event the state machine refuses (a failure for a cancelled account, an event that arrives after a later one
already moved the account) changes nothing and is answered as ignored: Stripe would otherwise retry it for days.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.billing.domain.accounts import BillingAccount, BillingStatus, cancel, change_plan, paid, payment_failed
from nozzly.billing.domain.plans import Interval, PlanCode

LOOKUP_PREFIX: Final = "nozzly"
TRIAL_NOTICE_DAYS: Final = 3  # a card-less trial's owner is told this many days before it ends


class EventKind(StrEnum):
    SUBSCRIPTION_CREATED = "customer.subscription.created"
    SUBSCRIPTION_UPDATED = "customer.subscription.updated"
    SUBSCRIPTION_DELETED = "customer.subscription.deleted"
    INVOICE_PAID = "invoice.paid"
    INVOICE_PAYMENT_FAILED = "invoice.payment_failed"
    TRIAL_WILL_END = "customer.subscription.trial_will_end"


class Notice(StrEnum):
    """The owner's email an event (or the scheduled job) sends; its template has the same name."""

    TRIAL_ENDING = "billing_trial_ending"
    PAYMENT_FAILED = "billing_payment_failed"
    RESTRICTED = "billing_restricted"
    RESTORED = "billing_restored"


# Subscription statuses that end it (Stripe: the subscription is over, no more invoices).
_ENDED: Final = frozenset({"canceled", "incomplete_expired"})


@dataclass(frozen=True, slots=True)
class BillingEvent:
    event_id: str
    kind: EventKind
    account: str  # the operator's sub, from the subscription's metadata
    plan: PlanCode | None = None  # from the price's lookup key (a portal change keeps metadata, not the price)
    subscription_status: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    trial_end: int | None = None
    provider: str = "stripe-billing"  # part of the exactly-once key, apart from payment events


@dataclass(frozen=True, slots=True)
class Decision:
    after: BillingAccount  # the same object as before: nothing to write
    notice: Notice | None = None


def lookup_key(plan: PlanCode, interval: Interval) -> str:
    """The Stripe price's lookup key for a plan's price: how checkout finds it and an event names the plan."""
    return f"{LOOKUP_PREFIX}_{plan.value}_{interval.value}"


def plan_of_lookup_key(key: str | None) -> PlanCode | None:
    parts = (key or "").split("_")
    if len(parts) != 3 or parts[0] != LOOKUP_PREFIX:
        return None
    try:
        return PlanCode(parts[1])
    except ValueError:
        return None


def decide(account: BillingAccount, event: BillingEvent, now: int) -> Decision:
    """The account after the event (raises accounts.IllegalMove when the state machine refuses it)."""
    before = account.effective(now)
    if event.kind is EventKind.TRIAL_WILL_END:
        return Decision(account, Notice.TRIAL_ENDING)
    if event.kind is EventKind.SUBSCRIPTION_DELETED or event.subscription_status in _ENDED:
        return Decision(account if before is BillingStatus.CANCELLED else cancel(account, now))
    if event.kind in (EventKind.SUBSCRIPTION_CREATED, EventKind.SUBSCRIPTION_UPDATED):
        return Decision(change_plan(account, event.plan) if event.plan else account)
    if event.kind is EventKind.INVOICE_PAID:
        start, end = event.period_start or now, event.period_end or now
        after = change_plan(paid(account, now, period_start=start, period_end=end), event.plan or account.plan)
        back = before in (BillingStatus.PAST_DUE, BillingStatus.RESTRICTED)
        return Decision(after, Notice.RESTORED if back else None)
    after = payment_failed(account, now)  # INVOICE_PAYMENT_FAILED
    return Decision(after, Notice.PAYMENT_FAILED if after is not account else None)
