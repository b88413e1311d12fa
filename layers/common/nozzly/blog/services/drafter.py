"""The weekly AI draft: one post per store and ISO week, written by Bedrock's Converse API, saved as a draft.

It reuses the product import's Bedrock adapter and daily AI budget (each call reserves its tokens first and
settles them to the answer's `usage`). The week's claim and the draft are one transaction: a second run in
the same week, or two runs at once, write nothing more. A draft is never published here: the owner reads,
edits and publishes it. A store whose call fails (throttled, budget spent, an unusable answer) gets no claim,
so a later run of the same week tries again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from nozzly.blog.adapters.posts import PostsRepository
from nozzly.blog.domain.drafting import (
    MAX_OUTPUT_TOKENS,
    SYSTEM,
    DraftText,
    InvalidDraft,
    ProductFacts,
    draft_slug,
    parse_draft,
    pick_keyword,
    prompt,
    week_of,
)
from nozzly.blog.domain.posts import BlogPost, PostStatus
from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.imports.adapters.ai_budget import AiBudgetRepository
from nozzly.imports.adapters.bedrock import BedrockConverse
from nozzly.imports.domain.ai_budget import day_of, estimate, settlement
from nozzly.imports.domain.ai_errors import AiThrottled, AiUnavailable, BudgetExhausted
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.observability import logger
from nozzly.stores.adapters.stores import StoresRepository

ATTEMPTS: Final = 2
AI_AUTHOR: Final = "ai"


@dataclass
class DraftRun:
    drafted: int = 0
    already: int = 0  # the week's draft exists
    nothing_to_write: int = 0  # no published product, or every keyword has a post
    failed: int = 0
    out_of_time: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return dict(vars(self))


@dataclass(frozen=True)
class BlogDrafter:
    stores: StoresRepository
    catalog: CatalogAdminRepository
    posts: PostsRepository
    bedrock: BedrockConverse
    budget: AiBudgetRepository
    daily_tokens: int
    clock: Callable[[], float] = field(default=time.time)

    def run(self, out_of_time: Callable[[], bool] = lambda: False) -> DraftRun:
        run = DraftRun()
        for store_id in self.stores.list_store_ids():
            if out_of_time():
                run.out_of_time = True
                break
            outcome = self.draft(store_id)
            setattr(run, outcome, getattr(run, outcome) + 1)
        return run

    def draft(self, store_id: str) -> str:
        """One store's draft of this week: "drafted", "already", "nothing_to_write" or "failed"."""
        now = self.clock()
        week = week_of(now)
        store = self.stores.find(store_id)
        if store is None or not store.is_open:
            return "nothing_to_write"
        if self.posts.week_claimed(store_id, week):
            return "already"
        facts = [ProductFacts(p.slug, p.title, p.tags) for p in self.catalog.all_products(store_id) if p.is_published]
        posts = self.posts.all_of(store_id)
        keyword = pick_keyword(facts, [f"{p.keyword} {p.title} {p.slug}" for p in posts])
        if keyword is None:
            return "nothing_to_write"
        text = self._write(store_id, prompt(keyword, store.name, store.niche, facts), now)
        if text is None:
            return "failed"
        post = BlogPost(
            store_id=store_id,
            slug=draft_slug(text.title, keyword, {p.slug for p in posts}),
            title=text.title,
            body_markdown=text.body_markdown,
            status=PostStatus.DRAFT,
            seo_title=text.seo_title,
            seo_description=text.seo_description,
            created_at=int(now),
            updated_at=int(now),
            author=AI_AUTHOR,
            keyword=keyword,
        )
        try:
            Transaction().add("week", self.posts.week_claim_op(store_id, week, post.slug, int(now))).add(
                "post", self.posts.created_op(post)
            ).commit()
        except WriteConflict as lost:
            return "already" if "week" in lost.failed else "failed"  # a concurrent run; an operator's new slug
        logger.info("blog post drafted", extra={"store": store_id, "week": week, "keyword": keyword})
        return "drafted"

    def _write(self, store_id: str, ask: str, now: float) -> DraftText | None:
        for _ in range(ATTEMPTS):
            try:
                reservation = self.budget.reserve(
                    store_id, day_of(now), estimate(SYSTEM + ask, MAX_OUTPUT_TOKENS), self.daily_tokens
                )
            except BudgetExhausted as spent:
                logger.info("blog draft skipped", extra={"store": store_id, "reason": str(spent)})
                return None
            try:
                answer = self.bedrock.converse(SYSTEM, ask, MAX_OUTPUT_TOKENS)
            except (AiThrottled, AiUnavailable) as failure:
                self.budget.settle(reservation, settlement(reservation, 0))
                logger.info("blog draft call failed", extra={"store": store_id, "reason": str(failure)})
                if isinstance(failure, AiUnavailable):
                    return None
                continue
            self.budget.settle(reservation, settlement(reservation, answer.total_tokens))
            try:
                return parse_draft(answer.text)
            except InvalidDraft as fault:
                ask = f"{ask}\nYour previous answer was rejected: {fault}. Answer again with valid JSON."
        return None
