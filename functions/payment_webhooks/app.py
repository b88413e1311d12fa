"""Payment providers' webhooks (public): POST /webhooks/stripe and POST /webhooks/square.

The signature is checked on the raw body with the provider SDK's own helper (400 and nothing recorded when it
fails); each event is then processed exactly once (Powertools idempotency on the provider's event id).
"""

from __future__ import annotations

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Request
from pydantic import BaseModel

from nozzly.api import build_app, http_handler
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.payments.domain.payments import Provider
from nozzly.wiring import sales

router = APIRouter(prefix="/webhooks", responses={409: {"model": ErrorResponse}})


class WebhookAck(BaseModel):
    received: bool
    event_id: str | None
    outcome: str


async def _receive(provider: Provider, request: Request) -> WebhookAck:
    body = await request.body()
    receipt = sales.webhook_receiver().receive(provider, body, dict(request.headers), request.scope.get("aws.context"))
    return WebhookAck(received=True, event_id=receipt.event_id, outcome=receipt.outcome)


@router.post("/stripe", response_model=WebhookAck)
async def stripe_webhook(request: Request) -> WebhookAck:
    return await _receive(Provider.STRIPE, request)


@router.post("/square", response_model=WebhookAck)
async def square_webhook(request: Request) -> WebhookAck:
    return await _receive(Provider.SQUARE, request)


app = build_app("Nozzly payment webhooks", [router])
handler = http_handler(app)
