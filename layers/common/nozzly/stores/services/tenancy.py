"""The one place permissions are enforced: may this operator perform this action on this store?"""

from __future__ import annotations

from nozzly.kernel.domain.errors import Forbidden, NotFound
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action, Membership, allowed


def require(members: MembersRepository, store_id: str, caller_sub: str, action: Action) -> Membership:
    """The caller's membership if it allows the action.

    store_id comes from the request's path and caller_sub from the verified token, never from a body.
    A non-member learns nothing about a store, not even that it exists: 404, as for a deleted store.
    """
    member = members.get(store_id, caller_sub)
    if member is None or member.store_deleted:
        raise NotFound(f"store {store_id!r} not found", field="store")
    if not allowed(member.role, action):
        raise Forbidden(f"a store {member.role.value} may not do {action.value}")
    return member
