"""Product reviews: buyers post them, operators moderate them, the storefront shows the approved ones.

Buyers: a shopper of the store (the token's realm) who bought the product (a purchase record written with
their order) may review a published product; posting again replaces their review and sends it back to
moderation. Operators: services.tenancy decides (catalog.read for the queue, catalog.write to moderate).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product, Store
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.adapters.unit_of_work import ReadSet
from nozzly.kernel.domain.errors import Conflict, Forbidden, NotFound
from nozzly.observability import logger
from nozzly.reviews.adapters.purchases import PurchasesRepository
from nozzly.reviews.adapters.reviews import ReviewsRepository
from nozzly.reviews.domain.reviews import (
    Draft,
    ProductReviews,
    Review,
    ReviewPage,
    ReviewStatus,
    author_key,
    moderated,
    parse_review_id,
    submitted,
    summary_change,
)
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

_ATTEMPTS = 3  # a moderation that lost a race is judged again on what won


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Reviews:
    stores: StoresRepository
    catalog: CatalogRepository
    purchases: PurchasesRepository
    members: MembersRepository
    reviews: ReviewsRepository
    events: EventPublisher | None = None  # ReviewSubmitted: the store's operators hear of the review to moderate
    clock: Callable[[], int] = field(default=_now_ms)

    # ---- buyers
    def submit(self, store_id: str, claims: Mapping[str, str] | None, product: str, draft: Draft) -> Review:
        """The caller's review of the product, pending moderation: new, or replacing theirs."""
        caller = caller_from_claims(claims, Realm(store_id=store_id))
        key = author_key(store_id, product, caller.sub)
        reads = ReadSet()  # one consistent read of all three
        the_store = reads.add(self.stores.profile_read(store_id))
        the_product = reads.add(self.catalog.product_read(store_id, product))
        theirs = reads.add(self.reviews.review_read(store_id, product, key))
        fetched = reads.fetch()
        existing = fetched[theirs]
        _require_open(fetched[the_store], store_id)
        _require_published(fetched[the_product], product)
        if not self.purchases.has_bought(store_id, caller.sub, product):
            raise Forbidden("only shoppers who bought this product may review it", field="product")
        email = caller.username.partition("#")[2]  # a shopper's username is "<store>#<email>"
        after = submitted(
            existing,
            draft,
            store_id=store_id,
            product=product,
            author=caller.sub,
            author_email=email,
            now_ms=self.clock(),
        )
        # The replaced review leaves the summary if it had been approved; the new one waits for moderation.
        self.reviews.save(existing, after, summary_change(existing, after))
        self._announce(after, fetched[the_product])
        return after

    def _announce(self, review: Review, product: Product | None) -> None:
        if self.events is None:
            return
        detail = {
            "store_id": review.store_id,
            "product": review.product,
            "title": product.title if product else review.product,
            "review_id": review.id,
            "rating": review.rating,
            "at": review.submitted_at,
        }
        try:
            self.events.publish("reviews", "ReviewSubmitted", detail)
        except Exception:  # the review is saved and waits in the queue; only the heads-up is lost
            logger.exception("ReviewSubmitted not published", extra={"store_id": review.store_id})

    # ---- the storefront
    def for_storefront(self, store_id: str, product: str, *, cursor: str | None, limit: int) -> ProductReviews:
        return self.reviews.for_storefront(store_id, product, cursor=cursor, limit=limit)

    # ---- operators
    def queue(
        self, store_id: str, operator: str, status: ReviewStatus, *, cursor: str | None, limit: int
    ) -> ReviewPage:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return self.reviews.queue(store_id, status, cursor=cursor, limit=limit)

    def moderate(
        self, store_id: str, operator: str, review_id: str, to: ReviewStatus, reason: str | None = None
    ) -> Review:
        """Approve or reject: the status and the summary change in one transaction; the same decision twice
        changes nothing the second time."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        parsed = parse_review_id(review_id)
        if parsed is None:
            raise NotFound("no such review", field="review")
        product, key = parsed
        for attempt in range(_ATTEMPTS):
            before = self.reviews.get(store_id, product, key)
            if before is None:
                raise NotFound("no such review", field="review")
            after = moderated(before, to, operator, self.clock(), reason)
            if after is None:
                return before
            try:
                self.reviews.save(before, after, summary_change(before, after))
            except Conflict:
                if attempt == _ATTEMPTS - 1:
                    raise
                continue
            return after
        raise AssertionError("unreachable")  # the loop returns or raises


def _require_open(store: Store | None, store_id: str) -> None:
    if store is None or not store.is_open:
        raise NotFound(f"store {store_id!r} not found", field="store")


def _require_published(product: Product | None, slug: str) -> None:
    if product is None or not product.is_published:
        raise NotFound(f"product {slug!r} not found", field="product")
