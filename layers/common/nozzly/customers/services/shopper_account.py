"""A shopper's own data in a store: profile changes and the address book.

Every use case takes the Caller that `caller` checked (services.identity.store_shopper) for the path's store:
the address book's partition is built from the token's sub and the path's store, never from a request body.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import Caller, UserRecord
from nozzly.accounts.services.identity import current_user, store_shopper
from nozzly.customers.adapters.customers import AddressBookRepository
from nozzly.customers.domain.customers import Address, AddressBook, AddressFields, ProfileChange, new_address_id
from nozzly.stores.adapters.stores import StoresRepository

Claims = Mapping[str, str] | None


@dataclass(frozen=True)
class ShopperAccount:
    stores: StoresRepository
    users: UserDirectory
    books: AddressBookRepository
    clock: Callable[[], float] = field(default=time.time)

    def caller(self, store_id: str, claims: Claims) -> Caller:
        """Checked before anything else of a request: 404 unknown store, 401 unless this store's shopper."""
        return store_shopper(self.stores, store_id, claims)

    # ---- profile
    def update_profile(self, store_id: str, caller: Caller, change: ProfileChange) -> UserRecord:
        current_user(self.users, caller)  # the token's account, not a newer one with the same username
        self.users.update_attributes(caller.username, change.attributes())
        return current_user(self.users, caller)

    # ---- address book
    def address_book(self, store_id: str, caller: Caller) -> AddressBook:
        return self.books.read(store_id, caller.sub)

    def add_address(
        self, store_id: str, caller: Caller, fields: AddressFields, *, make_default: bool
    ) -> tuple[AddressBook, Address]:
        address = fields.address(new_address_id(), int(self.clock()))
        before = self.books.read(store_id, caller.sub)
        after = before.add(address, make_default=make_default)
        added = after.find(address.id)
        self.books.put(store_id, caller.sub, before, after, added)
        return after, added

    def replace_address(
        self, store_id: str, caller: Caller, address_id: str, fields: AddressFields, *, make_default: bool
    ) -> tuple[AddressBook, Address]:
        address = fields.address(address_id, 0)
        before = self.books.read(store_id, caller.sub)
        after = before.replace_address(address, make_default=make_default)
        kept = after.find(address_id)
        self.books.put(store_id, caller.sub, before, after, kept)
        return after, kept

    def delete_address(self, store_id: str, caller: Caller, address_id: str) -> None:
        before = self.books.read(store_id, caller.sub)
        self.books.delete(store_id, caller.sub, before, before.remove(address_id), address_id)
