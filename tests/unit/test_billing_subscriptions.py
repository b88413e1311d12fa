"""Stripe Billing's events judged by the domain, the events read from Stripe's JSON, which requests a restricted
account is refused, and the billing emails' facts, without a cloud."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nozzly.billing.adapters.stripe_billing import billing_event
from nozzly.billing.domain.accounts import DAY, BillingAccount, BillingStatus, IllegalMove, new_trial
from nozzly.billing.domain.plans import Interval, PlanCode
from nozzly.billing.domain.restriction import restricted_store
from nozzly.billing.domain.subscriptions import (
    BillingEvent,
    EventKind,
    Notice,
    decide,
    lookup_key,
    plan_of_lookup_key,
)
from nozzly.billing.emails.notices import billing_notice
from nozzly.payments.adapters.gateway import UnusableEvent

NOW = 1_790_000_000
SUB = "sub-alice"


def event(kind: EventKind, **fields: object) -> BillingEvent:
    return BillingEvent(f"evt_{kind.value}", kind, SUB, **fields)  # type: ignore[arg-type]


def active() -> BillingAccount:
    return replace(new_trial(SUB, NOW - 20 * DAY), status=BillingStatus.ACTIVE, trial_ends_at=None, version=3)


def test_lookup_keys_name_the_plan_and_interval_and_nothing_else_is_a_plan() -> None:
    assert lookup_key(PlanCode.PRO, Interval.YEAR) == "nozzly_pro_year"
    assert plan_of_lookup_key("nozzly_starter_month") is PlanCode.STARTER
    assert [plan_of_lookup_key(k) for k in (None, "", "nozzly_gold_month", "other_pro_month", "pro")] == [None] * 5


def test_a_paid_invoice_ends_the_trial_and_sets_the_period_without_an_email() -> None:
    trial = new_trial(SUB, NOW - DAY)
    decision = decide(trial, event(EventKind.INVOICE_PAID, period_start=NOW, period_end=NOW + 30 * DAY), NOW)
    after = decision.after
    assert (after.status, after.trial_ends_at, after.period_end) == (BillingStatus.ACTIVE, None, NOW + 30 * DAY)
    assert after.version > trial.version and decision.notice is None


def test_a_first_failure_starts_the_grace_once_and_emails_a_retry_changes_nothing() -> None:
    first = decide(active(), event(EventKind.INVOICE_PAYMENT_FAILED), NOW)
    assert first.after.status is BillingStatus.PAST_DUE and first.after.past_due_since == NOW
    assert first.notice is Notice.PAYMENT_FAILED
    retry = decide(first.after, event(EventKind.INVOICE_PAYMENT_FAILED), NOW + 3 * DAY)
    assert retry.after is first.after and retry.notice is None  # the grace still runs from the first failure


def test_paying_after_the_grace_restores_with_an_email() -> None:
    past_due = decide(active(), event(EventKind.INVOICE_PAYMENT_FAILED), NOW).after
    late = NOW + 8 * DAY
    assert past_due.effective(late) is BillingStatus.RESTRICTED
    restored = decide(past_due, event(EventKind.INVOICE_PAID, period_start=late, period_end=late + DAY), late)
    assert restored.after.status is BillingStatus.ACTIVE and restored.after.past_due_since is None
    assert restored.notice is Notice.RESTORED


def test_a_subscription_change_moves_the_plan_and_its_deletion_cancels_once() -> None:
    upgraded = decide(active(), event(EventKind.SUBSCRIPTION_UPDATED, plan=PlanCode.PRO), NOW).after
    assert upgraded.plan is PlanCode.PRO and upgraded.status is BillingStatus.ACTIVE
    same = decide(upgraded, event(EventKind.SUBSCRIPTION_UPDATED, plan=PlanCode.PRO), NOW)
    assert same.after is upgraded  # nothing to write
    cancelled = decide(upgraded, event(EventKind.SUBSCRIPTION_DELETED), NOW).after
    assert cancelled.status is BillingStatus.CANCELLED
    assert decide(cancelled, event(EventKind.SUBSCRIPTION_DELETED), NOW).after is cancelled
    ended = decide(upgraded, event(EventKind.SUBSCRIPTION_UPDATED, subscription_status="canceled"), NOW)
    assert ended.after.status is BillingStatus.CANCELLED


def test_a_failure_for_a_cancelled_account_is_refused_and_a_trial_ending_only_emails() -> None:
    cancelled = decide(active(), event(EventKind.SUBSCRIPTION_DELETED), NOW).after
    with pytest.raises(IllegalMove):
        decide(cancelled, event(EventKind.INVOICE_PAYMENT_FAILED), NOW)
    trial = new_trial(SUB, NOW)
    assert decide(trial, event(EventKind.TRIAL_WILL_END), NOW) == decide(trial, event(EventKind.TRIAL_WILL_END), NOW)
    assert decide(trial, event(EventKind.TRIAL_WILL_END), NOW).after is trial


def test_stripe_events_read_in_2025_shapes_with_the_plan_from_the_price_only() -> None:
    item = {"price": {"lookup_key": "nozzly_pro_year"}, "current_period_start": 10, "current_period_end": 20}
    sub = {"object": "subscription", "status": "active", "metadata": {"account": SUB, "plan": "growth"}}
    found = billing_event(
        {"id": "evt_1", "type": "customer.subscription.updated", "data": {"object": sub | {"items": {"data": [item]}}}}
    )
    assert found == BillingEvent("evt_1", EventKind.SUBSCRIPTION_UPDATED, SUB, PlanCode.PRO, "active", 10, 20)
    invoice = {
        "parent": {"subscription_details": {"metadata": {"account": SUB, "plan": "growth"}}},
        "lines": {"data": [{"period": {"start": 30, "end": 40}}]},
    }
    paid = billing_event({"id": "evt_2", "type": "invoice.paid", "data": {"object": invoice}})
    assert paid == BillingEvent("evt_2", EventKind.INVOICE_PAID, SUB, None, None, 30, 40)  # metadata's plan is stale
    assert billing_event({"id": "evt_3", "type": "charge.refunded", "data": {"object": {}}}) is None
    with pytest.raises(UnusableEvent):
        billing_event({"id": "evt_4", "type": "invoice.paid", "data": {"object": {"metadata": {}}}})


@pytest.mark.parametrize(
    ("method", "path", "store"),
    [
        ("POST", "/admin/stores/shop/products", "shop"),
        ("PATCH", "/admin/stores/shop", "shop"),
        ("DELETE", "/admin/stores/shop/webhooks/ep_1", "shop"),
        ("PUT", "/admin/stores/shop/settings/tax", "shop"),
        ("POST", "/admin/stores/shop/orders", "shop"),  # a new manual order is new business
        ("GET", "/admin/stores/shop/products", None),
        ("POST", "/admin/stores", None),  # opening a store: the plan guard answers payment_required
        ("POST", "/billing/checkout", None),
        ("POST", "/stores/shop/checkout", None),
        ("POST", "/admin/stores/shop/orders/o1/fulfilments", None),  # shoppers who paid are still served
        ("PATCH", "/admin/stores/shop/orders/o1/fulfilments/f1", None),
        ("POST", "/admin/stores/shop/orders/o1/refunds", None),
        ("POST", "/admin/stores/shop/orders/o1/status", None),
        ("POST", "/admin/stores/shop/notifications/read-all", None),
        ("POST", "/admin/stores/shop/invoices/exports", None),
    ],
)
def test_which_requests_a_restricted_account_is_refused(method: str, path: str, store: str | None) -> None:
    assert restricted_store(method, path) == store


@pytest.mark.parametrize("notice", list(Notice))
def test_each_billing_email_names_the_plan_and_links_to_billing(notice: Notice) -> None:
    past_due = decide(active(), event(EventKind.INVOICE_PAYMENT_FAILED), NOW).after
    facts = billing_notice(notice, past_due, "https://console.example/#/billing")
    assert facts["brand"]["name"] == "Nozzly" and facts["billing_url"].endswith("/#/billing")
    assert facts["account"]["plan"] == "Growth" and facts["subject"].startswith(("Your Nozzly", "Thank you"))
    assert facts["account"]["grace_ends"] == "28 September 2026"  # 7 days after the first failure


def test_an_account_a_subscription_bills_is_sent_to_the_portal_not_a_second_checkout() -> None:
    trial = new_trial(SUB, NOW)
    past_due = decide(active(), event(EventKind.INVOICE_PAYMENT_FAILED), NOW).after
    cancelled = decide(active(), event(EventKind.SUBSCRIPTION_DELETED), NOW).after
    assert active().subscribed(NOW) and past_due.subscribed(NOW) and past_due.subscribed(NOW + 30 * DAY)
    assert not trial.subscribed(NOW) and not trial.subscribed(NOW + 30 * DAY)  # a trial over without a card
    assert not cancelled.subscribed(NOW)
