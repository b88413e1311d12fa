"""Operators' coupons (promo codes) of one store: list, create, read, change, delete.

The store comes from the path and the caller from the verified token; services.tenancy decides
(promotions.manage: admins and the owner).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.promotions.contracts import coupons as c
from nozzly.wiring import promotions

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/coupons",
    tags=["coupons"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
Code = Annotated[str, Path(max_length=40, description="The coupon's code, in any case.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=c.CouponList)
def list_coupons(store: StoreId, request: Request) -> c.CouponList:
    return c.CouponList(items=[c.coupon_out(x) for x in promotions.promotions().list(store, _me(request))])


@router.post("", status_code=201, response_model=c.CouponOut)
def create_coupon(store: StoreId, body: c.CouponIn, request: Request, response: Response) -> c.CouponOut:
    coupon = promotions.promotions().create(store, _me(request), body.code, body.terms())
    response.headers["location"] = f"/admin/stores/{store}/coupons/{coupon.code}"
    return c.coupon_out(coupon)


@router.get("/{code}", response_model=c.CouponOut)
def get_coupon(store: StoreId, code: Code, request: Request) -> c.CouponOut:
    return c.coupon_out(promotions.promotions().get(store, _me(request), code))


@router.patch("/{code}", response_model=c.CouponOut)
def update_coupon(store: StoreId, code: Code, body: c.CouponPatch, request: Request) -> c.CouponOut:
    return c.coupon_out(promotions.promotions().update(store, _me(request), code, body.changes()))


@router.delete("/{code}", status_code=204)
def delete_coupon(store: StoreId, code: Code, request: Request) -> Response:
    promotions.promotions().delete(store, _me(request), code)
    return Response(status_code=204)


app = build_app("Nozzly coupons", [router])
handler = http_handler(app)
