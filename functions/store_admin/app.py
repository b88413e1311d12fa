"""Operators' stores: open one (provisioned by a workflow), list mine, read, update, soft delete, provisioning.

The store id always comes from the path and the caller from the verified token; services.tenancy decides.
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import PLAN_LIMIT, build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.contracts import stores as contracts
from nozzly.wiring import stores

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("admin"),
    prefix="/admin/stores",
    responses={s: {"model": ErrorResponse} for s in (401, 403, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


def _operator(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.post("", status_code=202, response_model=contracts.OpenedOut, responses=PLAN_LIMIT)
def open_store(body: contracts.OpenStoreIn, request: Request, response: Response) -> contracts.OpenedOut:
    from nozzly.stores.services.stores import NewStore

    new = NewStore(body.name, body.niche, body.description, body.currency, body.country)
    store = stores.store_admin().open(_operator(request), new)
    url = f"/admin/stores/{store.store_id}/provisioning"
    response.headers["location"] = url
    return contracts.OpenedOut(id=store.store_id, status="PENDING", provisioning_url=url)


@router.get("", response_model=contracts.MyStores)
def list_my_stores(request: Request) -> contracts.MyStores:
    members = stores.store_admin().mine(_operator(request))
    return contracts.MyStores(
        items=[contracts.MyStoreOut(id=m.store_id, name=m.store_name, role=m.role.value) for m in members]
    )


@router.get("/{store}", response_model=contracts.StoreAdminOut)
def get_store(store: StoreId, request: Request) -> contracts.StoreAdminOut:
    return contracts.store_admin_out(*stores.store_admin().get(store, _operator(request)))


@router.patch("/{store}", response_model=contracts.StoreAdminOut)
def update_store(store: StoreId, body: contracts.UpdateStoreIn, request: Request) -> contracts.StoreAdminOut:
    return contracts.store_admin_out(*stores.store_admin().update(store, _operator(request), body.changes()))


@router.delete("/{store}", status_code=204)
def delete_store(store: StoreId, request: Request) -> Response:
    stores.store_admin().delete(store, _operator(request))
    return Response(status_code=204)


@router.get("/{store}/provisioning", response_model=contracts.ProvisioningOut)
def get_provisioning(store: StoreId, request: Request, response: Response) -> contracts.ProvisioningOut:
    found, _ = stores.store_admin().get(store, _operator(request))
    response.headers["cache-control"] = "no-store"  # polled while it changes
    return contracts.provisioning_out(found)


app = build_app("Nozzly store administration", [router])
handler = http_handler(app)
