"""What an account owner's billing emails show (templates billing_trial_ending, billing_payment_failed,
billing_restricted, billing_restored), from Nozzly to the owner, in Nozzly's branding."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nozzly.billing.domain.accounts import BillingAccount, BillingStatus
from nozzly.billing.domain.plans import plan
from nozzly.billing.domain.subscriptions import Notice
from nozzly.messaging.emails.branding import named

_SUBJECT = {
    Notice.TRIAL_ENDING: "Your Nozzly trial ends on {trial_ends}",
    Notice.PAYMENT_FAILED: "Your Nozzly payment failed",
    Notice.RESTRICTED: "Your Nozzly stores are read-only",
    Notice.RESTORED: "Thank you: your Nozzly {plan} plan is active",
}


def _day(epoch: int | None) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%-d %B %Y") if epoch else "-"


def _reason(account: BillingAccount) -> str:
    if account.past_due_since is not None:
        return "Your invoice is still unpaid after the 7-day grace period."
    if account.status is BillingStatus.CANCELLED:
        return "Your subscription was cancelled."
    return "Your free trial ended without a plan."


def billing_notice(notice: Notice, account: BillingAccount, billing_url: str) -> dict[str, Any]:
    facts = {
        "plan": plan(account.plan).name,
        "trial_ends": _day(account.trial_ends_at),
        "grace_ends": _day(account.grace_ends_at),
        "period_end": _day(account.period_end),
        "reason": _reason(account),
    }
    return {
        "subject": _SUBJECT[notice].format(**facts),
        "brand": named("Nozzly"),
        "billing_url": billing_url,
        "account": facts,
    }
