"""Receiving a provider webhook: verify the signature on the raw body, then process the event exactly once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.observability import logger, metrics
from nozzly.payments.adapters.gateway import PaymentWebhooks, UnusableEvent
from nozzly.payments.domain.payments import PaymentEvent, Provider
from nozzly.payments.domain.payouts import AccountEvent


@dataclass(frozen=True, slots=True)
class Receipt:
    event_id: str | None
    outcome: str  # the handler's word; "unhandled" for an event type Nozzly does not act on; "ignored" for one it
    # cannot read


@dataclass(frozen=True, slots=True)
class WebhookReceiver:
    verifiers: Mapping[Provider, PaymentWebhooks]
    once: Callable[[PaymentEvent | AccountEvent, Any], str]  # adapters.payments.once.ExactlyOnce

    def receive(self, provider: Provider, body: bytes, headers: Mapping[str, str], context: Any = None) -> Receipt:
        """Raises InvalidInput for a bad signature (nothing was recorded or changed) and InProgress (409) while
        another delivery of the same event is being processed."""
        if not body:
            raise InvalidInput("empty webhook body", field="signature")
        try:
            event = self.verifiers[provider].parse(body, headers)
        except UnusableEvent as unusable:
            # Signed by the provider, so answering 4xx/5xx would only make it retry the same payload for days.
            logger.warning(
                "payment webhook ignored: its payload cannot be used",
                extra={"provider": provider, "event_id": unusable.event_id, "reason": unusable.reason},
            )
            metrics.add_metric(name="PaymentWebhooksIgnored", unit=MetricUnit.Count, value=1)
            return Receipt(unusable.event_id, "ignored")
        if event is None:
            logger.info("payment webhook of a type Nozzly does not act on", extra={"provider": provider})
            return Receipt(None, "unhandled")
        outcome = self.once(event, context)
        logger.info(
            "payment webhook processed",
            extra={"provider": provider, "event_id": event.event_id, "kind": _kind(event), "outcome": outcome},
        )
        return Receipt(event.event_id, outcome)


def _kind(event: PaymentEvent | AccountEvent) -> str:
    return event.kind.value if isinstance(event, PaymentEvent) else event.event_type


def handle_event(event: PaymentEvent | AccountEvent) -> str:
    """Looked up on each call, so a test (or a later wiring) can replace payment_events.handle."""
    from nozzly.sales.services import payment_events

    return payment_events.handle(event)
