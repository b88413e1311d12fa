"""Tasks of ResearchStateMachine: which stores are due, then per store gather (sources, dedupe, scores, saved),
analyse (the AI's verdicts on the top 20) and report (the owner's opt-in email of the day's best results); and
BulkImportStateMachine's tally of its imports' outcomes and its Catch's abandon (a run whose workflow never
ran to its end is marked failed)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry
from nozzly.wiring import research

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.research.contracts.research_steps import (
        AbandonStep,
        AnalyseStep,
        GatherStep,
        ReportStep,
        StoresStep,
        TallyStep,
    )


def _due(p: StoresStep) -> dict[str, Any]:
    at = datetime.fromisoformat(p.time.replace("Z", "+00:00"))
    return {"day": at.date().isoformat(), "stores": research.research_run().due_stores(at.timestamp())}


def _gather(p: GatherStep) -> dict[str, Any]:
    summary = research.research_run().gather(p.store_id, p.day)
    return {
        "candidates": summary.candidates,
        "results": summary.results,
        "signals": summary.signals,
        "failures": list(summary.failures),
    }


def _analyse(p: AnalyseStep) -> dict[str, Any]:
    return asdict(research.analyst().analyse(p.store_id, p.day))


def _report(p: ReportStep) -> dict[str, Any]:
    return {"outcome": research.daily_reports().send(p.store_id, p.day).value}


def _abandon(p: AbandonStep) -> dict[str, Any]:
    return {"failed": research.bulk_tally().abandon(p.store_id, p.import_id, p.error or "unknown error")}


def _tally(p: TallyStep) -> dict[str, Any]:
    return research.bulk_tally().tally(p.store_id, p.import_ids)


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine names: its payload, its service call, its result."""
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.research.contracts import research_steps as c

    return {
        "stores": WorkflowStep(c.StoresStep, _due, c.DueStores),
        "gather": WorkflowStep(c.GatherStep, _gather, c.Gathered),
        "analyse": WorkflowStep(c.AnalyseStep, _analyse, c.AnalysedOut),
        "report": WorkflowStep(c.ReportStep, _report, c.Reported),
        "tally": WorkflowStep(c.TallyStep, _tally, c.Tally),
        "abandon": WorkflowStep(c.AbandonStep, _abandon, c.Abandoned),
    }


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    # Errors propagate: the state machine's Retry (TransientError and Lambda's) and Catch decide.
    return run_step(steps(), event, "research")
