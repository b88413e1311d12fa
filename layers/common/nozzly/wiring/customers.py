"""Customers: a shopper's own profile and address book."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.customers.services.shopper_account import ShopperAccount


@factory
def shopper_account() -> ShopperAccount:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.customers.adapters.customers import AddressBookRepository
    from nozzly.customers.services.shopper_account import ShopperAccount
    from nozzly.settings import ShopperAccountSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ShopperAccountSettings)
    return ShopperAccount(
        StoresRepository(s.stores_table), UserDirectory(s.user_pool_id), AddressBookRepository(s.customers_table)
    )
