"""Subscribing through Stripe: Checkout and the Customer Portal for the account's owner, and the billing webhook
that moves the account through its states (each event processed exactly once).

The account is the caller's own (their sub, from the verified token); only an owner of a live store manages it
(`billing.manage`), so staff and admins of someone else's stores get 403.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
from nozzly.billing.adapters.stripe_billing import StripeBilling
from nozzly.billing.adapters.stripe_customers import StripeCustomersRepository
from nozzly.billing.domain.accounts import IllegalMove, legacy
from nozzly.billing.domain.plans import Interval, PlanCode
from nozzly.billing.domain.subscriptions import BillingEvent, decide
from nozzly.billing.services.notices import BillingNotices
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, Forbidden, InvalidInput
from nozzly.observability import logger
from nozzly.payments.adapters.gateway import UnusableEvent
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action, allowed

ATTEMPTS = 4


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True, slots=True)
class Receipt:
    event_id: str | None
    outcome: str


@dataclass(frozen=True)
class Subscribing:
    members: MembersRepository
    accounts: BillingAccountsRepository
    customers: StripeCustomersRepository
    stripe: StripeBilling
    return_url: str  # the console's billing page: where Stripe sends the owner back
    clock: Callable[[], int] = field(default=_now)

    def _require_owner(self, operator: str) -> None:
        if not any(
            allowed(m.role, Action.BILLING_MANAGE) and not m.store_deleted for m in self.members.of_operator(operator)
        ):
            raise Forbidden("only a store's owner manages its account's billing (billing.manage)")

    def checkout(self, operator: str, email: str | None, code: PlanCode, interval: Interval) -> tuple[str, str]:
        """(session id, URL) of a Stripe Checkout subscribing the caller's account to the plan."""
        self._require_owner(operator)
        account = self.accounts.find(operator)
        if account is not None and account.subscribed(self.clock()):
            raise Conflict(
                "the account is already subscribed: change its plan through POST /billing/portal", field="plan"
            )
        customer = self.customers.find(operator)
        if customer is None:
            customer = self.customers.remember(operator, self.stripe.create_customer(operator, email), self.clock())
        return self.stripe.checkout(
            customer,
            operator,
            (code, interval),
            success_url=f"{self.return_url}?checkout=done",
            cancel_url=f"{self.return_url}?checkout=cancelled",
        )

    def portal(self, operator: str) -> str:
        self._require_owner(operator)
        customer = self.customers.find(operator)
        if customer is None:
            raise Conflict("the account has no Stripe subscription yet: subscribe through checkout first", field="plan")
        return self.stripe.portal(customer, self.return_url)


@dataclass(frozen=True)
class BillingEvents:
    """What one verified event does to its account: judged by the domain, written conditioned on the version
    read (a concurrent change makes this delivery fail and be retried), then the owner's email."""

    accounts: BillingAccountsRepository
    owned_stores: Callable[[str], int]  # an account written first by an event counts its owner's stores
    notices: BillingNotices
    clock: Callable[[], int] = field(default=_now)

    def handle(self, event: BillingEvent) -> str:
        # Stripe sends a checkout's events at once (subscription created, invoice paid): one may lose the race
        # for the account's version; it reads again and judges again rather than failing the delivery.
        for _ in range(ATTEMPTS - 1):
            try:
                return self._apply(event)
            except WriteConflict:
                continue
        try:
            return self._apply(event)
        except WriteConflict:
            raise Conflict("the account changed meanwhile; retry", field="event_id") from None

    def _apply(self, event: BillingEvent) -> str:
        now = self.clock()
        found = self.accounts.find(event.account)
        account = found or replace(legacy(event.account), stores_used=self.owned_stores(event.account))
        try:
            decision = decide(account, event, now)
        except IllegalMove as refused:
            why = {"event_id": event.event_id, "why": refused.message}
            logger.info("billing event refused by the state machine", extra=why)
            return "ignored"
        after = decision.after
        if after is not account:
            write = self.accounts.replace_op(account, after) if found else self.accounts.created_op(after)
            Transaction().add("account", write).commit()
        if decision.notice is not None:
            self.notices.send(decision.notice, after)
        return after.status.value if after is not account else "unchanged"


@dataclass(frozen=True)
class BillingWebhookReceiver:
    stripe: StripeBilling
    once: Callable[[BillingEvent, Any], str]  # payments.adapters.once.ExactlyOnce over BillingEvents.handle
    configured: bool = True

    def receive(self, body: bytes, headers: Mapping[str, str], context: Any = None) -> Receipt:
        if not body or not self.configured:
            raise InvalidInput("empty body, or no billing webhook secret configured", field="signature")
        try:
            event = self.stripe.parse(body, headers)
        except UnusableEvent as unusable:
            logger.warning("billing webhook ignored", extra={"event_id": unusable.event_id, "reason": unusable.reason})
            return Receipt(unusable.event_id, "ignored")
        if event is None:
            return Receipt(None, "unhandled")
        outcome = self.once(event, context)
        logger.info(
            "billing webhook processed",
            extra={"event_id": event.event_id, "kind": event.kind.value, "outcome": outcome},
        )
        return Receipt(event.event_id, outcome)
