"""The plans Nozzly sells, as data, in this one place: prices, limits and features.

Prices are what the merchant pays Nozzly (integer minor units + currency), not what their shoppers pay. Every
limit is a count the platform enforces when the thing is created (stores, products, seats, endpoints) or
meters per calendar month (AI imports and tokens). A higher plan never allows less than a lower one, so "the
plan that would allow it" is always the next one up that has room (`smallest_allowing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import NotFound
from nozzly.kernel.domain.money import Money

PLAN_CURRENCY: Final = "EUR"
TRIAL_DAYS: Final = 14  # on TRIAL_PLAN, without a card


class PlanCode(StrEnum):
    STARTER = "starter"
    GROWTH = "growth"
    PRO = "pro"


class Limit(StrEnum):
    STORES = "stores"  # per account: the stores its owner opened and has not deleted
    PRODUCTS_PER_STORE = "products_per_store"  # undeleted products of one store
    STAFF_SEATS = "staff_seats"  # per store: members and open invitations besides the owner
    AI_IMPORTS_PER_MONTH = "ai_imports_per_month"
    AI_TOKENS_PER_MONTH = "ai_tokens_per_month"
    WEBHOOK_ENDPOINTS = "webhook_endpoints"  # per store


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Plan:
    code: PlanCode
    name: str
    prices: Mapping[Interval, Money]
    limits: Mapping[Limit, int]
    custom_domain: bool
    platform_fee_basis_points: int  # taken from each card payment the merchant's stores receive
    trial_days: int = 0  # a free trial without a card (only the trial plan has one)

    def allows(self, limit: Limit, count: int) -> bool:
        """May an account on this plan hold `count` of the limited thing?"""
        return count <= self.limits[limit]


def _eur(amount: int) -> Money:
    return Money(amount, PLAN_CURRENCY)


# Cheapest first. Growth's product limit is well above what a demo store or a test fixture creates.
PLANS: Final[tuple[Plan, ...]] = (
    Plan(
        code=PlanCode.STARTER,
        name="Starter",
        prices={Interval.MONTH: _eur(2_900), Interval.YEAR: _eur(29_000)},
        limits={
            Limit.STORES: 1,
            Limit.PRODUCTS_PER_STORE: 100,
            Limit.STAFF_SEATS: 2,
            Limit.AI_IMPORTS_PER_MONTH: 5,
            Limit.AI_TOKENS_PER_MONTH: 200_000,
            Limit.WEBHOOK_ENDPOINTS: 1,
        },
        custom_domain=False,
        platform_fee_basis_points=200,
    ),
    Plan(
        code=PlanCode.GROWTH,
        name="Growth",
        prices={Interval.MONTH: _eur(7_900), Interval.YEAR: _eur(79_000)},
        limits={
            Limit.STORES: 5,
            Limit.PRODUCTS_PER_STORE: 5_000,
            Limit.STAFF_SEATS: 10,
            Limit.AI_IMPORTS_PER_MONTH: 50,
            Limit.AI_TOKENS_PER_MONTH: 2_000_000,
            Limit.WEBHOOK_ENDPOINTS: 5,
        },
        custom_domain=True,
        platform_fee_basis_points=100,
        trial_days=TRIAL_DAYS,
    ),
    Plan(
        code=PlanCode.PRO,
        name="Pro",
        prices={Interval.MONTH: _eur(24_900), Interval.YEAR: _eur(249_000)},
        limits={
            Limit.STORES: 25,
            Limit.PRODUCTS_PER_STORE: 100_000,
            Limit.STAFF_SEATS: 50,
            Limit.AI_IMPORTS_PER_MONTH: 500,
            Limit.AI_TOKENS_PER_MONTH: 20_000_000,
            Limit.WEBHOOK_ENDPOINTS: 20,  # webhooks' own cap per store (MAX_ENDPOINTS_PER_STORE)
        },
        custom_domain=True,
        platform_fee_basis_points=50,
    ),
)
TRIAL_PLAN: Final = PlanCode.GROWTH
_BY_CODE: Final[dict[str, Plan]] = {p.code.value: p for p in PLANS}


def plan(code: PlanCode | str) -> Plan:
    try:
        return _BY_CODE[str(code)]
    except KeyError:
        raise NotFound(f"plan {code!r} not found", field="plan") from None


def smallest_allowing(limit: Limit, count: int) -> Plan | None:
    """The cheapest plan that allows `count` of the thing (None: no plan does)."""
    return next((p for p in PLANS if p.allows(limit, count)), None)
