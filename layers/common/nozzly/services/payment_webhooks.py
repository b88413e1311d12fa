"""Receiving a provider webhook: verify the signature on the raw body, then process the event exactly once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nozzly.adapters.payments.gateway import PaymentWebhooks
from nozzly.domain.errors import InvalidInput
from nozzly.domain.payments import PaymentEvent, Provider
from nozzly.observability import logger


@dataclass(frozen=True, slots=True)
class Receipt:
    event_id: str | None
    outcome: str  # the handler's word, or "unhandled" for an event type Nozzly does not act on


@dataclass(frozen=True, slots=True)
class WebhookReceiver:
    verifiers: Mapping[Provider, PaymentWebhooks]
    once: Callable[[PaymentEvent, Any], str]  # adapters.payments.once.ExactlyOnce

    def receive(self, provider: Provider, body: bytes, headers: Mapping[str, str], context: Any = None) -> Receipt:
        """Raises InvalidInput for a bad signature (nothing was recorded or changed) and InProgress (409) while
        another delivery of the same event is being processed."""
        if not body:
            raise InvalidInput("empty webhook body", field="signature")
        event = self.verifiers[provider].parse(body, headers)
        if event is None:
            logger.info("payment webhook of a type Nozzly does not act on", extra={"provider": provider})
            return Receipt(None, "unhandled")
        outcome = self.once(event, context)
        logger.info(
            "payment webhook processed",
            extra={"provider": provider, "event_id": event.event_id, "kind": event.kind, "outcome": outcome},
        )
        return Receipt(event.event_id, outcome)


def handle_event(event: PaymentEvent) -> str:
    """Looked up on each call, so a test (or a later wiring) can replace payment_events.handle."""
    from nozzly.services import payment_events

    return payment_events.handle(event)
