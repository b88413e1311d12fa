"""Each provider event processed exactly once: Powertools idempotency on (provider, event id) in IdempotencyTable.

The first delivery writes an INPROGRESS record with a conditional put, runs the handler and stores its result
(COMPLETED). A later delivery of the same event gets the stored result without running the handler. A delivery
that arrives while the first still runs gets InProgress (the webhook answers 409 and the provider retries). A
handler that raises deletes the record, so the provider's retry runs it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from nozzly.kernel.adapters import aws
from nozzly.kernel.domain.errors import Conflict
from nozzly.payments.domain.payments import PaymentEvent
from nozzly.payments.domain.payouts import AccountEvent

ProviderEvent = PaymentEvent | AccountEvent


class Keyed(Protocol):
    """What the idempotency key is made of: the provider (or endpoint) and its event id."""

    @property
    def provider(self) -> Any: ...

    @property
    def event_id(self) -> str: ...


E = TypeVar("E", bound=Keyed)

# Stripe retries a webhook for up to 3 days and Square for 24 hours: remember an event a little longer.
REMEMBER_SECONDS = 4 * 24 * 3600
KEY_PREFIX = "payment-event"


class InProgress(Conflict):
    """Another delivery of this event is being processed right now."""


class ExactlyOnce(Generic[E]):
    """Also used by the billing webhook (its own key prefix, so its events never meet a payment event's)."""

    def __init__(self, table_name: str, handler: Callable[[E], str], *, key_prefix: str = KEY_PREFIX) -> None:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        self._config = IdempotencyConfig(
            event_key_jmespath="[provider, event_id]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=REMEMBER_SECONDS,
        )
        store = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=aws.client("dynamodb"))

        def process(event: E) -> str:
            return handler(event)

        once = idempotent_function(
            data_keyword_argument="event", persistence_store=store, config=self._config, key_prefix=key_prefix
        )
        self._process: Callable[..., str] = once(process)

    def __call__(self, event: E, lambda_context: Any = None) -> str:
        """The handler's answer for this event: computed now on first delivery, the stored one afterwards."""
        from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

        if lambda_context is not None:
            # An INPROGRESS record then expires with this invocation, so a crash mid-way does not block retries.
            self._config.register_lambda_context(lambda_context)
        try:
            outcome: str = self._process(event=event)
        except IdempotencyAlreadyInProgressError:
            raise InProgress(
                f"event {event.event_id} is being processed by another delivery; retry later", field="event_id"
            ) from None
        return outcome
