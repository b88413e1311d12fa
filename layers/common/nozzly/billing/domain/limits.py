"""The one rule every limited create applies: is there room for one more on the account's plan?

The check here explains a refusal; the guarantee is the conditional write that creates the thing (usage below
the limit, in the same transaction), so concurrent creates at the limit cannot both pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.billing.domain.accounts import BillingAccount, BillingStatus
from nozzly.billing.domain.plans import Limit, Plan, plan, smallest_allowing
from nozzly.kernel.domain.errors import PaymentRequired, PlanLimitReached


@dataclass(frozen=True, slots=True)
class Usage:
    limit: Limit
    used: int
    maximum: int
    store_id: str | None = None  # per-store limits name their store

    @property
    def remaining(self) -> int:
        return max(self.maximum - self.used, 0)


@dataclass(frozen=True, slots=True)
class BillingOverview:
    account: BillingAccount
    plan: Plan
    status: BillingStatus  # effective now: a trial or grace period that ran out is shown as restricted
    usage: list[tuple[Usage, bool]]  # (usage, metered); an unmetered one's `used` means nothing


def limit_of(account: BillingAccount, limit: Limit) -> int:
    return plan(account.plan).limits[limit]


def require_room(account: BillingAccount, limit: Limit, used: int, now: int) -> int:
    """The plan's limit if one more fits; else 402 naming the limit, the usage and the plan that would allow it."""
    if not account.may_create(now):
        raise PaymentRequired(
            f"the account is {account.effective(now).value}: pay or choose a plan to create more", field="billing"
        )
    maximum = limit_of(account, limit)
    if used < maximum:
        return maximum
    upgrade = smallest_allowing(limit, used + 1)
    hint = f"; the {upgrade.name} plan allows {upgrade.limits[limit]}" if upgrade else "; no plan allows more"
    what = limit.value.replace("_", " ")
    raise PlanLimitReached(
        f"the {plan(account.plan).name} plan allows {maximum} {what} and {used} are used{hint}",
        limit=limit.value,
        usage=used,
        maximum=maximum,
        plan=account.plan.value,
        upgrade_to=upgrade.code.value if upgrade else None,
    )
