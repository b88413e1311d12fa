"""Stripe Billing through the stripe SDK: the account's customer, Checkout in subscription mode, the Customer
Portal, and the billing webhook's events read into domain events.

Each plan's price is found by its lookup key (`nozzly_{plan}_{interval}`); the first checkout for a price that
does not exist yet creates it from the plans' data (one idempotency key per price and amount), so prices live in
one place (billing/domain/plans.py) and Stripe follows. The subscription carries the account in its metadata, so
every event names the account without a lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nozzly.billing.domain.plans import Interval, PlanCode, plan
from nozzly.billing.domain.subscriptions import BillingEvent, EventKind, lookup_key, plan_of_lookup_key
from nozzly.kernel.adapters.secrets import Key, PerKey, current
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.payments.adapters.gateway import UnusableEvent, header, json_object
from nozzly.payments.adapters.stripe_gateway import SIGNATURE_HEADER, TOLERANCE_SECONDS, provider_errors

if TYPE_CHECKING:
    from stripe import StripeClient


def _get(data: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and len(data) > step else None
        else:
            data = data.get(step) if isinstance(data, dict) else None
    return data


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _subscription_event(event_id: str, kind: EventKind, sub: dict[str, Any]) -> BillingEvent:
    item = _get(sub, "items", "data", 0) or {}
    return BillingEvent(
        event_id=event_id,
        kind=kind,
        account=str(_get(sub, "metadata", "account") or ""),
        plan=plan_of_lookup_key(_get(item, "price", "lookup_key")) or plan_of_lookup_key(_get(sub, "metadata", "plan")),
        subscription_status=_get(sub, "status"),
        # API versions from 2025-03 keep the period on the item; older ones on the subscription.
        period_start=_int(_get(item, "current_period_start")) or _int(_get(sub, "current_period_start")),
        period_end=_int(_get(item, "current_period_end")) or _int(_get(sub, "current_period_end")),
        trial_end=_int(_get(sub, "trial_end")),
    )


def _invoice_event(event_id: str, kind: EventKind, invoice: dict[str, Any]) -> BillingEvent:
    line = _get(invoice, "lines", "data", 0) or {}
    metadata = (
        _get(invoice, "parent", "subscription_details", "metadata")  # API versions from 2025-03
        or _get(invoice, "subscription_details", "metadata")
        or _get(invoice, "metadata")
        or {}
    )
    key = _get(line, "price", "lookup_key") or _get(line, "pricing", "price_details", "lookup_key")
    return BillingEvent(
        event_id=event_id,
        kind=kind,
        account=str(metadata.get("account") or ""),
        # Only the price says the plan: the metadata keeps the plan first subscribed to, even after a portal change.
        plan=plan_of_lookup_key(key),
        period_start=_int(_get(line, "period", "start")) or _int(_get(invoice, "period_start")),
        period_end=_int(_get(line, "period", "end")) or _int(_get(invoice, "period_end")),
    )


def billing_event(event: dict[str, Any]) -> BillingEvent | None:
    """A verified event as a domain event; None for a type billing does not act on; UnusableEvent when it names
    no account (a subscription not made by Nozzly's checkout)."""
    try:
        kind = EventKind(str(event.get("type")))
    except ValueError:
        return None
    event_id, data = str(event.get("id") or ""), _get(event, "data", "object")
    if not event_id or not isinstance(data, dict):
        raise UnusableEvent("no event id or object", event_id or None)
    reader = _invoice_event if kind.value.startswith("invoice.") else _subscription_event
    found = reader(event_id, kind, data)
    if not found.account:
        raise UnusableEvent("the subscription names no Nozzly account in its metadata", event_id)
    return found


class StripeBilling:
    def __init__(
        self, api_key: Key, api_base: str = "https://api.stripe.com", *, webhook_secret: Key = "", timeout: float = 8.0
    ) -> None:
        self._api_base, self._timeout = api_base, timeout
        self._webhook_secret = webhook_secret
        self._clients = PerKey(api_key, self._new_client)

    @property
    def has_webhook_secret(self) -> bool:
        return bool(current(self._webhook_secret))

    @property
    def _client(self) -> StripeClient:
        return self._clients.get()

    def _new_client(self, key: str) -> StripeClient:
        import stripe

        return stripe.StripeClient(
            key,
            base_addresses={"api": self._api_base},
            max_network_retries=2,  # safe: every create carries an idempotency key
            http_client=stripe.RequestsClient(timeout=self._timeout),
        )

    def create_customer(self, account: str, email: str | None) -> str:
        params: Any = {"metadata": {"account": account}} | ({"email": email} if email else {})
        with provider_errors():
            customer = self._client.v1.customers.create(
                params=params, options={"idempotency_key": f"billing-customer-{account}"}
            )
        return str(customer.id)

    def _price(self, code: PlanCode, interval: Interval) -> str:
        key, price = lookup_key(code, interval), plan(code).prices[interval]
        found = self._client.v1.prices.list(params={"lookup_keys": [key], "active": True, "limit": 1})
        for existing in found.data:
            if existing.unit_amount == price.amount and existing.currency == price.currency.lower():
                return str(existing.id)
        params: Any = {
            "currency": price.currency.lower(),
            "unit_amount": price.amount,
            "recurring": {"interval": interval.value},
            "product_data": {"name": f"Nozzly {plan(code).name}"},
            "lookup_key": key,
            "transfer_lookup_key": True,  # a new amount takes the key over from the old price
        }
        created = self._client.v1.prices.create(
            params=params, options={"idempotency_key": f"price-{key}-{price.amount}"}
        )
        return str(created.id)

    def checkout(
        self, customer: str, account: str, price: tuple[PlanCode, Interval], *, success_url: str, cancel_url: str
    ) -> tuple[str, str]:
        """(session id, its URL): Stripe Checkout in subscription mode for the plan's price."""
        code, interval = price
        meta = {"account": account, "plan": code.value}
        with provider_errors():
            params: Any = {
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": account,
                "line_items": [{"price": self._price(code, interval), "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": meta,
                "subscription_data": {"metadata": meta},
            }
            session = self._client.v1.checkout.sessions.create(params=params)
        return str(session.id), str(session.url)

    def portal(self, customer: str, return_url: str) -> str:
        with provider_errors():
            session = self._client.v1.billing_portal.sessions.create(
                params={"customer": customer, "return_url": return_url}
            )
        return str(session.url)

    def parse(self, body: bytes, headers: Mapping[str, str]) -> BillingEvent | None:
        """The verified event (stripe.Webhook.construct_event: HMAC-SHA256, 5 minute tolerance); InvalidInput
        for a missing, forged or stale signature."""
        import stripe

        try:
            stripe.Webhook.construct_event(
                body, header(headers, SIGNATURE_HEADER) or "", current(self._webhook_secret), TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise InvalidInput(f"Stripe signature rejected: {exc}", field="signature") from None
        return billing_event(json_object(body))
