"""Plans, the account's billing state machine and the limit rule, without a cloud."""

from __future__ import annotations

import itertools

import pytest

from nozzly.billing.domain import accounts as billing
from nozzly.billing.domain.accounts import DAY, GRACE_DAYS, BillingStatus, IllegalMove, new_trial
from nozzly.billing.domain.limits import require_room
from nozzly.billing.domain.plans import PLANS, TRIAL_PLAN, Interval, Limit, PlanCode, plan, smallest_allowing
from nozzly.kernel.domain.errors import NotFound, PaymentRequired, PlanLimitReached

NOW = 1_790_000_000


def test_every_plan_has_a_monthly_and_yearly_price_in_minor_units_and_a_value_for_every_limit() -> None:
    assert [p.code for p in PLANS] == [PlanCode.STARTER, PlanCode.GROWTH, PlanCode.PRO]
    for p in PLANS:
        assert set(p.prices) == set(Interval) and set(p.limits) == set(Limit)
        assert all(isinstance(m.amount, int) and m.currency == "EUR" for m in p.prices.values())
        assert p.prices[Interval.YEAR].amount < 12 * p.prices[Interval.MONTH].amount  # a year is cheaper


def test_a_higher_plan_never_allows_less_nor_costs_less() -> None:
    for lower, higher in itertools.pairwise(PLANS):
        assert all(higher.limits[limit] >= lower.limits[limit] for limit in Limit)
        assert higher.prices[Interval.MONTH].amount > lower.prices[Interval.MONTH].amount
        assert higher.platform_fee_basis_points <= lower.platform_fee_basis_points


def test_only_growth_has_the_14_day_trial_and_an_unknown_plan_is_not_found() -> None:
    assert [(p.code, p.trial_days) for p in PLANS if p.trial_days] == [(PlanCode.GROWTH, 14)]
    assert TRIAL_PLAN is PlanCode.GROWTH
    with pytest.raises(NotFound):
        plan("enterprise")


def test_the_plan_that_would_allow_one_more_is_the_cheapest_with_room() -> None:
    assert smallest_allowing(Limit.STORES, 1) is plan("starter")
    assert smallest_allowing(Limit.STORES, 2) is plan("growth")
    assert smallest_allowing(Limit.PRODUCTS_PER_STORE, 5_001) is plan("pro")
    assert smallest_allowing(Limit.PRODUCTS_PER_STORE, 100_001) is None


def test_a_full_plan_refuses_naming_the_limit_the_usage_and_the_upgrade() -> None:
    starter = billing.change_plan(new_trial("acct", NOW), PlanCode.STARTER)
    assert require_room(starter, Limit.PRODUCTS_PER_STORE, 99, NOW) == 100

    with pytest.raises(PlanLimitReached) as refused:
        require_room(starter, Limit.PRODUCTS_PER_STORE, 100, NOW)

    assert refused.value.plan_limit == {
        "limit": "products_per_store",
        "usage": 100,
        "maximum": 100,
        "plan": "starter",
        "upgrade_to": "growth",
    }
    assert "Growth plan allows 5000" in refused.value.message


def test_a_downgrade_below_usage_keeps_the_count_and_refuses_the_next_create() -> None:
    growth = new_trial("acct", NOW)
    assert require_room(growth, Limit.STORES, 3, NOW) == 5
    starter = billing.change_plan(growth, PlanCode.STARTER)
    assert starter.version == growth.version + 1
    with pytest.raises(PlanLimitReached) as refused:
        require_room(starter, Limit.STORES, 3, NOW)
    assert refused.value.plan_limit["usage"] == 3 and refused.value.plan_limit["maximum"] == 1


def test_a_trial_runs_14_days_then_is_restricted_without_a_card_and_paying_restores_it() -> None:
    trial = new_trial("acct", NOW)
    assert trial.status is BillingStatus.TRIALING and trial.trial_ends_at == NOW + 14 * DAY
    assert trial.effective(NOW + 14 * DAY - 1) is BillingStatus.TRIALING and trial.may_create(NOW + 14 * DAY - 1)
    ended = NOW + 14 * DAY
    assert trial.effective(ended) is BillingStatus.RESTRICTED and not trial.may_create(ended)
    with pytest.raises(PaymentRequired):
        require_room(trial, Limit.PRODUCTS_PER_STORE, 0, ended)

    restricted = billing.restrict(trial, ended)
    assert restricted.status is BillingStatus.RESTRICTED
    active = billing.paid(restricted, ended + 60, period_start=ended + 60, period_end=ended + 60 + 30 * DAY)
    assert active.status is BillingStatus.ACTIVE and active.trial_ends_at is None and active.may_create(ended + 61)


def test_a_failed_payment_gives_7_days_of_grace_that_retries_do_not_extend() -> None:
    active = billing.paid(new_trial("acct", NOW), NOW, period_start=NOW, period_end=NOW + 30 * DAY)
    late = billing.payment_failed(active, NOW + DAY)
    assert late.status is BillingStatus.PAST_DUE and late.grace_ends_at == NOW + DAY + GRACE_DAYS * DAY
    assert billing.payment_failed(late, NOW + 3 * DAY) == late  # the retry's failure changes nothing
    assert late.may_create(NOW + 7 * DAY)
    with pytest.raises(IllegalMove):
        billing.restrict(late, NOW + 7 * DAY)  # grace not over yet
    over = NOW + DAY + GRACE_DAYS * DAY
    assert late.effective(over) is BillingStatus.RESTRICTED
    assert billing.restrict(late, over).status is BillingStatus.RESTRICTED


def test_a_cancelled_account_cannot_pay_its_way_back_nor_fail_again() -> None:
    cancelled = billing.cancel(new_trial("acct", NOW), NOW)
    assert cancelled.status is BillingStatus.CANCELLED and not cancelled.may_create(NOW)
    with pytest.raises(IllegalMove):
        billing.paid(cancelled, NOW, period_start=NOW, period_end=NOW + DAY)
    with pytest.raises(IllegalMove):
        billing.payment_failed(cancelled, NOW)
    with pytest.raises(IllegalMove):
        billing.payment_failed(new_trial("acct", NOW), NOW)  # a trial has no payment to fail
