"""The AI copy step: ask Bedrock for the listing, check it, ask once more, else keep the supplier's words.

Each attempt reserves its tokens from the store's daily budget first and settles them to the Converse
answer's `usage` afterwards (a failed call gives its reservation back). Two attempts at most: a throttled
call waits and tries again, an invalid answer is asked for again with its fault named; whatever the second
attempt brings, the import goes on, with the supplier's own copy marked `needs_copy` if need be.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from nozzly.imports.adapters.ai_budget import AiBudgetRepository
from nozzly.imports.adapters.bedrock import BedrockConverse
from nozzly.imports.domain.ai_budget import day_of, estimate, settlement
from nozzly.imports.domain.ai_errors import AiThrottled, AiUnavailable, BudgetExhausted
from nozzly.imports.domain.listing_copy import InvalidCopy, ListingCopy, SourceFacts, fallback_copy, parse_copy, prompt
from nozzly.observability import logger

ATTEMPTS: Final = 2
MAX_OUTPUT_TOKENS: Final = 1200
SYSTEM: Final = "You write accurate, persuasive e-commerce listings. You answer with JSON only."


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    copy: ListingCopy
    tokens: int  # spent on this product, as Bedrock counted them
    calls: int
    why_fallback: str = ""  # empty when the AI's copy was kept


@dataclass(frozen=True, slots=True)
class AiCopywriter:
    bedrock: BedrockConverse
    budget: AiBudgetRepository
    daily_tokens: int
    retry_wait_seconds: float = 1.0
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = field(default=time.sleep)

    def write(self, store_id: str, facts: SourceFacts, language: str, store_name: str, niche: str) -> CopyOutcome:
        ask = prompt(facts, language, store_name, niche)
        spent, calls, why = 0, 0, ""
        for attempt in range(ATTEMPTS):
            if attempt and why.startswith("throttled"):
                self.sleep(self.retry_wait_seconds)
            try:
                reservation = self.budget.reserve(
                    store_id, day_of(self.clock()), estimate(SYSTEM + ask, MAX_OUTPUT_TOKENS), self.daily_tokens
                )
            except BudgetExhausted as spent_out:
                why = str(spent_out)
                break
            calls += 1
            try:
                answer = self.bedrock.converse(SYSTEM, ask, MAX_OUTPUT_TOKENS)
            except (AiThrottled, AiUnavailable) as failure:
                self.budget.settle(reservation, settlement(reservation, 0))
                why = f"{'throttled' if isinstance(failure, AiThrottled) else 'unavailable'}: {failure}"
                if isinstance(failure, AiUnavailable):
                    break
                continue
            self.budget.settle(reservation, settlement(reservation, answer.total_tokens))
            spent += answer.total_tokens
            try:
                return CopyOutcome(parse_copy(answer.text, facts.image_count), spent, calls)
            except InvalidCopy as fault:
                why = f"invalid answer: {fault}"
                # The second ask names the fault: a model corrects a named mistake more often than not.
                ask = f"{ask}\nYour previous answer was rejected: {fault}. Answer again with valid JSON."
        logger.info("AI copy fell back to the supplier's", extra={"store": store_id, "reason": why, "calls": calls})
        return CopyOutcome(fallback_copy(facts), spent, calls, why)
