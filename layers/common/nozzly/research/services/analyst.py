"""The AI analysis step: the day's top 20 results, each asked of Bedrock (the product import's Converse
adapter) for a verdict, reasons, audience and risks as schema-checked JSON, within the store's AI budget.

Each call reserves its tokens from the store's daily budget first and settles them to the answer's `usage`
(the import's budget, so research and imports share one daily allowance). Two attempts per result: a
throttled call waits and tries again, an invalid answer is asked again with its fault named. Once the
budget is spent the remaining results are marked `budget` and keep their scores; a repeated step skips the
results already analysed, so a retried step never pays twice for one verdict.
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
from nozzly.research.adapters.research_results import ResearchResultsRepository
from nozzly.research.adapters.research_settings import ResearchSettingsRepository
from nozzly.research.domain.results import AiStatus, ResearchResult
from nozzly.research.domain.verdicts import SYSTEM, InvalidVerdict, Verdict, parse_verdict, prompt
from nozzly.stores.adapters.stores import StoresRepository

ATTEMPTS: Final = 2
MAX_OUTPUT_TOKENS: Final = 600


@dataclass(frozen=True, slots=True)
class Analysed:
    done: int
    invalid: int
    unavailable: int
    budget: int
    tokens: int


@dataclass(frozen=True)
class Analyst:
    stores: StoresRepository
    settings: ResearchSettingsRepository
    results: ResearchResultsRepository
    bedrock: BedrockConverse
    budget: AiBudgetRepository
    daily_tokens: int
    retry_wait_seconds: float = 1.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    clock: Callable[[], float] = field(default=time.time)

    def analyse(self, store_id: str, day: str) -> Analysed:
        store = self.stores.get(store_id)
        keywords = self.settings.settings(store_id).search_terms(store.niche)
        counts = dict.fromkeys(("done", "invalid", "unavailable", "budget", "tokens"), 0)
        spent_out = False
        for result in self.results.day(store_id, day):
            if result.ai_status is not AiStatus.PENDING:
                continue
            if spent_out:
                status, verdict, tokens = AiStatus.BUDGET, None, 0
            else:
                ask = prompt_for(result, store.niche, keywords)
                status, verdict, tokens = self._ask(store_id, day_of(self.clock()), result, ask)
                spent_out = status is AiStatus.BUDGET
            self.results.set_verdict(store_id, result, status, verdict)
            counts[status.value] += 1
            counts["tokens"] += tokens
        return Analysed(**counts)

    def _ask(self, store_id: str, today: str, result: ResearchResult, ask: str) -> tuple[AiStatus, Verdict | None, int]:
        """One result's verdict; tokens are charged to the day they are spent (`today`), whatever day is analysed."""
        spent, status = 0, AiStatus.UNAVAILABLE
        for attempt in range(ATTEMPTS):
            if attempt and status is AiStatus.UNAVAILABLE:
                self.sleep(self.retry_wait_seconds)
            try:
                reservation = self.budget.reserve(
                    store_id, today, estimate(SYSTEM + ask, MAX_OUTPUT_TOKENS), self.daily_tokens
                )
            except BudgetExhausted:
                return AiStatus.BUDGET, None, spent
            try:
                answer = self.bedrock.converse(SYSTEM, ask, MAX_OUTPUT_TOKENS)
            except AiThrottled:
                self.budget.settle(reservation, settlement(reservation, 0))
                status = AiStatus.UNAVAILABLE
                continue
            except AiUnavailable:
                self.budget.settle(reservation, settlement(reservation, 0))
                return AiStatus.UNAVAILABLE, None, spent
            self.budget.settle(reservation, settlement(reservation, answer.total_tokens))
            spent += answer.total_tokens
            try:
                return AiStatus.DONE, parse_verdict(answer.text), spent
            except InvalidVerdict as fault:
                status = AiStatus.INVALID
                ask = f"{ask}\nYour previous answer was rejected: {fault}. Answer again with valid JSON."
        return status, None, spent


def prompt_for(result: ResearchResult, niche: str, keywords: tuple[str, ...]) -> str:
    return prompt(result.candidate, result.score, niche, keywords)
