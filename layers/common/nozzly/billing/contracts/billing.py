"""The plans' and an account's billing overview on the wire (the OpenAPI document is built from these)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nozzly.billing.domain.limits import BillingOverview, Usage
from nozzly.billing.domain.plans import Interval, Limit, Plan, PlanCode
from nozzly.kernel.contracts.money import MoneyOut


class PlanPrices(BaseModel):
    month: MoneyOut = Field(description="Billed every month.")
    year: MoneyOut = Field(description="Billed every year.")


class PlanLimits(BaseModel):
    stores: int = Field(description="Stores the account may have open (not deleted).")
    products_per_store: int = Field(description="Undeleted products in each store.")
    staff_seats: int = Field(description="Members of each store besides its owner.")
    ai_imports_per_month: int
    ai_tokens_per_month: int
    webhook_endpoints: int = Field(description="Outbound webhook endpoints of each store.")


class PlanFeatures(BaseModel):
    custom_domain: bool
    platform_fee_basis_points: int = Field(description="Taken from each card payment: 100 is 1 %.")


class PlanOut(BaseModel):
    code: str = Field(examples=["growth"])
    name: str
    prices: PlanPrices
    limits: PlanLimits
    features: PlanFeatures
    trial_days: int = Field(description="A free trial without a card (0: none).")


class PlanList(BaseModel):
    items: list[PlanOut] = Field(description="Cheapest first; a later plan never allows less.")


class Period(BaseModel):
    start: int = Field(description="Epoch seconds.")
    end: int = Field(description="Epoch seconds.")


class UsageOut(BaseModel):
    limit: Limit
    store: str | None = Field(description="The store a per-store limit is counted in; null for account limits.")
    used: int | None = Field(description="null: not metered yet.")
    maximum: int = Field(description="What the account's plan allows.")


class BillingOut(BaseModel):
    account: str = Field(description="The account: the owning operator's id.")
    plan: PlanOut
    status: str = Field(description="trialing, active, past_due, restricted or cancelled (as of now).")
    trial_ends_at: int | None = Field(description="Epoch seconds; null when not trialing or not started.")
    grace_ends_at: int | None = Field(description="Past due: when the account becomes restricted (epoch s).")
    current_period: Period | None
    usage: list[UsageOut] = Field(description="Every limit: account limits, then each owned store's.")


def plan_out(p: Plan) -> PlanOut:
    return PlanOut(
        code=p.code.value,
        name=p.name,
        prices=PlanPrices(month=MoneyOut.of(p.prices[Interval.MONTH]), year=MoneyOut.of(p.prices[Interval.YEAR])),
        limits=PlanLimits(**{limit.value: n for limit, n in p.limits.items()}),
        features=PlanFeatures(custom_domain=p.custom_domain, platform_fee_basis_points=p.platform_fee_basis_points),
        trial_days=p.trial_days,
    )


def _usage_out(usage: Usage, metered: bool) -> UsageOut:
    return UsageOut(
        limit=usage.limit, store=usage.store_id, used=usage.used if metered else None, maximum=usage.maximum
    )


def billing_out(o: BillingOverview) -> BillingOut:
    a = o.account
    period = Period(start=a.period_start, end=a.period_end) if a.period_start and a.period_end else None
    return BillingOut(
        account=a.account,
        plan=plan_out(o.plan),
        status=o.status.value,
        trial_ends_at=a.trial_ends_at,
        grace_ends_at=a.grace_ends_at,
        current_period=period,
        usage=[_usage_out(u, metered) for u, metered in o.usage],
    )


class SubscriptionCheckoutIn(BaseModel):
    plan: PlanCode = Field(description="The plan to subscribe to (or change to).")
    interval: Interval = Field(description="Billed every month or every year.")


class SubscriptionCheckoutOut(BaseModel):
    session_id: str = Field(description="The Stripe Checkout Session (subscription mode).")
    url: str = Field(description="Where to send the owner: Stripe's hosted checkout page.")


class PortalOut(BaseModel):
    url: str = Field(description="Where to send the owner: Stripe's Customer Portal (card, invoices, cancel).")


class BillingWebhookAck(BaseModel):
    received: bool
    event_id: str | None
    outcome: str = Field(
        description="The account's status after the event, `unchanged`, `ignored` (refused by the state machine "
        "or naming no account) or `unhandled` (a type billing does not act on)."
    )
