"""The one check every admin write passes (nozzly.api runs it before any handler): is the store's account
working? A restricted or cancelled account's store administration is refused with 402 account_restricted.

Costs one GetItem of the account per admin write (0.5 RCU, strongly consistent: a payment is seen at once); a
store's owner never changes, so it is read once per container.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
from nozzly.billing.domain.restriction import AccountRestricted, restricted_store
from nozzly.stores.adapters.stores import StoresRepository


def _now() -> int:
    return int(time.time())


@dataclass
class AccountGate:
    accounts: BillingAccountsRepository
    stores: StoresRepository
    clock: Callable[[], int] = field(default=_now)
    _owners: dict[str, str | None] = field(default_factory=dict)

    def check(self, method: str, path: str) -> None:
        """Raises AccountRestricted when the request is a store write its account may not make now."""
        store_id = restricted_store(method, path)
        if store_id is None:
            return
        if store_id not in self._owners:
            store = self.stores.find(store_id)
            if store is None:
                return  # the handler answers 404 as for any unknown store
            self._owners[store_id] = store.owner
        owner = self._owners[store_id]
        account = self.accounts.find(owner) if owner else None  # no owner or no account yet: nothing restricts
        if account is not None and not account.may_create(self.clock()):
            raise AccountRestricted(store_id)
