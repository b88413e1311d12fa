"""What an operator sees of their account's billing: the plans on sale, their plan, its state and usage."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
from nozzly.billing.adapters.store_usage import StoreUsageRepository, empty
from nozzly.billing.domain.accounts import BillingAccount, legacy
from nozzly.billing.domain.limits import BillingOverview, Usage, limit_of
from nozzly.billing.domain.plans import PLANS, Limit, Plan, plan
from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Membership, Role

# Limits nothing meters yet (AI tokens are budgeted per store and day, not yet per account and month).
UNMETERED = frozenset({Limit.AI_TOKENS_PER_MONTH})
MONTHLY = (Limit.AI_IMPORTS_PER_MONTH,)  # counted per account and calendar month


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True, slots=True)
class BillingDesk:
    accounts: BillingAccountsRepository
    usage: StoreUsageRepository
    members: MembersRepository
    # How to count what a store holds, for a per-store counter never seeded (products, webhook endpoints).
    count: Mapping[Limit, Callable[[str], int]]
    # This calendar month's use of an account-wide monthly limit (the plan guard's count).
    monthly: Callable[[str, Limit], int]
    clock: Callable[[], int] = field(default=_now)

    def plans(self) -> tuple[Plan, ...]:
        return PLANS

    def overview(self, operator: str) -> BillingOverview:
        """The caller's own account (the account is the operator who owns the stores): nobody reads another's."""
        owned = sorted(
            (m for m in self.members.of_operator(operator) if m.role is Role.OWNER), key=lambda m: m.store_id
        )
        account = self.accounts.find(operator)
        stores_used = account.stores_used if account else len(owned)
        account = account or legacy(operator)
        usage: list[tuple[Usage, bool]] = [(Usage(Limit.STORES, stores_used, limit_of(account, Limit.STORES)), True)]
        usage += self._per_store(account, owned)
        return BillingOverview(account, plan(account.plan), account.effective(self.clock()), usage)

    def _per_store(self, account: BillingAccount, owned: list[Membership]) -> list[tuple[Usage, bool]]:
        reads = ReadSet()
        refs = {m.store_id: reads.add(self.usage.read(m.store_id)) for m in owned}
        found = reads.fetch() if owned else None
        out: list[tuple[Usage, bool]] = []
        for m in owned:
            counted = (found[refs[m.store_id]] if found else None) or empty(m.store_id)
            measured: dict[Limit, int] = {}
            for limit, count in self.count.items():
                used = counted.used(limit)
                measured[limit] = count(m.store_id) if used is None else used
            seats = counted.used(Limit.STAFF_SEATS)  # never seeded: the memberships are the truth
            measured[Limit.STAFF_SEATS] = seats if seats is not None else self._staff(m.store_id)
            for limit in (Limit.PRODUCTS_PER_STORE, Limit.STAFF_SEATS, Limit.WEBHOOK_ENDPOINTS):
                out.append((Usage(limit, measured.get(limit, 0), limit_of(account, limit), m.store_id), True))
        for limit in MONTHLY:
            out.append((Usage(limit, self.monthly(account.account, limit), limit_of(account, limit)), True))
        for limit in UNMETERED:
            out.append((Usage(limit, 0, limit_of(account, limit)), False))
        return out

    def _staff(self, store_id: str) -> int:
        return sum(1 for m in self.members.of_store(store_id) if m.role is not Role.OWNER)
