"""Who is calling, shared by every function that serves accounts: a store's shopper realm, the live account.

The claims come from the JWT authorizer (gateway_context.jwt_claims); domain.accounts.caller_from_claims
decides whether they belong to the realm.
"""

from __future__ import annotations

from collections.abc import Mapping

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import Caller, Realm, UserRecord, caller_from_claims
from nozzly.kernel.domain.errors import Unauthorized
from nozzly.stores.adapters.stores import StoresRepository


def shopper_realm(stores: StoresRepository, store_id: str) -> Realm:
    """The realm of a store's shoppers; 404 for a store that does not exist or was deleted."""
    store = stores.get(store_id)
    return Realm(store_id=store.store_id, name=store.name)


def store_shopper(stores: StoresRepository, store_id: str, claims: Mapping[str, str] | None) -> Caller:
    """The shopper calling a store's route: 404 unknown store, 401 unless an access token of this store's."""
    return caller_from_claims(claims, shopper_realm(stores, store_id))


def current_user(users: UserDirectory, caller: Caller) -> UserRecord:
    """The caller's account as it is now. A token outlives a deleted account, and a new account may reuse the
    username: the sub must match."""
    user = users.get(caller.username)
    if user is None or user.sub != caller.sub:
        raise Unauthorized("the account no longer exists")
    return user
