"""Review rules: what a buyer may write, how moderation moves a review, and the summary's integer maths."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.reviews.domain.reviews import (
    Draft,
    Review,
    ReviewStatus,
    Summary,
    author_key,
    moderated,
    parse_review_id,
    submitted,
    summary_change,
)

pytestmark = pytest.mark.unit
DRAFT = Draft.checked(4, "Sharp", "Holds an edge.")


def _post(existing: Review | None = None, draft: Draft = DRAFT, now_ms: int = 1_000) -> Review:
    return submitted(
        existing,
        draft,
        store_id="shop",
        product="ember-longsword",
        author="sub-1",
        author_email="sam@example.com",
        now_ms=now_ms,
    )


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_outside_one_to_five_stars_is_refused(rating: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        Draft.checked(rating, None, "text")
    assert refused.value.field == "rating"


def test_text_is_trimmed_and_must_not_be_blank_or_too_long() -> None:
    assert Draft.checked(5, "  Great  ", "  Lovely blade. ") == Draft(5, "Great", "Lovely blade.")
    assert Draft.checked(5, "   ", "ok").title is None
    for text in ("   ", "x" * 4001):
        with pytest.raises(InvalidInput) as refused:
            Draft.checked(5, None, text)
        assert refused.value.field == "text"
    with pytest.raises(InvalidInput) as refused:
        Draft.checked(5, "t" * 121, "ok")
    assert refused.value.field == "title"
    assert Draft.checked(1, "t" * 120, "x" * 4000).rating == 1


def test_one_review_per_author_and_product_whose_id_names_the_product_but_not_the_author() -> None:
    key = author_key("shop", "ember-longsword", "sub-1")
    assert key == author_key("shop", "ember-longsword", "sub-1")
    assert key != author_key("shop", "frost-sabre", "sub-1")  # nothing links one author's reviews
    assert key != author_key("other", "ember-longsword", "sub-1")
    review = _post()
    assert "sub-1" not in review.id
    assert parse_review_id(review.id) == ("ember-longsword", key)
    for bad in ("ember-longsword", "ember-longsword.zz", f"ember-longsword.{key}x", f".{key}"):
        assert parse_review_id(bad) is None


def test_posting_again_replaces_the_review_and_sends_it_back_to_moderation() -> None:
    first = _post()
    approved = moderated(first, ReviewStatus.APPROVED, "op", 2_000)
    assert approved is not None
    again = _post(approved, Draft(2, None, "Rusted."), now_ms=1_500)

    assert (again.status, again.rating, again.key, again.version) == (ReviewStatus.PENDING, 2, first.key, 3)
    assert again.submitted_at > approved.submitted_at  # newer even when the clock stepped back
    assert summary_change(approved, again).count == -1 and summary_change(approved, again).total == -4


def test_moderation_moves_between_statuses_and_the_same_decision_twice_does_nothing() -> None:
    pending = _post()
    approved = moderated(pending, ReviewStatus.APPROVED, "op", 2_000)
    assert approved is not None and approved.moderated_by == "op" and approved.version == pending.version + 1
    assert moderated(approved, ReviewStatus.APPROVED, "op", 3_000) is None
    rejected = moderated(approved, ReviewStatus.REJECTED, "op", 3_000, " spam ")
    assert rejected is not None and rejected.reason == "spam"
    back = moderated(rejected, ReviewStatus.APPROVED, "op", 4_000, "ignored")
    assert back is not None and back.reason is None
    with pytest.raises(Conflict):
        moderated(approved, ReviewStatus.PENDING, "op", 3_000)
    with pytest.raises(InvalidInput):
        moderated(pending, ReviewStatus.REJECTED, "op", 3_000, "r" * 501)


def test_only_approved_reviews_count_in_the_summary() -> None:
    pending = _post()
    approved = moderated(pending, ReviewStatus.APPROVED, "op", 2_000)
    assert approved is not None
    rejected = moderated(approved, ReviewStatus.REJECTED, "op", 3_000)
    assert rejected is not None

    assert summary_change(None, pending).is_none
    assert (summary_change(pending, approved).count, summary_change(pending, approved).total) == (1, 4)
    assert (summary_change(approved, rejected).count, summary_change(approved, rejected).total) == (-1, -4)
    rejected_pending = moderated(pending, ReviewStatus.REJECTED, "op", 2_000)
    assert rejected_pending is not None and summary_change(pending, rejected_pending).is_none


@pytest.mark.parametrize(
    ("count", "total", "average"),
    [
        (0, 0, None),
        (1, 5, "5.0"),
        (2, 9, "4.5"),
        (3, 13, "4.3"),  # 4.333...
        (3, 14, "4.7"),  # 4.666...
        (4, 17, "4.3"),  # 4.25: halves round up
        (4, 5, "1.3"),  # 1.25
        (7, 7, "1.0"),
        (1_000_000, 4_999_999, "5.0"),  # 4.999999
        (20, 89, "4.5"),  # 4.45
    ],
)
def test_the_average_has_one_decimal_computed_in_integers(count: int, total: int, average: str | None) -> None:
    assert Summary(count, total).average == average


def test_a_summary_cannot_hold_an_impossible_sum() -> None:
    with pytest.raises(ValueError):
        Summary(1, 6)
    with pytest.raises(ValueError):
        Summary(-1, 0)
