"""Product reviews: buyers post (ShopperJwt), the storefront lists approved ones (public), operators moderate.

The store always comes from the path; the shopper and the operator from the verified token. The storefront
list is one DynamoDB call (tests/functional/test_reviews_storefront.py counts it).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.reviews.contracts import reviews as r
from nozzly.reviews.domain.reviews import ReviewStatus
from nozzly.wiring import reviews

OPERATORS = Realm()
shoppers = APIRouter(prefix="/stores/{store}/products/{product}/reviews", tags=["reviews"])
operators = APIRouter(
    prefix="/admin/stores/{store}/reviews",
    tags=["reviews"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
ReviewId = Annotated[str, Path(max_length=120, description="A review's id, as lists show it.")]
Cursor = Annotated[str | None, Query(max_length=2048)]
Limit = Annotated[int, Query(ge=1, le=50)]


def _operator(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@shoppers.post(
    "", status_code=202, response_model=r.MyReviewOut, responses={s: {"model": ErrorResponse} for s in (401, 403, 409)}
)
def post_review(store: StoreId, product: ProductSlug, body: r.ReviewIn, request: Request) -> r.MyReviewOut:
    """Accepted for moderation: the review shows once the store's team approves it."""
    return r.my_review_out(reviews.reviews().submit(store, jwt_claims(request), product, body.draft()))


@shoppers.get("", response_model=r.ProductReviewsOut)
def list_reviews(
    store: StoreId, product: ProductSlug, response: Response, cursor: Cursor = None, limit: Limit = 10
) -> r.ProductReviewsOut:
    found = reviews.reviews().for_storefront(store, product, cursor=cursor, limit=limit)
    response.headers["cache-control"] = "public, max-age=60"
    return r.product_reviews_out(found, first_page=cursor is None)


@operators.get("", response_model=r.ReviewQueueOut)
def review_queue(
    store: StoreId,
    request: Request,
    status: Annotated[ReviewStatus, Query(description="Which reviews: the queue is `pending`.")] = ReviewStatus.PENDING,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> r.ReviewQueueOut:
    """Oldest post first."""
    page = reviews.reviews().queue(store, _operator(request), status, cursor=cursor, limit=limit)
    return r.review_queue_out(page)


@operators.post("/{review}/approve", response_model=r.AdminReviewOut)
def approve(store: StoreId, review: ReviewId, request: Request) -> r.AdminReviewOut:
    return r.admin_review_out(reviews.reviews().moderate(store, _operator(request), review, ReviewStatus.APPROVED))


@operators.post("/{review}/reject", response_model=r.AdminReviewOut)
def reject(store: StoreId, review: ReviewId, request: Request, body: r.ModerationIn | None = None) -> r.AdminReviewOut:
    reason = body.reason if body else None
    return r.admin_review_out(
        reviews.reviews().moderate(store, _operator(request), review, ReviewStatus.REJECTED, reason)
    )


app = build_app("Nozzly product reviews", [shoppers, operators])
handler = http_handler(app)
