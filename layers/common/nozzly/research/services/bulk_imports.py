"""Bulk import: a list of one day's research results, each imported as a draft by the product import's own
workflow, run by the bulk import workflow's Map a few at a time (statemachines/bulk_import.asl.json).

Every result is judged first (an unknown id refuses the whole request, nothing started); each gets its import
run through the import request service (one run per store and source, as a single import), and only the runs
that are newly running go to the Map. The execution is named after those runs' ids and attempts, so the same
request repeated starts nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from nozzly.imports.adapters.import_runs import ImportRunsRepository
from nozzly.imports.adapters.import_workflow import execution_input
from nozzly.imports.domain.import_runs import STEPS, ImportRun, RunStatus, StepState, execution_name
from nozzly.imports.services.import_requests import ImportRequests
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.research.adapters.bulk_workflow import BulkImportWorkflow
from nozzly.research.adapters.research_results import ResearchResultsRepository
from nozzly.research.domain.results import MAX_BULK
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True, slots=True)
class BulkImported:
    result_id: str
    run: ImportRun


@dataclass(frozen=True)
class BulkImports:
    members: MembersRepository
    results: ResearchResultsRepository
    requests: ImportRequests
    workflow: BulkImportWorkflow

    def start(
        self, store_id: str, operator: str, day: str, result_ids: Sequence[str], *, category: str, language: str
    ) -> list[BulkImported]:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        wanted = list(dict.fromkeys(result_ids))
        if not 1 <= len(wanted) <= MAX_BULK:
            raise InvalidInput(f"1 to {MAX_BULK} research results", field="result_ids")
        by_id = {r.result_id: r for r in self.results.day(store_id, day)}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise InvalidInput(f"no research results {', '.join(missing)} on {day}", field="result_ids")
        runs = self.requests.prepare_many(store_id, operator, [by_id[i].candidate.url for i in wanted], category)
        imported = [BulkImported(i, run) for i, run in zip(wanted, runs, strict=True)]
        running = [b.run for b in imported if b.run.status is RunStatus.RUNNING]
        if running:
            items = [execution_input(run, category, language) | {"name": execution_name(run)} for run in running]
            ids = "\n".join(sorted(execution_name(run) for run in running))
            name = f"{store_id[:40]}-bulk-{hashlib.sha256(ids.encode()).hexdigest()[:20]}"
            self.workflow.start(name, store_id, items)
        return imported


@dataclass(frozen=True)
class BulkTally:
    """The bulk workflow's last step: how its imports ended, read from their runs (a child that failed through
    the Map's Catch says so only on its run); and, in that Catch, `abandon`."""

    runs: ImportRunsRepository

    def abandon(self, store_id: str, import_id: str, error: str) -> bool:
        """The Map's Import task failed (the child never started, or timed out and was stopped): its run, if still
        running, is marked failed at its first unfinished step, with the cause, so the owner sees it and asking
        again starts the next attempt. A child that failed by itself marked its run already: nothing changes.
        True if this marked the run."""
        run = self.runs.get(store_id, import_id)
        if run is None or run.status is not RunStatus.RUNNING:
            return False
        step = next((s for s, state in run.steps.items() if state is not StepState.DONE), STEPS[-1])
        self.runs.fail(store_id, import_id, step, f"the import workflow did not run to its end ({error})")
        return True

    def tally(self, store_id: str, import_ids: Sequence[str]) -> dict[str, int]:
        counts = {"succeeded": 0, "failed": 0, "running": 0}
        for import_id in dict.fromkeys(import_ids):
            run = self.runs.get(store_id, import_id)
            status = run.status if run else RunStatus.RUNNING
            counts[status.value] += 1
        return counts
