"""Review bodies and answers: a buyer's post, the storefront's page, the operators' queue and decisions.

Times are ISO 8601 in UTC. The storefront never sees who wrote a review; the store's operators see the email.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from nozzly.reviews.domain.reviews import MAX_RATING, MAX_REASON, MAX_TEXT, MAX_TITLE, MIN_RATING, Draft, Review

if TYPE_CHECKING:  # handlers import contracts at cold start; adapters wait for first use
    from nozzly.reviews.domain.reviews import ProductReviews, ReviewPage

_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


def _moment(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, UTC)


class ReviewIn(BaseModel):
    model_config = _CLOSED

    rating: Annotated[StrictInt, Field(ge=MIN_RATING, le=MAX_RATING, description="Whole stars, 1 to 5.")]
    title: Annotated[str | None, Field(max_length=MAX_TITLE)] = None
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]

    def draft(self) -> Draft:
        return Draft.checked(self.rating, self.title, self.text)


class ModerationIn(BaseModel):
    model_config = _CLOSED

    reason: Annotated[str | None, Field(max_length=MAX_REASON, description="Why: for the store's team.")] = None


class PublicReviewOut(BaseModel):
    id: str
    rating: int
    title: str | None
    text: str
    submitted_at: datetime


class MyReviewOut(PublicReviewOut):
    product: str
    status: str = Field(description="pending until the store's team approves or rejects it.")


class AdminReviewOut(MyReviewOut):
    author_email: str
    moderated_at: datetime | None
    moderated_by: str | None = Field(description="The operator's account id.")
    reason: str | None


class ReviewSummaryOut(BaseModel):
    count: int = Field(description="Approved reviews.")
    sum: int = Field(description="The sum of their ratings: average = sum / count.")
    average: str | None = Field(description="The mean rating with one decimal (halves up), e.g. '4.5'; null: none.")


class ProductReviewsOut(BaseModel):
    summary: ReviewSummaryOut | None = Field(description="On the first page; null on pages read with a cursor.")
    items: list[PublicReviewOut]
    next_cursor: str | None


class ReviewQueueOut(BaseModel):
    items: list[AdminReviewOut]
    next_cursor: str | None


def public_review_out(review: Review) -> PublicReviewOut:
    return PublicReviewOut(
        id=review.id,
        rating=review.rating,
        title=review.title,
        text=review.text,
        submitted_at=datetime.fromtimestamp(review.submitted_at / 1000, UTC),
    )


def my_review_out(review: Review) -> MyReviewOut:
    return MyReviewOut(**public_review_out(review).model_dump(), product=review.product, status=review.status.value)


def admin_review_out(review: Review) -> AdminReviewOut:
    return AdminReviewOut(
        **my_review_out(review).model_dump(),
        author_email=review.author_email,
        moderated_at=_moment(review.moderated_at),
        moderated_by=review.moderated_by,
        reason=review.reason,
    )


def product_reviews_out(found: ProductReviews, *, first_page: bool) -> ProductReviewsOut:
    s = found.summary
    summary = ReviewSummaryOut(count=s.count, sum=s.total, average=s.average) if first_page else None
    return ProductReviewsOut(
        summary=summary, items=[public_review_out(r) for r in found.reviews], next_cursor=found.next_cursor
    )


def review_queue_out(page: ReviewPage) -> ReviewQueueOut:
    return ReviewQueueOut(items=[admin_review_out(r) for r in page.reviews], next_cursor=page.next_cursor)
