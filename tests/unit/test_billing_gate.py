"""The check before every admin write: a restricted account's store writes are refused, reads and shoppers'
routes never are, and a store's owner is read once per container."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from nozzly.billing.domain.accounts import DAY, BillingAccount, BillingStatus, new_trial
from nozzly.billing.domain.restriction import AccountRestricted
from nozzly.billing.services.gate import AccountGate

NOW = 1_790_000_000


@dataclass
class Stores:
    owners: dict[str, str | None]
    reads: list[str] = field(default_factory=list)

    def find(self, store_id: str) -> Any:
        self.reads.append(store_id)
        return type("Store", (), {"owner": self.owners[store_id]}) if store_id in self.owners else None


@dataclass
class Accounts:
    accounts: dict[str, BillingAccount]

    def find(self, account: str) -> BillingAccount | None:
        return self.accounts.get(account)


def gate(account: BillingAccount | None, owners: dict[str, str | None] | None = None) -> tuple[AccountGate, Stores]:
    stores = Stores(owners if owners is not None else {"shop": "alice"})
    found = Accounts({"alice": account} if account else {})
    return AccountGate(found, stores, clock=lambda: NOW), stores  # type: ignore[arg-type]


def test_a_trial_over_without_a_card_refuses_store_writes_with_402_account_restricted() -> None:
    checker, _ = gate(new_trial("alice", NOW - 15 * DAY))
    with pytest.raises(AccountRestricted) as refused:
        checker.check("POST", "/admin/stores/shop/products")
    assert refused.value.code == "account_restricted"
    checker.check("GET", "/admin/stores/shop/products")  # reading goes on
    checker.check("POST", "/admin/stores/shop/orders/o1/fulfilments")  # shoppers who paid are served


def test_a_working_account_or_none_at_all_writes_freely_and_the_owner_is_read_once() -> None:
    checker, stores = gate(replace(new_trial("alice", NOW), status=BillingStatus.ACTIVE))
    for _ in range(3):
        checker.check("PATCH", "/admin/stores/shop")
    assert stores.reads == ["shop"]
    gate(None)[0].check("POST", "/admin/stores/shop/products")  # an owner from before billing
    gate(new_trial("alice", NOW - 15 * DAY), {"shop": None})[0].check("POST", "/admin/stores/shop/products")
    gate(new_trial("alice", NOW - 15 * DAY), {})[0].check("POST", "/admin/stores/gone/products")  # handler's 404
