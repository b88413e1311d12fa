"""Operators' webhook endpoints of one store: create, list, read, change, delete, rotate the secret, the
delivery log, manual redelivery and a test event.

The store comes from the path and the caller from the verified token; services.tenancy decides
(integrations.manage: admins and the owner).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import PLAN_LIMIT, build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.webhooks.contracts import endpoints as c
from nozzly.wiring import webhooks

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/webhooks",
    tags=["webhooks"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
EndpointId = Annotated[str, Path(pattern=r"^ep_[0-9a-f]{16}$", description="The endpoint's id.")]
DeliveryId = Annotated[str, Path(pattern=r"^msg_[0-9a-f]{26}$", description="The delivery's webhook-id.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=c.EndpointList)
def list_webhook_endpoints(store: StoreId, request: Request) -> c.EndpointList:
    found = webhooks.webhook_admin().list_endpoints(store, _me(request))
    return c.EndpointList(items=[c.endpoint_out(e) for e in found])


@router.post("", status_code=201, response_model=c.EndpointWithSecret, responses=PLAN_LIMIT)
def create_webhook_endpoint(
    store: StoreId, body: c.EndpointIn, request: Request, response: Response
) -> c.EndpointWithSecret:
    created = webhooks.webhook_admin().create(store, _me(request), body.url, list(body.event_types), body.description)
    response.headers["location"] = f"/admin/stores/{store}/webhooks/{created.endpoint_id}"
    return c.with_secret(created)


@router.get("/{endpoint}", response_model=c.EndpointOut)
def get_webhook_endpoint(store: StoreId, endpoint: EndpointId, request: Request) -> c.EndpointOut:
    return c.endpoint_out(webhooks.webhook_admin().get(store, _me(request), endpoint))


@router.patch("/{endpoint}", response_model=c.EndpointOut)
def update_webhook_endpoint(
    store: StoreId, endpoint: EndpointId, body: c.EndpointPatch, request: Request
) -> c.EndpointOut:
    return c.endpoint_out(webhooks.webhook_admin().update(store, _me(request), endpoint, body.changes()))


@router.delete("/{endpoint}", status_code=204)
def delete_webhook_endpoint(store: StoreId, endpoint: EndpointId, request: Request) -> Response:
    webhooks.webhook_admin().delete(store, _me(request), endpoint)
    return Response(status_code=204)


@router.post("/{endpoint}/rotate-secret", response_model=c.EndpointWithSecret)
def rotate_webhook_secret(store: StoreId, endpoint: EndpointId, request: Request) -> c.EndpointWithSecret:
    return c.with_secret(webhooks.webhook_admin().rotate(store, _me(request), endpoint))


@router.get("/{endpoint}/deliveries", response_model=c.DeliveryList)
def list_webhook_deliveries(store: StoreId, endpoint: EndpointId, request: Request) -> c.DeliveryList:
    found = webhooks.webhook_admin().deliveries_of(store, _me(request), endpoint)
    return c.DeliveryList(items=[c.delivery_out(d) for d in found])


@router.post("/{endpoint}/deliveries/{delivery}/redeliver", status_code=202, response_model=c.DeliveryOut)
def redeliver_webhook(store: StoreId, endpoint: EndpointId, delivery: DeliveryId, request: Request) -> c.DeliveryOut:
    return c.delivery_out(webhooks.webhook_admin().redeliver(store, _me(request), endpoint, delivery))


@router.post("/{endpoint}/test", status_code=202, response_model=c.DeliveryOut)
def send_webhook_test(store: StoreId, endpoint: EndpointId, request: Request) -> c.DeliveryOut:
    return c.delivery_out(webhooks.webhook_admin().send_test(store, _me(request), endpoint))


def _documented_payload(body: c.WebhookPayload) -> None:
    """What Nozzly POSTs to an endpoint (OpenAPI `webhooks`): signed with the `webhook-id`, `webhook-timestamp`
    and `webhook-signature` headers of the Standard Webhooks specification; answer 2xx within 10 s."""


def _documented_product_payload(body: c.ProductWebhookPayload) -> None:
    """What Nozzly POSTs for each product changed (a bulk change of N products: N deliveries, each its own
    `webhook-id`), signed like every delivery; answer 2xx within 10 s."""


app = build_app("Nozzly webhooks", [router])
for _event_type in c.EVENT_TYPE_NAMES:
    app.webhooks.add_api_route(
        _event_type,
        _documented_product_payload if _event_type.startswith("product.") else _documented_payload,
        methods=["POST"],
        operation_id=f"webhook_{_event_type.replace('.', '_')}",
        summary=f"{_event_type} (sent to your endpoint)",
        status_code=204,
        openapi_extra={"security": []},  # Nozzly calls the endpoint: the signature, not a token, proves it
    )
handler = http_handler(app)
