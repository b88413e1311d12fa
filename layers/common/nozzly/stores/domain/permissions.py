"""Who may do what in a store: the one permission matrix. Enforcement is stores/services/tenancy.require.

Roles are ordered owner > admin > staff: each action names the lowest role that may perform it, so a
higher role can always do what a lower one can. README.md's "Permission matrix" is generated from
MINIMUM_ROLE (`matrix_markdown`), and a unit test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    STAFF = "staff"


# Highest first: a role's rank is its distance from the bottom.
ROLES: Final[tuple[Role, ...]] = (Role.OWNER, Role.ADMIN, Role.STAFF)
_RANK: Final[dict[Role, int]] = {role: len(ROLES) - i for i, role in enumerate(ROLES)}


class Action(StrEnum):
    STORE_READ = "store.read"
    STORE_UPDATE = "store.update"
    STORE_DELETE = "store.delete"
    STAFF_MANAGE = "staff.manage"
    CATALOG_READ = "catalog.read"
    CATALOG_WRITE = "catalog.write"
    ORDERS_READ = "orders.read"
    ORDERS_MANAGE = "orders.manage"
    REFUNDS_CREATE = "refunds.create"
    SETTINGS_MANAGE = "settings.manage"
    PROMOTIONS_MANAGE = "promotions.manage"
    REPORTS_READ = "reports.read"
    INTEGRATIONS_MANAGE = "integrations.manage"
    INVOICES_READ = "invoices.read"
    BILLING_MANAGE = "billing.manage"


MINIMUM_ROLE: Final[dict[Action, Role]] = {
    Action.STORE_READ: Role.STAFF,
    Action.STORE_UPDATE: Role.ADMIN,
    Action.STORE_DELETE: Role.OWNER,  # irreversible for shoppers: only the owner
    Action.STAFF_MANAGE: Role.ADMIN,
    Action.CATALOG_READ: Role.STAFF,
    Action.CATALOG_WRITE: Role.STAFF,
    Action.ORDERS_READ: Role.STAFF,
    Action.ORDERS_MANAGE: Role.STAFF,  # fulfil, ship, cancel: day-to-day work
    Action.REFUNDS_CREATE: Role.ADMIN,  # money leaves the store
    Action.SETTINGS_MANAGE: Role.ADMIN,  # taxes, shipping, email
    Action.PROMOTIONS_MANAGE: Role.ADMIN,  # coupons: money leaves the store
    Action.REPORTS_READ: Role.ADMIN,  # revenue, sales and product reports
    Action.INTEGRATIONS_MANAGE: Role.ADMIN,  # webhooks send store data to third parties
    Action.INVOICES_READ: Role.STAFF,  # an invoice shows no more than the order it is for (orders.read)
    Action.BILLING_MANAGE: Role.OWNER,  # the plan and its payment are the account owner's (billing/)
}


@dataclass(frozen=True, slots=True)
class Membership:
    """An operator's place in a store. The store's name and deletion are copied here so that one read
    answers both "may this caller act on the store?" and "which stores are mine?"."""

    store_id: str
    sub: str
    role: Role
    store_name: str
    store_deleted: bool = False
    email: str = ""  # recorded when an invitation is accepted; "" for owners (their account knows it)


def allowed(role: Role | str, action: Action | str) -> bool:
    """May a member with this role perform the action? Unknown roles and actions may do nothing."""
    try:
        return _RANK[Role(role)] >= _RANK[MINIMUM_ROLE[Action(action)]]
    except (ValueError, KeyError):
        return False


def permissions_of(role: Role | str) -> list[str]:
    """Every action a member with this role may perform, in the matrix's order (what an app may offer them)."""
    return [action.value for action in Action if allowed(role, action)]


def outranks(role: Role, other: Role) -> bool:
    """Strictly above: who may grant, change or take away a role (nobody manages their equals)."""
    return _RANK[role] > _RANK[other]


def matrix_markdown() -> str:
    """The matrix as the Markdown table README.md shows (one row per action, one column per role)."""
    lines = ["| action | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for action in Action:
        marks = " | ".join("yes" if allowed(role, action) else "-" for role in ROLES)
        lines.append(f"| `{action.value}` | {marks} |")
    return "\n".join(lines)
