"""An integrator's endpoint: where a store's events are POSTed, which ones, and with which secret."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, replace
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.webhooks.domain.catalogue import unknown_types

SECRET_PREFIX: Final = "whsec_"
MAX_ENDPOINTS_PER_STORE: Final = 20
MAX_DESCRIPTION: Final = 200


@dataclass(frozen=True, slots=True)
class Endpoint:
    store_id: str
    endpoint_id: str
    url: str
    event_types: tuple[str, ...]
    secret: str
    created_at: str
    description: str = ""
    enabled: bool = True
    disabled_reason: str = ""
    failed_deliveries: int = 0  # deliveries in a row that used up every attempt
    streak_started_at: float | None = None  # epoch seconds of the first failure since the last success

    def wants(self, event_type: str) -> bool:
        return self.enabled and event_type in self.event_types


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64 (the spec's 24-64 bytes)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def new_endpoint_id() -> str:
    return "ep_" + secrets.token_hex(8)


def check_event_types(types: list[str]) -> tuple[str, ...]:
    if not types:
        raise InvalidInput("choose at least one event type", field="event_types")
    unknown = unknown_types(types)
    if unknown:
        raise InvalidInput(f"unknown event types: {', '.join(unknown)}", field="event_types")
    return tuple(sorted(set(types)))


def succeeded(endpoint: Endpoint) -> Endpoint:
    return replace(endpoint, failed_deliveries=0, streak_started_at=None)


def failed(endpoint: Endpoint, now: float, *, delivery_exhausted: bool) -> Endpoint:
    """One more failed attempt: starts the streak's clock, counts the delivery when it has no attempt left."""
    started = endpoint.streak_started_at if endpoint.streak_started_at is not None else now
    return replace(
        endpoint,
        streak_started_at=started,
        failed_deliveries=endpoint.failed_deliveries + (1 if delivery_exhausted else 0),
    )


def disabled(endpoint: Endpoint, reason: str) -> Endpoint:
    return replace(endpoint, enabled=False, disabled_reason=reason)


def enabled(endpoint: Endpoint) -> Endpoint:
    return replace(endpoint, enabled=True, disabled_reason="", failed_deliveries=0, streak_started_at=None)
