"""Operators' import requests: start an import of a supplier's product (202 and a progress URL), read its
progress. One run per store and source: asking again answers the same run (and in the end the same product);
a failed run is started again as its next attempt."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from nozzly.billing.domain.plans import Limit
from nozzly.billing.services.plan_guard import PLAN_PART, PlanGuard
from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.imports.adapters.ai_budget import AiBudgetRepository
from nozzly.imports.adapters.import_runs import ImportRunsRepository
from nozzly.imports.adapters.import_workflow import ImportWorkflow
from nozzly.imports.domain.ai_budget import day_of
from nozzly.imports.domain.import_runs import STEPS, ImportRun, RunStatus, StepState, import_id_of
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from nozzly.kernel.domain.url_safety import Resolver, check_url
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action, Role
from nozzly.stores.services.tenancy import require

ATTEMPTS = 4  # judging the plan's room again after losing a race for this month's last slot


@dataclass(frozen=True, slots=True)
class ImportRequests:
    members: MembersRepository
    runs: ImportRunsRepository
    catalog: CatalogAdminRepository
    budget: AiBudgetRepository
    workflow: ImportWorkflow
    resolve: Resolver
    daily_tokens: int
    plan: PlanGuard  # AI imports a month, per account: a new source's run takes one
    allow_loopback_http: bool = False
    clock: Callable[[], float] = field(default=time.time)

    def start(self, store_id: str, operator: str, source_url: str, category: str, language: str) -> ImportRun:
        run = self.prepare(store_id, operator, source_url, category)
        if run.status is RunStatus.RUNNING:
            self.workflow.start(run, category, language)  # started already: the same execution
        return run

    def prepare(self, store_id: str, operator: str, source_url: str, category: str) -> ImportRun:
        """The source's run, created or restarted as running when there is none or it failed; the workflow is
        not started (`start` starts it)."""
        return self.prepare_many(store_id, operator, [source_url], category)[0]

    def prepare_many(self, store_id: str, operator: str, source_urls: Sequence[str], category: str) -> list[ImportRun]:
        """`prepare` for each source, in order (research's bulk import starts them from one Map): the caller's
        permission, every URL and the category are judged once, before any run is written, and the store's owner
        and the day's AI budget are read once, when a first run is written."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        for source_url in source_urls:  # the download checks again on every hop; this answers a bad URL at once
            try:
                check_url(source_url, self.resolve, allow_loopback_http=self.allow_loopback_http)
            except InvalidInput as refused:
                raise InvalidInput(refused.message, field="source_url") from None
        found = self.catalog.categories(store_id).get(category)
        if found is None or found.deleted:
            raise InvalidInput(f"category {category!r} not found", field="category")
        writing = _Writing(self, store_id)
        return [self._prepare(store_id, operator, source_url, writing) for source_url in source_urls]

    def _prepare(self, store_id: str, operator: str, source_url: str, writing: _Writing) -> ImportRun:
        import_id = import_id_of(store_id, source_url)
        existing = self.runs.get(store_id, import_id)
        if existing is not None and existing.status is not RunStatus.FAILED:
            return existing
        writing.check_budget()
        if existing is None:
            run = ImportRun(store_id, import_id, source_url, RunStatus.RUNNING, operator, int(self.clock()))
            if not self._create(run, writing.owner()):  # a parallel request created it: answer that one
                return self._run(store_id, import_id)
            return run
        run = replace(
            existing,
            status=RunStatus.RUNNING,
            attempt=existing.attempt + 1,
            steps=dict.fromkeys(STEPS, StepState.PENDING),
            error="",
            needs_copy=False,
            ai_tokens=0,
            created_by=operator,
        )
        if not self.runs.restart(existing, run):
            return self._run(store_id, import_id)
        return run

    def _create(self, run: ImportRun, owner: str | None) -> bool:
        """The run and this month's import slot on the owner's plan, in one write (a retried failed run took its
        slot already); False when the source's run exists. A lost race for the slot judges again (402 when full)."""
        for _ in range(ATTEMPTS):
            slot = self.plan.taking_this_month(owner, Limit.AI_IMPORTS_PER_MONTH)
            try:
                Transaction().add("run", self.runs.create_op(run)).add(PLAN_PART, *slot).commit()
            except WriteConflict as clash:
                if "run" in clash.failed:
                    return False
                continue
            return True
        raise Conflict("the plan's import count changed meanwhile; please try again", field="source_url")

    def get(self, store_id: str, operator: str, import_id: str) -> ImportRun:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return self._run(store_id, import_id)

    def _run(self, store_id: str, import_id: str) -> ImportRun:
        run = self.runs.get(store_id, import_id)
        if run is None:
            raise NotFound(f"import {import_id!r} not found", field="import")
        return run


class _Writing:
    """What writing a store's runs needs, read once per request and only when a run is written: whether the
    day's AI budget is spent, and the store's owner (whose plan a new run's slot is taken from)."""

    def __init__(self, requests: ImportRequests, store_id: str) -> None:
        self._requests, self._store_id = requests, store_id
        self._budget_checked = False
        self._owner: tuple[str | None] | None = None

    def check_budget(self) -> None:
        if self._budget_checked:
            return
        r = self._requests
        if r.budget.used(self._store_id, day_of(r.clock())) >= r.daily_tokens:
            raise TooManyRequests("today's AI budget for imports is spent; try again tomorrow", retry_after=3600)
        self._budget_checked = True

    def owner(self) -> str | None:
        if self._owner is None:
            members = self._requests.members.of_store(self._store_id)
            self._owner = (next((m.sub for m in members if m.role is Role.OWNER), None),)
        return self._owner[0]
