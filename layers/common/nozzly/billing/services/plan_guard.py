"""The plan checks the limited creates share: the writes that take (or give back) a slot, built for the
create's own transaction, after the domain has judged that there is room.

The judgement explains a refusal (402 naming the limit, the usage and the plan that would allow it); the
writes' conditions are the guarantee: the slot's counter is below the limit and the account's plan is still
the one judged, in the same TransactWriteItems that creates the thing. A lost race fails the transaction on
the part named PLAN_PART; the caller reads again and judges again (then the refusal is a 402).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

from nozzly.billing.adapters.account_months import AccountMonthsRepository
from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
from nozzly.billing.adapters.store_usage import StoreUsageRepository, empty
from nozzly.billing.domain.accounts import BillingAccount, legacy, new_trial
from nozzly.billing.domain.limits import require_room
from nozzly.billing.domain.plans import Limit
from nozzly.kernel.adapters.unit_of_work import ReadSet, Write

PLAN_PART: Final = "plan"  # the transaction part whose failure means "the usage or the plan moved: judge again"


def _now() -> int:
    return int(time.time())


def month_of(epoch: int) -> str:
    """The calendar month (UTC) a monthly limit counts in: YYYY-MM."""
    return time.strftime("%Y-%m", time.gmtime(epoch))


@dataclass(frozen=True, slots=True)
class PlanGuard:
    accounts: BillingAccountsRepository
    usage: StoreUsageRepository
    months: AccountMonthsRepository
    clock: Callable[[], int] = field(default=_now)

    # ---------------------------------------------------------------- stores per account
    def store_opening(self, owner: str, owned: Callable[[], int]) -> list[Write]:
        """The write that counts a new store on its owner's account.

        The account's first write starts its trial and seeds its count with the stores it already owns
        (`owned()`: opened before billing, or imported), so the count is the truth from then on.
        """
        now = self.clock()
        account = self.accounts.find(owner)
        if account is None:
            trial = new_trial(owner, now)
            already = owned()
            require_room(trial, Limit.STORES, already, now)
            return [self.accounts.opened_first_store_op(replace(trial, stores_used=already + 1))]
        maximum = require_room(account, Limit.STORES, account.stores_used, now)
        return [self.accounts.store_slot_op(account, maximum)]

    def store_closing(self, owner: str | None) -> list[Write]:
        """A deleted store gives its slot back (no account yet: nothing was counted)."""
        account = self.accounts.find(owner) if owner else None
        return [self.accounts.store_released_op(account.account)] if account and account.stores_used > 0 else []

    # ---------------------------------------------------------------- per-store limits
    def taking(self, store_id: str, owner: str | None, limit: Limit, existing: Callable[[], int]) -> list[Write]:
        """The writes that take one slot of a per-store limit on the owner's plan.

        `existing()` counts what the store holds, asked once per store and limit (the first create since billing
        seeds the counter with it). A store without an owner (a platform store) has no plan and no limit.
        """
        if owner is None:
            return []
        now = self.clock()
        reads = ReadSet()
        account_ref, usage_ref = reads.add(self.accounts.read(owner)), reads.add(self.usage.read(store_id))
        found = reads.fetch()
        read_account = found[account_ref]
        account: BillingAccount = read_account or legacy(owner)
        counted = (found[usage_ref] or empty(store_id)).used(limit)
        used = existing() if counted is None else counted
        maximum = require_room(account, limit, used, now)
        seed = used if counted is None else None
        return [
            self.usage.taken_op(store_id, limit, maximum, seed=seed),
            self.accounts.unchanged_op(owner, read_account),
        ]

    # ---------------------------------------------------------------- per account and calendar month
    def taking_this_month(self, owner: str | None, limit: Limit) -> list[Write]:
        """The writes that take one of this month's slots of an account-wide monthly limit (AI imports), in
        the create's transaction. A store without an owner (a platform store) has no plan and no limit."""
        if owner is None:
            return []
        now = self.clock()
        month = month_of(now)
        reads = ReadSet()
        account_ref, month_ref = reads.add(self.accounts.read(owner)), reads.add(self.months.read(owner, month))
        found = reads.fetch()
        read_account = found[account_ref]
        used = (found[month_ref] or {}).get(limit, 0)
        maximum = require_room(read_account or legacy(owner), limit, used, now)
        return [self.months.taken_op(owner, month, limit, maximum), self.accounts.unchanged_op(owner, read_account)]

    def used_this_month(self, owner: str, limit: Limit) -> int:
        found = ReadSet()
        ref = found.add(self.months.read(owner, month_of(self.clock())))
        return (found.fetch()[ref] or {}).get(limit, 0)

    def judge(self, owner: str | None, limit: Limit, used: int) -> None:
        """Refuse early, before anything is sent or created (an invitation): no write, no guarantee. The
        guarantee comes later, from `taking` in the write that creates the thing."""
        if owner is not None:
            account = self.accounts.find(owner) or legacy(owner)
            require_room(account, limit, used, self.clock())

    def giving_back(self, store_id: str, limit: Limit) -> list[Write]:
        """The write that frees one slot of a per-store limit; none when nothing is counted (never seeded: the
        seed will count what is left)."""
        found = ReadSet()
        ref = found.add(self.usage.read(store_id))
        counted = (found.fetch()[ref] or empty(store_id)).used(limit)
        return [self.usage.released_op(store_id, limit)] if counted else []
