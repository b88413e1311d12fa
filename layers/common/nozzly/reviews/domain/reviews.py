"""Product reviews: what a buyer may write, how moderation moves a review, and the approved ratings' summary.

Pure Python. Only approved reviews count; the summary keeps the exact count and sum of their ratings as
integers, and the average is derived from them when shown, never stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from nozzly.kernel.domain.errors import Conflict, InvalidInput

MIN_RATING, MAX_RATING = 1, 5
MAX_TITLE = 120
MAX_TEXT = 4000
MAX_REASON = 500
_AUTHOR_KEY_LENGTH = 24


class ReviewStatus(StrEnum):
    PENDING = "pending"  # waiting in the moderation queue
    APPROVED = "approved"  # shown on the storefront and counted in the summary
    REJECTED = "rejected"


# Operators move reviews between these; only the author's new post sends a review back to pending.
_MODERATION = {
    ReviewStatus.PENDING: {ReviewStatus.APPROVED, ReviewStatus.REJECTED},
    ReviewStatus.APPROVED: {ReviewStatus.REJECTED},
    ReviewStatus.REJECTED: {ReviewStatus.APPROVED},  # an operator may change their mind
}


def author_key(store_id: str, product: str, author: str) -> str:
    """A review's key within its product: one per author, yet it reveals nothing that links an author's
    reviews across products (the author's account id is never shown)."""
    digest = hashlib.sha256("\0".join((store_id, product, author)).encode()).hexdigest()
    return digest[:_AUTHOR_KEY_LENGTH]


def review_id(product: str, key: str) -> str:
    return f"{product}.{key}"


def parse_review_id(value: str) -> tuple[str, str] | None:
    """(product, key) of an id made by review_id; None if it cannot be one (slugs hold no '.')."""
    product, dot, key = value.partition(".")
    if not dot or not product or len(key) != _AUTHOR_KEY_LENGTH or not all(c in "0123456789abcdef" for c in key):
        return None
    return product, key


@dataclass(frozen=True, slots=True)
class Draft:
    """What a buyer wrote, checked: a rating, an optional title and the text, trimmed."""

    rating: int
    title: str | None
    text: str

    @classmethod
    def checked(cls, rating: int, title: str | None, text: str) -> Draft:
        if isinstance(rating, bool) or not isinstance(rating, int) or not MIN_RATING <= rating <= MAX_RATING:
            raise InvalidInput(f"rating must be a whole number from {MIN_RATING} to {MAX_RATING}", field="rating")
        title = (title or "").strip() or None
        if title is not None and len(title) > MAX_TITLE:
            raise InvalidInput(f"title must be at most {MAX_TITLE} characters", field="title")
        text = text.strip()
        if not 1 <= len(text) <= MAX_TEXT:
            raise InvalidInput(f"text must have 1 to {MAX_TEXT} characters besides spaces", field="text")
        return cls(rating, title, text)


@dataclass(frozen=True, slots=True)
class Review:
    store_id: str
    product: str
    key: str  # author_key(store, product, author)
    author: str  # the shopper's sub: never shown
    author_email: str  # for the store's operators, who see it on orders too
    rating: int
    title: str | None
    text: str
    status: ReviewStatus
    submitted_at: int  # epoch milliseconds of the latest post
    moderated_at: int | None = None
    moderated_by: str | None = None  # the operator's sub
    reason: str | None = None  # why it was rejected, for the store's operators
    version: int = 0  # 0: not stored yet; every write is conditioned on the version read

    @property
    def id(self) -> str:
        return review_id(self.product, self.key)

    @property
    def counted(self) -> bool:
        """In the product's summary: approved reviews only."""
        return self.status is ReviewStatus.APPROVED


def submitted(
    existing: Review | None, draft: Draft, *, store_id: str, product: str, author: str, author_email: str, now_ms: int
) -> Review:
    """A new review, or the author's earlier one replaced: either way pending moderation again."""
    return Review(
        store_id=store_id,
        product=product,
        key=author_key(store_id, product, author),
        author=author,
        author_email=author_email,
        rating=draft.rating,
        title=draft.title,
        text=draft.text,
        status=ReviewStatus.PENDING,
        submitted_at=max(now_ms, existing.submitted_at + 1) if existing else now_ms,
        version=(existing.version if existing else 0) + 1,
    )


def moderated(review: Review, to: ReviewStatus, operator: str, now_ms: int, reason: str | None = None) -> Review | None:
    """The review after an operator's decision; None when it already has that status (approving twice
    counts once)."""
    if review.status is to:
        return None
    if to not in _MODERATION[review.status]:
        raise Conflict(f"a {review.status.value} review cannot become {to.value}", field="review")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise InvalidInput(f"reason must be at most {MAX_REASON} characters", field="reason")
    return replace(
        review,
        status=to,
        moderated_at=now_ms,
        moderated_by=operator,
        reason=reason if to is ReviewStatus.REJECTED else None,
        version=review.version + 1,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """The approved ratings of one product: their count and their exact sum."""

    count: int = 0
    total: int = 0

    def __post_init__(self) -> None:
        if self.count < 0 or self.total < 0 or self.total > self.count * MAX_RATING:
            raise ValueError(f"an impossible summary: {self.count} ratings summing to {self.total}")

    @property
    def average(self) -> str | None:
        """The mean rating with one decimal, halves rounded up ("4.5", "3.7"); None without ratings."""
        if self.count == 0:
            return None
        tenths = (self.total * 20 + self.count) // (self.count * 2)  # round(total * 10 / count), halves up
        return f"{tenths // 10}.{tenths % 10}"

    def plus(self, change: SummaryChange) -> Summary:
        return Summary(self.count + change.count, self.total + change.total)


@dataclass(frozen=True, slots=True)
class SummaryChange:
    count: int
    total: int

    @property
    def is_none(self) -> bool:
        return self.count == 0 and self.total == 0


def summary_change(before: Review | None, after: Review) -> SummaryChange:
    """What a write of `after` over `before` does to the product's summary: the old rating leaves it if it
    counted, the new one enters if it counts."""
    count = total = 0
    if before is not None and before.counted:
        count, total = count - 1, total - before.rating
    if after.counted:
        count, total = count + 1, total + after.rating
    return SummaryChange(count, total)


@dataclass(frozen=True, slots=True)
class ProductReviews:
    summary: Summary
    reviews: list[Review]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ReviewPage:
    reviews: list[Review]
    next_cursor: str | None
